// Translate & review: pasted text or a document is translated with the
// memory (POST /translate, or POST /documents as a job); each segment
// shows its status, its translation, the memory that was used and its
// warnings. An approved translation is learned at once (POST /learn), and
// the segments not yet reviewed are translated again, so that the next
// identical or similar one shows it.
import { post, call, download, waitJob } from './api.js';
import { h, fill, field, notice, errorBox, announce, badge, progressBar, pager, statusLabel, uid, num, when } from './dom.js';
import { diffView } from './diff.js';

const pageSize = 50;
const batchSize = 50; // segments per translate request

// The work in progress outlives a visit to another page.
const state = {
  segments: [],
  offset: 0,
  from: '',
  to: '',
  model: '',
  doc: null, // {file, job, approvedAtJob}
  memoryVersion: 0, // counts approvals: a segment translated before one may be stale
  approvals: 0,
};

const problemNames = {
  placeholder: 'Placeholder changed',
  code: 'Inline code changed',
  accelerator: 'Accelerator changed',
  term: 'Missing required term',
  empty: 'Empty translation',
};

export async function render(main, app) {
  state.from ||= app.from;
  state.to ||= app.to;
  state.model ||= app.model;
  main.append(h('h1', {}, 'Translate & review'));
  if (!app.can('translate')) {
    main.append(notice('info', `Your key has the role ${app.session.role}: it can search the memory and the graph, but not translate. ` +
      'Translating needs the role translate; approving translations needs learn.'));
    return null;
  }
  const list = h('section', { class: 'segments', 'aria-labelledby': 'segments-title' });
  const out = h('div', { class: 'status-area' });
  main.append(form(app, list, out), out, list);
  renderSegments(list, app);
  return null;
}

function langInput(label, value, onchange, langs) {
  const id = uid('lang');
  const input = h('input', { type: 'text', value, size: 6, required: true, list: id + '-list', autocomplete: 'off', spellcheck: 'false',
    onchange: (ev) => onchange(ev.target.value.trim()) });
  return [field(label, input), h('datalist', { id: id + '-list' }, langs.map((l) => h('option', { value: l })))];
}

function form(app, list, out) {
  const source = h('textarea', { rows: 6, placeholder: 'One segment a line', spellcheck: 'true', lang: state.from });
  const fileInput = h('input', { type: 'file', accept: '.po,.pot,.xlf,.xliff,.sdlxliff,.tmx,.tsv,.csv,.txt' });
  const langs = [...new Set([...Object.keys(app.pairs), ...Object.values(app.pairs).flat()])];
  const model = h('select', { onchange: (ev) => { state.model = ev.target.value; } },
    app.models.map((m) => h('option', { value: m.name, selected: m.name === state.model }, m.name)));
  const dropHint = h('p', { class: 'hint', id: 'drop-hint' }, 'Paste text (one segment a line), or choose or drop a document: PO, XLIFF, TMX, TSV or text.');
  const f = h('form', {
    class: 'card translate-form',
    'aria-label': 'Text to translate',
    ondragover: (ev) => { ev.preventDefault(); f.classList.add('dragging'); },
    ondragleave: () => f.classList.remove('dragging'),
    ondrop: (ev) => {
      ev.preventDefault();
      f.classList.remove('dragging');
      if (ev.dataTransfer.files.length) {
        fileInput.files = ev.dataTransfer.files;
        announce(`Document ${fileInput.files[0].name} chosen`);
      }
    },
    onsubmit: async (ev) => {
      ev.preventDefault();
      const button = f.querySelector('button[type=submit]');
      button.disabled = true;
      try {
        if (fileInput.files.length) await translateDocument(fileInput.files[0], list, out, app);
        else await translateText(source.value, list, out, app);
      } catch (err) {
        fill(out, errorBox(err));
      } finally {
        button.disabled = false;
      }
    },
  },
  h('div', { class: 'row' },
    langInput('From', state.from, (v) => { state.from = v; source.lang = v; }, langs),
    langInput('To', state.to, (v) => { state.to = v; }, langs),
    field('Model', model)),
  field('Source text', source),
  h('div', { class: 'row' }, field('Document', fileInput), dropHint),
  h('div', { class: 'actions' },
    h('button', { type: 'submit', class: 'primary' }, 'Translate'),
    h('button', { type: 'button', onclick: () => { source.value = ''; fileInput.value = ''; state.segments = []; state.doc = null; renderSegments(list, app); fill(out); } }, 'Clear')));
  source.setAttribute('aria-describedby', 'drop-hint');
  return f;
}

/** Splits pasted text into segments, one a line, each with its neighbours. */
function segmentsOf(text) {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  return lines.map((l, i) => ({ n: i + 1, id: String(i + 1), source: l, prev: lines[i - 1] || '', next: lines[i + 1] || '' }));
}

async function translateBatch(segs) {
  const resp = await post('/translate', {
    model: state.model, source_lang: state.from, target_lang: state.to, explain: true,
    segments: segs.map((s) => ({ id: s.id, text: s.source, prev: s.prev, next: s.next })),
  });
  resp.results.forEach((r, i) => setResult(segs[i], r));
}

function setResult(seg, r) {
  seg.result = r;
  seg.draft = r.translation;
  seg.version = state.memoryVersion;
}

async function translateText(text, list, out, app) {
  const segs = segmentsOf(text);
  if (!segs.length) {
    fill(out, notice('warn', 'Type or paste the text to translate in Source text, or choose a document.'));
    return;
  }
  state.doc = null;
  const bar = progressBar('Translating', 0, segs.length);
  fill(out, h('p', {}, `Translating ${num(segs.length)} segments… `, bar));
  for (let i = 0; i < segs.length; i += batchSize) {
    await translateBatch(segs.slice(i, i + batchSize));
    bar.value = Math.min(segs.length, i + batchSize);
  }
  state.segments = segs;
  state.offset = 0;
  fill(out);
  renderSegments(list, app);
  announce(`${segs.length} segments translated`);
}

async function runDocument(file, out, explain) {
  const job = await call('POST', '/documents', {
    body: file,
    query: { name: file.name, source_lang: state.from, target_lang: state.to, model: state.model, explain },
  });
  const bar = progressBar(`Translating ${file.name}`, 0, 0);
  const phase = h('span', {}, 'queued');
  fill(out, h('p', {}, `Document ${file.name}: `, phase, ' ', bar));
  const done = await waitJob(job.id, (j) => {
    phase.textContent = `${j.phase || j.status} (${num(j.done)} segments)`;
    if (j.total > 0) { bar.max = j.total; bar.value = j.done; }
  });
  if (done.status !== 'done') throw new Error(`the document job ${done.status}: ${done.error?.message || ''}`);
  return done;
}

async function translateDocument(file, list, out, app) {
  const job = await runDocument(file, out, true);
  const results = job.summary?.segments || [];
  state.segments = results.map((r, i) => {
    const seg = { n: i + 1, id: r.id || String(i + 1), source: r.source, prev: results[i - 1]?.source || '', next: results[i + 1]?.source || '' };
    setResult(seg, r);
    return seg;
  });
  state.offset = 0;
  state.doc = { file, job, approvedAtJob: state.approvals };
  fill(out, notice('ok', `${file.name}: ${num(job.summary.translated ?? results.length)} segments translated.`));
  renderSegments(list, app);
  announce(`${file.name} translated: ${results.length} segments`);
}

/** Downloads the document translated again, so that approvals are in it. */
async function downloadDocument(out) {
  const doc = state.doc;
  try {
    if (state.approvals > doc.approvedAtJob) {
      doc.job = await runDocument(doc.file, out, false);
      doc.approvedAtJob = state.approvals;
    }
    const name = await download(doc.job.result, doc.file.name);
    fill(out, notice('ok', `Downloaded ${name}.`));
  } catch (err) {
    fill(out, errorBox(err));
  }
}

function downloadText() {
  const text = state.segments.map((s) => s.draft).join('\n') + '\n';
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
  const a = h('a', { href: url, download: `translation.${state.to}.txt` });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function renderSegments(list, app) {
  if (!state.segments.length) {
    fill(list);
    return;
  }
  const out = h('div', {});
  const approved = state.segments.filter((s) => s.approved).length;
  const page = state.segments.slice(state.offset, state.offset + pageSize);
  fill(list,
    h('div', { class: 'list-head' },
      h('h2', { id: 'segments-title' }, 'Segments'),
      h('p', {}, `${num(state.segments.length)} segments, ${num(approved)} approved.`),
      state.doc
        ? h('button', { type: 'button', onclick: () => downloadDocument(out) }, 'Download translated document')
        : h('button', { type: 'button', onclick: downloadText }, 'Download translation'),
      keyboardHelp(app)),
    out,
    state.doc && app.can('learn') ? h('p', { class: 'hint' }, 'The download is the document translated again with the memory: approved segments are in it, edits not approved are not.') : '',
    pager({ total: state.segments.length, offset: state.offset, limit: pageSize, noun: 'segments',
      onPage: (o) => { state.offset = o; renderSegments(list, app); refreshStale(list, app); } }),
    h('ol', { class: 'seg-list', start: state.offset + 1 }, page.map((s) => segmentView(s, list, app))));
}

function keyboardHelp(app) {
  return h('details', { class: 'keys' }, h('summary', {}, 'Keyboard'),
    h('dl', {},
      app.can('learn') ? [h('dt', {}, 'Ctrl+Enter'), h('dd', {}, 'approve the translation and go to the next segment')] : '',
      h('dt', {}, 'Alt+↓ / Alt+↑'), h('dd', {}, 'next / previous segment'),
      h('dt', {}, 'Ctrl+Insert'), h('dd', {}, 'copy the source into the translation')));
}

function segmentView(seg, list, app) {
  const head = uid('seg');
  const area = h('textarea', { rows: 2, lang: state.to, class: 'target', id: uid('tgt'), 'data-n': seg.n, spellcheck: 'true' });
  area.value = seg.draft;
  const warnList = h('ul', { class: 'warnings', 'aria-label': `Warnings of segment ${seg.n}` });
  const showWarnings = () => fill(warnList, warnings(seg).map((w) => h('li', {}, h('strong', {}, w.name), w.detail ? `: ${w.detail}` : '')));
  area.addEventListener('input', () => {
    seg.draft = area.value;
    seg.edited = seg.draft !== seg.result.translation;
    showWarnings();
  });
  area.addEventListener('keydown', (ev) => keys(ev, seg, list, app));
  const status = [badge(statusLabel(seg.result), seg.result.status)];
  if (seg.approved) status.push(badge('approved', 'approved'));
  else if (seg.edited) status.push(badge('edited', 'edited'));
  const li = h('li', { class: `seg${seg.approved ? ' is-approved' : ''}`, id: `seg-${seg.n}`, 'aria-labelledby': head },
    h('div', { class: 'seg-head' }, h('h3', { id: head }, `Segment ${seg.n}`), status),
    h('div', { class: 'seg-body' },
      h('div', { class: 'src' },
        h('p', { class: 'source-text', lang: state.from }, seg.source),
        h('button', { type: 'button', class: 'small', 'aria-describedby': head, onclick: () => copySource(seg, area) }, 'Copy source')),
      h('div', { class: 'tgt' },
        h('label', { for: area.id, class: 'visually-hidden' }, `Translation of segment ${seg.n}`),
        area,
        app.can('learn') ? h('button', { type: 'button', class: 'primary small', 'aria-describedby': head, onclick: () => approve(seg, list, app) }, 'Approve') : '')),
    warnList,
    memoryView(seg));
  showWarnings();
  return li;
}

function copySource(seg, area) {
  area.value = seg.source;
  area.dispatchEvent(new Event('input'));
  area.focus();
}

function focusSegment(n, list, app) {
  if (n < 1 || n > state.segments.length) return;
  if (n <= state.offset || n > state.offset + pageSize) {
    state.offset = Math.floor((n - 1) / pageSize) * pageSize;
    renderSegments(list, app);
    refreshStale(list, app);
  }
  const area = list.querySelector(`textarea[data-n="${n}"]`);
  if (area) {
    area.focus();
    area.closest('li')?.scrollIntoView({ block: 'nearest' });
  }
}

function keys(ev, seg, list, app) {
  if ((ev.ctrlKey || ev.metaKey) && ev.key === 'Enter') {
    ev.preventDefault();
    if (app.can('learn')) approve(seg, list, app);
  } else if (ev.altKey && ev.key === 'ArrowDown') {
    ev.preventDefault();
    focusSegment(seg.n + 1, list, app);
  } else if (ev.altKey && ev.key === 'ArrowUp') {
    ev.preventDefault();
    focusSegment(seg.n - 1, list, app);
  } else if (ev.ctrlKey && ev.key === 'Insert') {
    ev.preventDefault();
    copySource(seg, ev.target);
  }
}

/** Learns the segment's translation, then translates the stale segments again and moves on. */
async function approve(seg, list, app) {
  const li = list.querySelector(`#seg-${seg.n}`);
  const target = seg.draft.trim();
  if (!target) {
    announce(`Segment ${seg.n} has no translation to approve`);
    return;
  }
  try {
    await post('/learn', { source_lang: state.from, target_lang: state.to, pairs: [{ source: seg.result.source, target }] });
  } catch (err) {
    li?.append(errorBox(err));
    return;
  }
  seg.approved = true;
  seg.draft = target;
  state.memoryVersion++;
  state.approvals++;
  li?.replaceWith(segmentView(seg, list, app));
  announce(`Segment ${seg.n} approved and learned`);
  await refreshStale(list, app);
  const next = state.segments.find((s) => s.n > seg.n && !s.approved) || state.segments.find((s) => !s.approved);
  if (next) focusSegment(next.n, list, app);
}

/** Translates again the segments of the page that the memory changed under (not reviewed ones only). */
async function refreshStale(list, app) {
  const page = state.segments.slice(state.offset, state.offset + pageSize);
  const stale = page.filter((s) => !s.approved && !s.edited && s.version < state.memoryVersion);
  for (let i = 0; i < stale.length; i += batchSize) {
    try {
      await translateBatch(stale.slice(i, i + batchSize));
    } catch (err) {
      announce(`Could not translate again: ${err.message}`);
      return;
    }
  }
  for (const s of stale) list.querySelector(`#seg-${s.n}`)?.replaceWith(segmentView(s, list, app));
}

// Placeholders and tags as the checks count them: printf, {0}, ${x}, <b>.
const placeholderPattern = /%(?:\d+\$)?[-+ #0]*\d*(?:\.\d+)?[a-zA-Z@]|\{\{?[^{}\s]*\}\}?|\$\{[^}\s]+\}|<\/?[a-zA-Z][^<>]*>/g;

function multiset(text) {
  const m = new Map();
  for (const p of text.match(placeholderPattern) || []) m.set(p, (m.get(p) || 0) + 1);
  return m;
}

function containsWord(text, word) {
  return text.toLocaleLowerCase().includes(word.toLocaleLowerCase());
}

/** The warnings of a segment: the server's checks, or, once edited, the same checks made here. */
function warnings(seg) {
  const r = seg.result;
  if (!seg.edited) {
    return (r.checks?.problems || []).map((p) => ({ name: problemNames[p.kind] || p.kind, detail: p.detail }));
  }
  const out = [];
  if (!seg.draft.trim()) out.push({ name: problemNames.empty });
  for (const t of r.memory?.terms || []) {
    if (t.required && !containsWord(seg.draft, t.target)) out.push({ name: problemNames.term, detail: `“${t.source}” should be translated “${t.target}”` });
  }
  const want = multiset(seg.source);
  const got = multiset(seg.draft);
  for (const [p, n] of want) if ((got.get(p) || 0) < n) out.push({ name: problemNames.placeholder, detail: `${p} is missing` });
  for (const [p, n] of got) if ((want.get(p) || 0) < n) out.push({ name: problemNames.placeholder, detail: `${p} is not in the source` });
  return out;
}

const pct = (w) => `${Math.round(w * 100)} %`;

function memoryView(seg) {
  const m = seg.result.memory || {};
  const matches = m.matches || [];
  const terms = m.terms || [];
  const facts = m.facts || [];
  const dropped = (m.explanation || []).filter((d) => !d.kept);
  const count = (n, one, many) => `${n} ${n === 1 ? one : many}`;
  return h('details', { class: 'memory' },
    h('summary', {}, `Memory used: ${count(matches.length, 'match', 'matches')}, ${count(terms.length, 'term', 'terms')}, ${count(facts.length, 'fact', 'facts')}`),
    matches.length ? h('table', {},
      h('caption', {}, 'Translation-memory matches (differences with the segment: struck only in the match, underlined only in the segment)'),
      h('thead', {}, h('tr', {}, ['Score', 'Weight', 'Source', 'Translation', 'Origin', 'Changed'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, matches.map((x) => h('tr', {},
        h('td', {}, `${x.score} %`), h('td', {}, pct(x.weight)),
        h('td', { lang: state.from }, diffView(x.source, seg.result.source)),
        h('td', { lang: state.to }, x.target),
        h('td', { class: 'origin' }, x.origin || ''), h('td', {}, when(x.changed, false)))))) : '',
    terms.length ? h('table', {},
      h('caption', {}, 'Terms'),
      h('thead', {}, h('tr', {}, ['Term', 'Translation', 'Status', 'Seen', 'Weight', 'Other translations'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, terms.map((t) => h('tr', {},
        h('td', {}, t.entity_id ? h('a', { href: `#/entity/${encodeURIComponent(t.entity_id)}` }, t.source) : t.source),
        h('td', { lang: state.to }, t.target),
        h('td', {}, badge(t.status || 'learned', t.status || 'learned'), t.required ? ' required' : ''),
        h('td', {}, num(t.count)), h('td', {}, pct(t.weight)),
        h('td', {}, (t.suggestions || []).map((s) => `${s.target}${s.status ? ` (${s.status})` : ''}`).join(', ')))))) : '',
    facts.length ? h('table', {},
      h('caption', {}, 'Facts'),
      h('thead', {}, h('tr', {}, ['Subject', 'Predicate', 'Object', 'Hops', 'Weight'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, facts.map((f) => h('tr', {},
        h('td', {}, f.entity_id ? h('a', { href: `#/entity/${encodeURIComponent(f.entity_id)}` }, f.subject) : f.subject),
        h('td', {}, f.predicate), h('td', {}, f.object), h('td', {}, f.hops), h('td', {}, pct(f.weight)))))) : '',
    dropped.length ? h('div', {}, h('h4', {}, 'Not used'), h('ul', { class: 'dropped' }, dropped.map((d) => h('li', {}, `${d.kind}: ${d.item} — ${d.reason}`)))) : '',
    !matches.length && !terms.length && !facts.length ? h('p', {}, 'The memory had nothing for this segment.') : '');
}
