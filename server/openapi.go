package server

import (
	"encoding/json"
	"net/http"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/kgmem/kgmem/memory"
	"github.com/kgmem/kgmem/translate"
)

// operation documents one route of kgmem's own API. The OpenAPI document
// is made from this table and the Go types it names (their JSON fields
// become the schemas), so the document cannot drift from the types; a
// test checks that the table and the registered routes are the same.
type operation struct {
	method, path string
	summary      string
	role         Role
	params       []param
	request      any    // a value of the JSON body's type; nil for none
	requestType  string // the body's media type when it is not JSON
	response     any    // a value of the 2xx answer's type
	responseType string // the answer's media type when it is not JSON
	status       int    // the success status (200 if 0)
}

type param struct {
	name, in, about string
	required        bool
}

func q(name, about string) param { return param{name: name, in: "query", about: about} }
func qr(name, about string) param {
	return param{name: name, in: "query", about: about, required: true}
}
func pth(name, about string) param {
	return param{name: name, in: "path", about: about, required: true}
}

// operations are the routes of kgmem's own API and of the server itself.
func operations() []operation {
	v := APIVersion
	docParams := []param{qr("name", "the document's file name; its extension tells its format (po, xlf, tmx, tsv, txt…)"),
		qr("source_lang", "BCP-47 source language"), qr("target_lang", "BCP-47 target language"),
		q("model", "model plugin (the server's default if absent)"), q("min_match", "lowest fuzzy score used, 1–100"),
		q("no_tm", "true: no translation memory"), q("no_kg", "true: no knowledge graph"),
		q("register", "formal or informal: how the translation addresses the reader (the model's default if absent)"),
		q("approve", "true: mark translations approved"), q("retranslate", "true: translate units that have a target too"),
		q("explain", "true: keep each segment's result in the job summary")}
	entityParams := []param{q("lang", "language of the label (default: the memory's source language)"),
		q("target_lang", "language of the translations shown (default: all)"), q("limit", "facts and neighbours per entity (default 10)")}
	page := []param{q("offset", "segments to skip (default 0)"), q("limit", "segments per page, 1–200 (default 50)")}
	return []operation{
		{method: "POST", path: v + "/translate", summary: "Translate segments with the memory and a model", role: RoleTranslate,
			request: TranslateRequest{}, response: TranslateResponse{}},
		{method: "POST", path: v + "/learn", summary: "Learn approved translations at once", role: RoleLearn,
			request: LearnRequest{}, response: translate.LearnSummary{}},
		{method: "POST", path: v + "/terms", summary: "Add a term translation, or give one a status (preferred, admitted, deprecated)", role: RoleLearn,
			request: memory.TermRequest{}, response: memory.TermSummary{}},
		{method: "POST", path: v + "/forget", summary: "Take pairs back out of the memory (a learn batch, an origin, or one pair), keeping a record to undo it", role: RoleLearn,
			request: memory.ForgetRequest{}, response: memory.ForgetSummary{}},
		{method: "POST", path: v + "/unforget", summary: "Undo a forget: its pairs and translations come back as they were", role: RoleLearn,
			request: UnforgetRequest{}, response: memory.ForgetSummary{}},
		{method: "GET", path: v + "/forget", summary: "The forgets of the memory, newest first", role: RoleRead, response: ForgottenResponse{}},
		{method: "POST", path: v + "/tm/search", summary: "Fuzzy matches of a sentence in the translation memory", role: RoleRead,
			request: TMSearchRequest{}, response: TMSearchResponse{}},
		{method: "GET", path: v + "/tm/concordance", summary: "Segments that hold the words", role: RoleRead,
			params:   []param{qr("q", "the words"), q("lang", "their language"), q("target", "true: look in the translations"), q("limit", "most segments, 1–1000")},
			response: TMSearchResponse{}},
		{method: "POST", path: v + "/entities/spot", summary: "Known entities and terms of a sentence, with translations and facts", role: RoleRead,
			request: SpotRequest{}, response: SpotResponse{}},
		{method: "GET", path: v + "/entities", summary: "Entities with a label", role: RoleRead,
			params: append([]param{qr("label", "the entity's name")}, entityParams...), response: EntitiesResponse{}},
		{method: "GET", path: v + "/entities/{id}", summary: "An entity: labels, translations, facts, neighbours", role: RoleRead,
			params: append([]param{pth("id", "entity ID")}, entityParams...), response: memory.EntityView{}},
		{method: "GET", path: v + "/stats", summary: "What the memory holds", role: RoleRead, response: StatsResponse{}},
		{method: "GET", path: v + "/export", summary: "The translation memory (or the term base) as a file", role: RoleRead,
			params: []param{qr("format", "tmx, tsv, csv, xliff, po (memory); tbx, csv, glossary (terms)"), q("terms", "true: the term base"),
				q("source_lang", "keep this source language"), q("target_lang", "keep this target language"),
				q("origin", "keep what came from matching sources (a file, a glob, learn:*, api:*)"), q("status", "keep this segment status"),
				q("since", "keep segments changed on or after this day"), q("until", "keep segments changed before this day")},
			responseType: "application/octet-stream"},
		{method: "GET", path: v + "/tm/segments", summary: "A page of the segments a search or filters find, with the total", role: RoleRead,
			params: append([]param{
				q("q", "words (mode words), a sentence (mode fuzzy); empty: every segment the filters keep, newest first"),
				q("mode", "words (concordance, the default) or fuzzy"), q("lang", "language of q (default: the memory's source language)"),
				q("target", "true: look for q in the translations"), q("min", "lowest fuzzy score, 1–101 (mode fuzzy)"),
				q("source_lang", "keep segments of this source language"), q("target_lang", "keep segments of this target language"),
				q("origin", "keep segments whose origin contains this text (a file name, learn:…)"), q("status", "keep segments with this status (approved, translated…)"),
				q("since", "keep segments changed on or after this day (2006-01-02)"), q("until", "keep segments changed on or before this day"),
			}, page...),
			response: SegmentPage{}},
		{method: "GET", path: v + "/tm/segments/{id}", summary: "A segment with its provenance, the entities it mentions and the other translations of its source", role: RoleRead,
			params: []param{pth("id", "segment ID")}, response: SegmentDetail{}},
		{method: "GET", path: v + "/entities/search", summary: "Entities whose name is like the query (case, stems, misspellings)", role: RoleRead,
			params:   []param{qr("q", "the name"), q("lang", "its language (default: the memory's source language)"), q("limit", "most entities, 1–100 (default 20)")},
			response: EntitySearchResponse{}},
		{method: "GET", path: v + "/entities/{id}/history", summary: "Every label of an entity, current and superseded, with first and last seen and sources", role: RoleRead,
			params: []param{pth("id", "entity ID"), q("lang", "language of the label shown as its name")}, response: EntityHistory{}},
		{method: "GET", path: v + "/entities/{id}/segments", summary: "A page of the segments that mention an entity", role: RoleRead,
			params: append([]param{pth("id", "entity ID")}, page...), response: SegmentPage{}},
		{method: "GET", path: v + "/entities/{id}/neighbourhood", summary: "The entities linked to an entity, as nodes and edges", role: RoleRead,
			params: []param{pth("id", "entity ID"), q("hops", "1 or 2 (default 1)"), q("nodes", "most nodes, 1–1000 (default 60)"),
				q("lang", "language of the node labels")},
			response: Neighbourhood{}},
		{method: "GET", path: v + "/stats/learning", summary: "Pairs learned, terms set and files imported per day", role: RoleRead,
			params: []param{q("days", "days back from today, 1–3660 (default 30)")}, response: LearningStats{}},
		{method: "GET", path: v + "/session", summary: "Who the caller is: key name, role, whether the server needs keys", response: SessionResponse{}},
		{method: "GET", path: v + "/models", summary: "The models the server can translate with", role: RoleRead, response: ModelsResponse{}},
		{method: "POST", path: v + "/documents", summary: "Translate a document (a job)", role: RoleTranslate, params: docParams,
			requestType: "application/octet-stream", response: Job{}, status: http.StatusAccepted},
		{method: "POST", path: v + "/imports", summary: "Import a file into the memory (a job); from the unix socket, files by path", role: RoleAdmin,
			params: []param{q("name", "the uploaded file's name; its extension tells its format"), q("terms", "true: the file is a term base"),
				q("source_lang", "source language when the file does not say"), q("target_lang", "target language"),
				q("format", "format name when the extension does not tell"), q("lenient", "true: skip bad units")},
			requestType: "application/octet-stream", request: ImportRequest{}, response: Job{}, status: http.StatusAccepted},
		{method: "POST", path: v + "/eval", summary: "Evaluate on local files (unix socket only; a job)", role: RoleAdmin,
			request: memory.EvalRequest{}, response: Job{}, status: http.StatusAccepted},
		{method: "GET", path: v + "/jobs", summary: "The caller's jobs (every job for an admin)", role: RoleRead, response: JobsResponse{}},
		{method: "GET", path: v + "/jobs/{id}", summary: "A job and its progress", role: RoleRead, params: []param{pth("id", "job ID")}, response: Job{}},
		{method: "GET", path: v + "/jobs/{id}/result", summary: "A finished job's result file", role: RoleRead, params: []param{pth("id", "job ID")},
			responseType: "application/octet-stream"},
		{method: "DELETE", path: v + "/jobs/{id}", summary: "Cancel a job", role: RoleRead, params: []param{pth("id", "job ID")}, response: Job{}},
		{method: "GET", path: "/healthz", summary: "The process is alive", response: map[string]string{}},
		{method: "GET", path: "/readyz", summary: "The memory answers and the server is not draining", response: map[string]string{}},
		{method: "GET", path: "/metrics", summary: "Prometheus metrics", role: RoleRead, responseType: "text/plain"},
		{method: "GET", path: "/openapi.json", summary: "This document", responseType: "application/json"},
	}
}

var (
	openAPIOnce sync.Once
	openAPIDoc  []byte
)

func serveOpenAPI(w http.ResponseWriter, r *http.Request) error {
	openAPIOnce.Do(func() { openAPIDoc, _ = json.MarshalIndent(OpenAPI(), "", "  ") })
	w.Header().Set("Content-Type", "application/json")
	w.Write(openAPIDoc)
	return nil
}

// OpenAPI returns the OpenAPI 3 document of the server's own API.
func OpenAPI() map[string]any {
	schemas := map[string]any{}
	paths := map[string]map[string]any{}
	for _, op := range operations() {
		o := map[string]any{"summary": op.summary, "operationId": operationID(op)}
		if op.role > RoleNone {
			o["description"] = "Needs a key with the role " + op.role.String() + " or above (or a client on loopback when the server has no keys)."
			o["security"] = []any{map[string]any{"bearer": []string{}}}
		}
		var ps []any
		for _, p := range op.params {
			ps = append(ps, map[string]any{"name": p.name, "in": p.in, "required": p.required, "description": p.about, "schema": map[string]any{"type": "string"}})
		}
		if ps != nil {
			o["parameters"] = ps
		}
		if op.request != nil || op.requestType != "" {
			content := map[string]any{}
			if op.requestType != "" {
				content[op.requestType] = map[string]any{"schema": map[string]any{"type": "string", "format": "binary"}}
			}
			if op.request != nil {
				content["application/json"] = map[string]any{"schema": schemaRef(reflect.TypeOf(op.request), schemas)}
			}
			o["requestBody"] = map[string]any{"required": true, "content": content}
		}
		status := op.status
		if status == 0 {
			status = http.StatusOK
		}
		okResp := map[string]any{"description": http.StatusText(status)}
		switch {
		case op.responseType != "":
			okResp["content"] = map[string]any{op.responseType: map[string]any{"schema": map[string]any{"type": "string"}}}
		case op.response != nil:
			okResp["content"] = map[string]any{"application/json": map[string]any{"schema": schemaRef(reflect.TypeOf(op.response), schemas)}}
		}
		o["responses"] = map[string]any{
			itoa(status): okResp,
			"default": map[string]any{"description": "An error", "content": map[string]any{"application/json": map[string]any{
				"schema": schemaRef(reflect.TypeOf(errorBody{}), schemas)}}},
		}
		if paths[op.path] == nil {
			paths[op.path] = map[string]any{}
		}
		paths[op.path][strings.ToLower(op.method)] = o
	}
	return map[string]any{
		"openapi": "3.0.3",
		"info": map[string]any{"title": "kgmem", "version": strings.TrimPrefix(APIVersion, "/api/"),
			"description": "kgmem's own API: translation with a translation memory and a knowledge graph, learning, search, jobs. " +
				"Errors are JSON {\"error\": {\"code\", \"message\"}} with a stable code."},
		"paths": paths,
		"components": map[string]any{
			"schemas":         schemas,
			"securitySchemes": map[string]any{"bearer": map[string]any{"type": "http", "scheme": "bearer"}},
		},
	}
}

func operationID(op operation) string {
	id := strings.ToLower(op.method)
	for _, part := range strings.Split(strings.TrimPrefix(op.path, APIVersion), "/") {
		part = strings.Trim(part, "{}")
		if part != "" {
			id += strings.ToUpper(part[:1]) + part[1:]
		}
	}
	return strings.NewReplacer(".", "", "-", "").Replace(id)
}

func itoa(n int) string { return strconv.Itoa(n) }

var timeType = reflect.TypeOf(time.Time{})

// schemaRef returns the schema of t: a reference to a named struct in
// schemas (added the first time), or the schema inline.
func schemaRef(t reflect.Type, schemas map[string]any) map[string]any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if _, ok := reflect.New(t).Interface().(json.Marshaler); ok && t != timeType {
		return map[string]any{"description": "see " + t.String()}
	}
	switch {
	case t == timeType:
		return map[string]any{"type": "string", "format": "date-time"}
	case t.Kind() == reflect.Struct:
		name := strings.ReplaceAll(t.String(), ".", "_")
		if _, ok := schemas[name]; !ok {
			schemas[name] = nil // a placeholder against recursion
			schemas[name] = structSchema(t, schemas)
		}
		return map[string]any{"$ref": "#/components/schemas/" + name}
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8:
		return map[string]any{"type": "string", "format": "byte"}
	case t.Kind() == reflect.Slice || t.Kind() == reflect.Array:
		return map[string]any{"type": "array", "items": schemaRef(t.Elem(), schemas)}
	case t.Kind() == reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": schemaRef(t.Elem(), schemas)}
	case t.Kind() == reflect.String:
		return map[string]any{"type": "string"}
	case t.Kind() == reflect.Bool:
		return map[string]any{"type": "boolean"}
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Uint64:
		return map[string]any{"type": "integer"}
	case t.Kind() == reflect.Float32 || t.Kind() == reflect.Float64:
		return map[string]any{"type": "number"}
	}
	return map[string]any{}
}

// structSchema is the object schema of a struct's JSON fields, embedded
// structs' fields included.
func structSchema(t reflect.Type, schemas map[string]any) map[string]any {
	props := map[string]any{}
	var required []string
	var add func(t reflect.Type)
	add = func(t reflect.Type) {
		for i := range t.NumField() {
			f := t.Field(i)
			tag := f.Tag.Get("json")
			if tag == "-" || (!f.IsExported() && !f.Anonymous) {
				continue
			}
			name, opts, _ := strings.Cut(tag, ",")
			if f.Anonymous && name == "" {
				ft := f.Type
				for ft.Kind() == reflect.Pointer {
					ft = ft.Elem()
				}
				if ft.Kind() == reflect.Struct {
					add(ft)
					continue
				}
			}
			if name == "" {
				name = f.Name
			}
			props[name] = schemaRef(f.Type, schemas)
			if !strings.Contains(opts, "omitempty") && !strings.Contains(opts, "omitzero") {
				required = append(required, name)
			}
		}
	}
	add(t)
	sort.Strings(required)
	s := map[string]any{"type": "object", "properties": props}
	if len(required) > 0 {
		s["required"] = required
	}
	return s
}
