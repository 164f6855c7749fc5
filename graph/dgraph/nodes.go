package dgraph

import (
	"bytes"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/kgmem/kgmem/graph"
)

// space is a store's namespace on a shared server. Every external ID, file
// name and label key the store writes starts with prefix, so lookups by
// exact value never see another namespace, and the namespace's IDs of one
// kind are the range [prefix, hi] of that kind's exact index.
type space struct {
	prefix string // namespace + "/"
	hi     string // namespace + "0": '0' follows '/', so no key in the namespace reaches it
}

func newSpace(ns string) (space, error) {
	if strings.ContainsAny(ns, "/\x00") {
		return space{}, fmt.Errorf("dgraph: namespace %q contains '/' or NUL", ns)
	}
	return space{prefix: ns + "/", hi: ns + "0"}, nil
}

// key returns the namespaced form of an ID or file name.
func (sp space) key(id string) string { return sp.prefix + id }

// unkey strips the namespace from a stored key.
func (sp space) unkey(k string) string { return strings.TrimPrefix(k, sp.prefix) }

// fileShards is how many kg.files index keys a file's nodes are spread
// over. Dgraph adds a posting to a key in time linear in the postings the
// transaction already added to it, so one key per file made writing a
// batch of n nodes of one file cost n² (a tenth of the server's time in a
// build with 20,000-item batches).
const fileShards = 64

// fileKey is the kg.files value that says the node with external ID id
// came from file: the namespaced file name, NUL and the node's shard (two
// hex digits). The shard suffix has a fixed length, so no two files share
// a value.
func (sp space) fileKey(file, id string) string {
	h := fnv.New32a()
	h.Write([]byte(id))
	return sp.shardKey(file, h.Sum32()%fileShards)
}

// fileKeys returns every kg.files value of file, one per shard.
func (sp space) fileKeys(file string) []string {
	out := make([]string, fileShards)
	for n := range out {
		out[n] = sp.shardKey(file, uint32(n))
	}
	return out
}

func (sp space) shardKey(file string, n uint32) string {
	const hex = "0123456789abcdef"
	return sp.prefix + file + "\x00" + string([]byte{hex[n/16%16], hex[n%16]})
}

// labelKey is the exact-match key of a label: the namespace, the text and
// the base language (NUL-separated), so that one index lookup finds a label
// in "es", "es-ES" and "es-419" and the store then keeps the tags the query
// language covers.
func (sp space) labelKey(text, lang string) string {
	return sp.prefix + text + "\x00" + graph.BaseLang(lang)
}

// foldKey is labelKey over the case-folded text.
func (sp space) foldKey(text, lang string) string {
	return sp.labelKey(graph.Fold(text), lang)
}

// anyLangRange is the inclusive key range of a text's labels in every
// language: the keys that start with the namespace, the text and NUL.
func (sp space) anyLangRange(text string) (lo, hi string) {
	return sp.prefix + text + "\x00", sp.prefix + text + "\x01"
}

// langTag matches the language tags stored with @lang. Dgraph accepts any
// tag but does not escape it in its JSON answers, so anything else is
// stored untagged; kg.fact always holds the tag as given.
var langTag = regexp.MustCompile(`^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$`)

// literalPred returns the predicate a literal in lang is stored under:
// kg.literal@lang, or plain kg.literal for no or an unusual tag.
func literalPred(lang string) string {
	if langTag.MatchString(lang) {
		return predLiteral + "@" + lang
	}
	return predLiteral
}

// ref is a uid edge in a mutation.
type ref struct {
	UID string `json:"uid"`
}

// vals are a node's scalar predicates and edges, zero values left out, in
// the form a mutation writes them: strings, ints, float64s, bools, times as
// RFC 3339 strings and refs, all comparable with ==. Comparing the vals of
// the stored node with the wanted node tells what to set and what to delete,
// so rewriting unchanged data writes nothing.
type vals map[string]any

func (v vals) str(k, s string) {
	if s != "" {
		v[k] = s
	}
}

func (v vals) int(k string, n int) {
	if n != 0 {
		v[k] = n
	}
}

func (v vals) float(k string, f float64) {
	if f != 0 {
		v[k] = f
	}
}

func (v vals) time(k string, t time.Time) {
	if !t.IsZero() {
		v[k] = t.UTC().Format(time.RFC3339Nano)
	}
}

func (v vals) ref(k, uid string) {
	if uid != "" {
		v[k] = ref{UID: uid}
	}
}

// write is the mutation of one node: what to set and what to delete.
type write struct {
	set map[string]any // nil: nothing to set
	del map[string]any // nil: nothing to delete
}

// diff returns the write that turns node uid from old into new, files
// included (a list predicate: values are added and removed one by one). It
// returns a zero write when nothing changes. A blank uid ("_:x") is a new
// node.
func diff(uid string, old, new vals, oldFiles, newFiles []string) write {
	var w write
	set := func(k string, v any) {
		if w.set == nil {
			w.set = map[string]any{"uid": uid}
		}
		w.set[k] = v
	}
	del := func(k string, v any) {
		if w.del == nil {
			w.del = map[string]any{"uid": uid}
		}
		w.del[k] = v
	}
	for k, v := range new {
		if o, ok := old[k]; !ok || o != v {
			set(k, v)
		}
	}
	for k := range old {
		if _, ok := new[k]; !ok {
			del(k, nil)
		}
	}
	var add, rm []string
	for _, f := range newFiles {
		if !slices.Contains(oldFiles, f) {
			add = append(add, f)
		}
	}
	for _, f := range oldFiles {
		if !slices.Contains(newFiles, f) {
			rm = append(rm, f)
		}
	}
	if len(add) > 0 {
		set(predFiles, add)
	}
	if len(rm) > 0 {
		del(predFiles, rm)
	}
	return w
}

// deleteNode is the write that removes every predicate of a node of a kind.
func deleteNode(uid string, preds []string) write {
	d := map[string]any{"uid": uid}
	for _, p := range preds {
		d[p] = nil
	}
	return write{del: d}
}

// The predicates of each kind of node, for deleting one.
var (
	entityPreds  = []string{predEID, predType, predKey, predFiles}
	factPreds    = []string{predFID, predSubject, predObject, predPred, predLiteral, predFact, predFiles, predValidTo, predLabelKey, predLabelFold}
	segmentPreds = []string{predSID, predSegment, predFiles}
	statePreds   = []string{predStateFile, predHash, predUnits, predComplete, predUpdated}
)

// entityNode is an entity as queries return it.
type entityNode struct {
	UID    string     `json:"uid,omitempty"`
	EID    string     `json:"kg.eid,omitempty"`
	Type   string     `json:"kg.type,omitempty"`
	Key    string     `json:"kg.key,omitempty"`
	Files  []string   `json:"kg.files,omitempty"`
	Labels []factNode `json:"labels,omitempty"`
	// Facts with the entity as subject and as object (DeleteSource).
	NSubject int `json:"nsubject,omitempty"`
	NObject  int `json:"nobject,omitempty"`
}

func (n *entityNode) vals() vals {
	v := vals{}
	v.str(predType, n.Type)
	v.str(predKey, n.Key)
	return v
}

// entity converts the node to the model, with its labels in SortLabels
// order.
func (n *entityNode) entity(sp space) graph.Entity {
	e := graph.Entity{ID: sp.unkey(n.EID), Type: graph.EntityType(n.Type), Key: n.Key}
	for i := range n.Labels {
		l := &n.Labels[i]
		e.Labels = append(e.Labels, graph.Label{Text: l.Literal, Lang: l.Lang, Status: graph.Status(l.Status), Count: l.Count, Weight: l.Weight})
	}
	graph.SortLabels(e.Labels)
	return e
}

// factNode is a fact as queries return it and as Upsert wants it. The
// fields no query filters on (Lang to ValidFrom) are stored together as
// one JSON value, kg.fact: a predicate each would cost a posting list
// each, written on every upsert and kept by every index and commit.
type factNode struct {
	UID       string      `json:"uid,omitempty"`
	FID       string      `json:"kg.fid,omitempty"`
	Subject   *entityNode `json:"kg.subject,omitempty"`
	Object    *entityNode `json:"kg.object,omitempty"`
	Pred      string      `json:"kg.pred,omitempty"`
	Files     []string    `json:"kg.files,omitempty"`
	ValidTo   time.Time   `json:"kg.valid_to,omitzero"`
	LabelKey  string      `json:"kg.label_key,omitempty"`
	LabelFold string      `json:"kg.label_fold,omitempty"`
	// Data is kg.fact as stored; UnmarshalJSON decodes it into the fields
	// below, and vals encodes them.
	Data string `json:"kg.fact,omitempty"`

	Lang      string    `json:"-"`
	Status    string    `json:"-"`
	Weight    float64   `json:"-"`
	Count     int       `json:"-"`
	Sources   string    `json:"-"` // JSON []graph.Source
	ValidFrom time.Time `json:"-"`
	// Literal is stored under LiteralPred: kg.literal@tag or kg.literal,
	// queried as kg.literal@*.
	Literal     string `json:"-"`
	LiteralPred string `json:"-"`
}

// factData is the stored form of kg.fact.
type factData struct {
	Lang      string          `json:"lang,omitempty"`
	Status    string          `json:"status,omitempty"`
	Weight    float64         `json:"weight,omitempty"`
	Count     int             `json:"count,omitempty"`
	Sources   json.RawMessage `json:"sources,omitempty"`
	ValidFrom string          `json:"valid_from,omitempty"` // RFC 3339, UTC
}

// data returns kg.fact for the node's fields, "" when they are all zero.
func (n *factNode) data() (string, error) {
	d := factData{Lang: n.Lang, Status: n.Status, Weight: n.Weight, Count: n.Count}
	if n.Sources != "" {
		d.Sources = json.RawMessage(n.Sources)
	}
	if !n.ValidFrom.IsZero() {
		d.ValidFrom = n.ValidFrom.UTC().Format(time.RFC3339Nano)
	}
	if d.Lang == "" && d.Status == "" && d.Weight == 0 && d.Count == 0 && d.Sources == nil && d.ValidFrom == "" {
		return "", nil
	}
	b, err := json.Marshal(&d)
	if err != nil {
		return "", fmt.Errorf("encode fact: %w", err)
	}
	return string(b), nil
}

// decodeData sets the node's fields from kg.fact.
func (n *factNode) decodeData() error {
	if n.Data == "" {
		return nil
	}
	var d factData
	if err := json.Unmarshal([]byte(n.Data), &d); err != nil {
		return fmt.Errorf("decode %s: %w", predFact, err)
	}
	n.Lang, n.Status, n.Weight, n.Count, n.Sources = d.Lang, d.Status, d.Weight, d.Count, string(d.Sources)
	n.ValidFrom = time.Time{}
	if d.ValidFrom != "" {
		t, err := time.Parse(time.RFC3339Nano, d.ValidFrom)
		if err != nil {
			return fmt.Errorf("decode %s: %w", predFact, err)
		}
		n.ValidFrom = t.UTC()
	}
	return nil
}

// UnmarshalJSON decodes a fact, decodes kg.fact, and picks its literal out
// of whichever kg.literal@tag key the answer has.
func (n *factNode) UnmarshalJSON(b []byte) error {
	type plain factNode
	if err := json.Unmarshal(b, (*plain)(n)); err != nil {
		return err
	}
	if err := n.decodeData(); err != nil {
		return err
	}
	if !bytes.Contains(b, []byte(`"`+predLiteral)) {
		return nil
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	for k, v := range raw {
		if k == predLiteral || strings.HasPrefix(k, predLiteral+"@") {
			n.LiteralPred = k
			if err := json.Unmarshal(v, &n.Literal); err != nil {
				return fmt.Errorf("decode %s: %w", k, err)
			}
		}
	}
	return nil
}

// vals returns the node's predicates as a mutation writes them.
func (n *factNode) vals() (vals, error) {
	v := vals{}
	if n.Subject != nil {
		v.ref(predSubject, n.Subject.UID)
	}
	if n.Object != nil {
		v.ref(predObject, n.Object.UID)
	}
	v.str(predPred, n.Pred)
	if n.Literal != "" {
		v[n.LiteralPred] = n.Literal
	}
	data, err := n.data()
	if err != nil {
		return nil, err
	}
	v.str(predFact, data)
	v.time(predValidTo, n.ValidTo)
	v.str(predLabelKey, n.LabelKey)
	v.str(predLabelFold, n.LabelFold)
	return v, nil
}

// fact converts the node to the model. subject is the subject's ID when
// the query did not fetch it.
func (n *factNode) fact(sp space, subject string) (graph.Fact, error) {
	f := graph.Fact{
		ID:        sp.unkey(n.FID),
		Subject:   subject,
		Predicate: n.Pred,
		Literal:   n.Literal,
		Lang:      n.Lang,
		Status:    graph.Status(n.Status),
		Weight:    n.Weight,
		Count:     n.Count,
		ValidFrom: utc(n.ValidFrom),
		ValidTo:   utc(n.ValidTo),
	}
	if n.Subject != nil && n.Subject.EID != "" {
		f.Subject = sp.unkey(n.Subject.EID)
	}
	if n.Object != nil {
		f.Object = sp.unkey(n.Object.EID)
	}
	var err error
	if f.Sources, err = decodeSources(n.Sources); err != nil {
		return graph.Fact{}, fmt.Errorf("fact %s: %w", f.ID, err)
	}
	return f, nil
}

// segmentNode is a segment as queries return it and as Upsert wants it.
// A segment is a record that is read whole (to show it, or to rebuild the
// search indexes), so it is one JSON value: a predicate per field would
// cost a quad each on every write for nothing a query needs.
type segmentNode struct {
	UID   string   `json:"uid,omitempty"`
	SID   string   `json:"kg.sid,omitempty"`
	Data  string   `json:"kg.segment,omitempty"` // JSON graph.Segment without ID
	Files []string `json:"kg.files,omitempty"`
}

func (n *segmentNode) vals() vals {
	v := vals{}
	v.str(predSegment, n.Data)
	return v
}

// decode returns the stored segment, without its ID.
func (n *segmentNode) decode() (graph.Segment, error) {
	var sg graph.Segment
	if n.Data == "" {
		return sg, nil
	}
	if err := json.Unmarshal([]byte(n.Data), &sg); err != nil {
		return sg, fmt.Errorf("decode segment: %w", err)
	}
	sg.Changed = utc(sg.Changed)
	return sg, nil
}

// segment converts the node to the model.
func (n *segmentNode) segment(sp space) (graph.Segment, error) {
	sg, err := n.decode()
	if err != nil {
		return graph.Segment{}, fmt.Errorf("segment %s: %w", sp.unkey(n.SID), err)
	}
	sg.ID = sp.unkey(n.SID)
	return sg, nil
}

// encodeSegment returns the stored form of a segment: JSON, without the ID
// (which is kg.sid) and with Changed in UTC.
func encodeSegment(sg graph.Segment) (string, error) {
	sg.ID = ""
	sg.Changed = utc(sg.Changed)
	b, err := json.Marshal(&sg)
	if err != nil {
		return "", fmt.Errorf("encode segment: %w", err)
	}
	return string(b), nil
}

// stateNode is a source state as queries return it.
type stateNode struct {
	UID      string    `json:"uid,omitempty"`
	File     string    `json:"kg.state_file"`
	Hash     string    `json:"kg.hash"`
	Units    int       `json:"kg.units"`
	Complete bool      `json:"kg.complete"`
	Updated  time.Time `json:"kg.updated"`
}

// utc returns t in UTC, and the zero time for any zero time.
func utc(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC()
}

func encodeSources(srcs []graph.Source) (string, error) {
	if len(srcs) == 0 {
		return "", nil
	}
	b, err := json.Marshal(srcs)
	if err != nil {
		return "", fmt.Errorf("encode sources: %w", err)
	}
	return string(b), nil
}

func decodeSources(s string) ([]graph.Source, error) {
	if s == "" {
		return nil, nil
	}
	var srcs []graph.Source
	if err := json.Unmarshal([]byte(s), &srcs); err != nil {
		return nil, fmt.Errorf("decode sources: %w", err)
	}
	return srcs, nil
}

// sourceFiles returns the kg.files values of the node id with sources,
// sorted.
func sourceFiles(sp space, id string, srcs []graph.Source) []string {
	var out []string
	for _, s := range srcs {
		out = append(out, sp.fileKey(s.File, id))
	}
	slices.Sort(out)
	return slices.Compact(out)
}
