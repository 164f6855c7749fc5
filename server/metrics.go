package server

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the server's Prometheus metrics.
type metrics struct {
	reg        *prometheus.Registry
	requests   *prometheus.HistogramVec
	model      *prometheus.HistogramVec
	segments   *prometheus.CounterVec
	learns     *prometheus.CounterVec
	learnQueue prometheus.Gauge
	jobs       *prometheus.GaugeVec
}

func newMetrics(reg *prometheus.Registry, s *Server) *metrics {
	m := &metrics{
		reg: reg,
		requests: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "kgmem_http_request_duration_seconds", Help: "HTTP request latency by route and status.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"route", "status"}),
		model: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "kgmem_translate_duration_seconds", Help: "Time to translate one request's segments (memory and model), by model.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"model"}),
		segments: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kgmem_translated_segments_total", Help: "Segments translated, by model and outcome.",
		}, []string{"model", "outcome"}),
		learns: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kgmem_learn_requests_total", Help: "Learn calls, by outcome.",
		}, []string{"outcome"}),
		learnQueue: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "kgmem_learn_queue", Help: "Learn calls waiting for or holding the memory's write lock.",
		}),
		jobs: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "kgmem_jobs", Help: "Jobs by kind and status.",
		}, []string{"kind", "status"}),
	}
	reg.MustRegister(m.requests, m.model, m.segments, m.learns, m.learnQueue, m.jobs,
		prometheus.NewGoCollector(), prometheus.NewProcessCollector(prometheus.ProcessCollectorOpts{}))
	reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "kgmem_index_segments", Help: "Segments in the translation-memory index.",
	}, func() float64 { return float64(s.mem.Index().Stats().Segments) }))
	reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "kgmem_index_entities", Help: "Entities in the entity-label index.",
	}, func() float64 { return float64(s.mem.Index().Stats().Entities) }))
	reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "kgmem_index_bytes", Help: "Bytes of the search index on disk.",
	}, func() float64 { return float64(s.mem.Index().Stats().Bytes) }))
	return m
}

func (m *metrics) request(route string, status int, d time.Duration) {
	m.requests.WithLabelValues(route, strconv.Itoa(status)).Observe(d.Seconds())
}

// translating starts timing a translation; the returned func records it.
func (m *metrics) translating(model string) func(segments int, err error) {
	start := time.Now()
	return func(n int, err error) {
		m.model.WithLabelValues(model).Observe(time.Since(start).Seconds())
		outcome := "ok"
		if err != nil {
			outcome = "error"
		}
		m.segments.WithLabelValues(model, outcome).Add(float64(n))
	}
}

// learning counts a learn call waiting for the memory; the returned func
// records its outcome.
func (m *metrics) learning() func(err error) {
	m.learnQueue.Inc()
	return func(err error) {
		m.learnQueue.Dec()
		outcome := "ok"
		if err != nil {
			outcome = "error"
		}
		m.learns.WithLabelValues(outcome).Inc()
	}
}

func (m *metrics) serve(w http.ResponseWriter, r *http.Request) error {
	promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{}).ServeHTTP(w, r)
	return nil
}
