package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// report is the result of a run, as --json writes it.
type report struct {
	Target string        `json:"target"`
	Mix    string        `json:"mix"`
	Levels []levelReport `json:"levels"`
}

// levelReport is one level of concurrency.
type levelReport struct {
	Clients int        `json:"clients"`
	Seconds float64    `json:"seconds"`
	Ops     []opReport `json:"ops"`
	Total   opReport   `json:"total"`
	// ErrorSamples holds the first message of each kind of error.
	ErrorSamples map[string]string `json:"error_samples,omitempty"`
	// Server is what the server process (and the models it runs) used,
	// when --pid names it.
	Server *processReport `json:"server,omitempty"`
	// GeneratorCPU is the CPU seconds this program used per second.
	GeneratorCPU float64 `json:"generator_cpu"`
	// MachineBusy is the share of all the machine's cores busy (every
	// process), from /proc/stat.
	MachineBusy float64 `json:"machine_busy"`
	// Load is the 1-minute load average at the start and the end.
	Load [2]float64 `json:"load"`
}

// opReport is what one operation (or all) came to in a level.
type opReport struct {
	Op       string         `json:"op"`
	Requests int            `json:"requests"`
	OK       int            `json:"ok"`
	Errors   map[string]int `json:"errors,omitempty"`
	// PerSecond counts successful answers per second.
	PerSecond float64 `json:"per_second"`
	// Latencies of the successful answers, in milliseconds.
	P50 float64 `json:"p50_ms"`
	P95 float64 `json:"p95_ms"`
	P99 float64 `json:"p99_ms"`
	Max float64 `json:"max_ms"`
}

// processReport is what the server process used during a level.
type processReport struct {
	// RSS of the server process in MB: at the start, the end, the most.
	RSSStart float64 `json:"rss_start_mb"`
	RSSEnd   float64 `json:"rss_end_mb"`
	RSSMax   float64 `json:"rss_max_mb"`
	// RSS samples (seconds since the level's start, MB).
	Samples [][2]float64 `json:"rss_samples,omitempty"`
	// CPU is the CPU seconds the server and its child processes (the
	// models) used per second.
	CPU float64 `json:"cpu"`
}

// runLevel warms up, then measures one level of concurrency.
func (g *generator) runLevel(ctx context.Context, clients int) levelReport {
	if g.cfg.warmup > 0 {
		g.drive(ctx, clients, time.Now().Add(g.cfg.warmup), 0)
	}
	lr := levelReport{Clients: clients, Load: [2]float64{loadAvg(), 0}}
	sctx, stopSampling := context.WithCancel(ctx)
	sampled := make(chan *processReport, 1)
	if g.cfg.pid > 0 {
		go func() { sampled <- sampleProcess(sctx, g.cfg.pid, g.cfg.rssEvery) }()
	} else {
		sampled <- nil
	}
	busy0 := machineTicks()
	cpu0 := selfCPU()
	start := time.Now()
	var deadline time.Time
	if g.cfg.duration > 0 {
		deadline = start.Add(g.cfg.duration)
	}
	rec := g.drive(ctx, clients, deadline, g.cfg.requests)
	elapsed := time.Since(start)
	stopSampling()
	lr.Server = <-sampled
	lr.Seconds = elapsed.Seconds()
	lr.GeneratorCPU = (selfCPU() - cpu0).Seconds() / lr.Seconds
	lr.MachineBusy = machineTicks().busySince(busy0)
	lr.Load[1] = loadAvg()
	var all []time.Duration
	lr.Total = opReport{Op: "all", Errors: map[string]int{}}
	for i, m := range g.cfg.mix {
		if m.weight == 0 {
			continue
		}
		r := summarize(m.op, rec.lat[i], rec.errs[i], lr.Seconds)
		lr.Ops = append(lr.Ops, r)
		all = append(all, rec.lat[i]...)
		for k, n := range rec.errs[i] {
			lr.Total.Errors[k] += n
		}
	}
	lr.Total = summarize("all", all, lr.Total.Errors, lr.Seconds)
	if len(rec.detail) > 0 {
		lr.ErrorSamples = rec.detail
	}
	return lr
}

// summarize computes an operation's figures.
func summarize(op string, lat []time.Duration, errs map[string]int, secs float64) opReport {
	r := opReport{Op: op, OK: len(lat), Requests: len(lat)}
	for k, n := range errs {
		if r.Errors == nil {
			r.Errors = map[string]int{}
		}
		r.Errors[k] = n
		r.Requests += n
	}
	if secs > 0 {
		r.PerSecond = float64(len(lat)) / secs
	}
	if len(lat) == 0 {
		return r
	}
	slices.Sort(lat)
	r.P50, r.P95, r.P99 = ms(percentile(lat, 0.50)), ms(percentile(lat, 0.95)), ms(percentile(lat, 0.99))
	r.Max = ms(lat[len(lat)-1])
	return r
}

// percentile returns the q-th quantile of sorted durations (nearest rank).
func percentile(sorted []time.Duration, q float64) time.Duration {
	i := int(math.Ceil(q*float64(len(sorted)))) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

func ms(d time.Duration) float64 { return math.Round(float64(d.Microseconds())/10) / 100 }

// writeTable writes the report as Markdown tables.
func writeTable(w io.Writer, r *report) {
	fmt.Fprintf(w, "target %s, mix %s\n\n", r.Target, r.Mix)
	fmt.Fprintln(w, "| clients | op | answers/s | p50 ms | p95 ms | p99 ms | max ms | requests | errors |")
	fmt.Fprintln(w, "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
	for _, l := range r.Levels {
		rows := l.Ops
		if len(rows) > 1 {
			rows = append(rows, l.Total)
		}
		for _, o := range rows {
			fmt.Fprintf(w, "| %d | %s | %.0f | %.2f | %.2f | %.2f | %.1f | %d | %s |\n",
				l.Clients, o.Op, o.PerSecond, o.P50, o.P95, o.P99, o.Max, o.Requests, errorText(o.Errors))
		}
	}
	fmt.Fprintln(w)
	for _, l := range r.Levels {
		fmt.Fprintf(w, "- %d clients, %.1f s: ", l.Clients, l.Seconds)
		if s := l.Server; s != nil {
			fmt.Fprintf(w, "server RSS %.0f → %.0f MB (most %.0f), server and models %.2f cores; ", s.RSSStart, s.RSSEnd, s.RSSMax, s.CPU)
		}
		fmt.Fprintf(w, "generator %.2f cores; machine %.0f %% busy; load %.1f → %.1f\n", l.GeneratorCPU, 100*l.MachineBusy, l.Load[0], l.Load[1])
		for _, k := range sortedKeys(l.ErrorSamples) {
			fmt.Fprintf(w, "  - %s: %s\n", k, l.ErrorSamples[k])
		}
	}
}

func errorText(errs map[string]int) string {
	if len(errs) == 0 {
		return "0"
	}
	var parts []string
	for _, k := range sortedKeys(errs) {
		parts = append(parts, k+": "+strconv.Itoa(errs[k]))
	}
	return strings.Join(parts, ", ")
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// sampleProcess samples the RSS of pid every interval until ctx ends, and
// the CPU its process tree used meanwhile.
func sampleProcess(ctx context.Context, pid int, every time.Duration) *processReport {
	start := time.Now()
	cpu0 := treeCPU(pid)
	rss := rssMB(pid)
	r := &processReport{RSSStart: rss, RSSMax: rss, Samples: [][2]float64{{0, rss}}}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			rss = rssMB(pid)
			r.RSSEnd, r.RSSMax = rss, max(r.RSSMax, rss)
			secs := time.Since(start).Seconds()
			r.Samples = append(r.Samples, [2]float64{math.Round(secs*10) / 10, rss})
			r.CPU = (treeCPU(pid) - cpu0) / secs
			return r
		case <-t.C:
			rss = rssMB(pid)
			r.RSSMax = max(r.RSSMax, rss)
			r.Samples = append(r.Samples, [2]float64{math.Round(time.Since(start).Seconds()*10) / 10, rss})
		}
	}
}

// rssMB reads a process's resident set from /proc (0 when it cannot).
func rssMB(pid int) float64 {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 64)
			return math.Round(kb/1024*10) / 10
		}
	}
	return 0
}

// clockTicks is the unit of /proc's CPU times (USER_HZ, 100 on Linux).
const clockTicks = 100

// treeCPU returns the CPU seconds used by pid and its descendants alive
// now (and the children they waited for).
func treeCPU(pid int) float64 {
	paths, _ := filepath.Glob("/proc/[0-9]*/stat")
	parent := map[int]int{}
	ticks := map[int]float64{}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		// The command name may hold spaces and parentheses: the fields
		// start after the last ')'.
		s := string(data)
		i := strings.LastIndexByte(s, ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(s[i+1:])
		if len(f) < 15 {
			continue
		}
		id, _ := strconv.Atoi(filepath.Base(filepath.Dir(p)))
		ppid, _ := strconv.Atoi(f[1])
		var sum float64
		for _, k := range []int{11, 12, 13, 14} { // utime stime cutime cstime
			v, _ := strconv.ParseFloat(f[k], 64)
			sum += v
		}
		parent[id], ticks[id] = ppid, sum
	}
	var total float64
	for id := range ticks {
		for p := id; p > 1; p = parent[p] {
			if p == pid {
				total += ticks[id]
				break
			}
		}
	}
	return total / clockTicks
}

// cpuTicks are the machine's CPU times from /proc/stat.
type cpuTicks struct{ busy, total float64 }

func machineTicks() cpuTicks {
	data, err := os.ReadFile("/proc/stat")
	if err != nil {
		return cpuTicks{}
	}
	line, _, _ := strings.Cut(string(data), "\n")
	f := strings.Fields(line)
	var t cpuTicks
	for i, v := range f[1:] {
		x, _ := strconv.ParseFloat(v, 64)
		t.total += x
		if i != 3 && i != 4 { // idle, iowait
			t.busy += x
		}
	}
	return t
}

func (t cpuTicks) busySince(t0 cpuTicks) float64 {
	if t.total <= t0.total {
		return 0
	}
	return (t.busy - t0.busy) / (t.total - t0.total)
}

// loadAvg is the 1-minute load average.
func loadAvg() float64 {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(data))
	if len(f) == 0 {
		return 0
	}
	v, _ := strconv.ParseFloat(f[0], 64)
	return v
}

// selfCPU is the CPU time this process used.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
