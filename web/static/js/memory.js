// Memory: concordance and fuzzy search over the translation memory, with
// filters (language pair, origin, status, date), a page at a time
// (GET /tm/segments); each hit opens its provenance and history
// (GET /tm/segments/{id}): the files or learning batches that gave it,
// the entities it mentions, the other translations of its source; a
// learn key may forget the pair (POST /forget) and undo that
// (POST /unforget).
import { get, post } from './api.js';
import { h, fill, field, errorBox, announce, badge, pager, num, when, timeEl, uid } from './dom.js';

const pageSize = 50;

// The last search, kept while the user visits other pages.
const state = { q: '', mode: 'words', target: false, min: '', source_lang: '', target_lang: '', origin: '', status: '', since: '', until: '', offset: 0, ran: false };

// The session, for what the user's role allows.
let session = { can: () => false };

export async function render(main, app) {
  session = app;
  const results = h('section', { class: 'results', 'aria-label': 'Search results' });
  main.append(h('h1', {}, 'Memory'), searchForm(results, app), results);
  if (state.ran) await search(results);
  return null;
}

function input(key, attrs) {
  return h('input', { ...attrs, value: state[key], oninput: (ev) => { state[key] = ev.target.value; } });
}

function searchForm(results, app) {
  const mode = h('select', { onchange: (ev) => { state.mode = ev.target.value; } },
    h('option', { value: 'words', selected: state.mode === 'words' }, 'Words (concordance)'),
    h('option', { value: 'fuzzy', selected: state.mode === 'fuzzy' }, 'Similar sentence (fuzzy)'));
  const target = h('input', { type: 'checkbox', id: uid('target'), checked: state.target, onchange: (ev) => { state.target = ev.target.checked; } });
  const status = h('select', { onchange: (ev) => { state.status = ev.target.value; } },
    ['', 'approved', 'translated', 'unspecified', 'machine', 'draft'].map((s) => h('option', { value: s, selected: state.status === s }, s || 'any')));
  const langs = [...new Set([...Object.keys(app.pairs), ...Object.values(app.pairs).flat()])];
  return h('form', { role: 'search', class: 'card', 'aria-label': 'Search the translation memory', onsubmit: (ev) => {
    ev.preventDefault();
    state.offset = 0;
    state.ran = true;
    search(results);
  } },
  h('div', { class: 'row' },
    field('Search memory', input('q', { type: 'search', size: 40, placeholder: 'Words or a sentence; empty lists everything the filters keep' })),
    field('Search by', mode),
    h('div', { class: 'field check' }, target, h('label', { for: target.id }, 'Search in translations')),
    h('div', { class: 'field' }, h('button', { type: 'submit', class: 'primary' }, 'Search'))),
  h('details', { class: 'filters', open: !!(state.source_lang || state.target_lang || state.origin || state.status || state.since || state.until) },
    h('summary', {}, 'Filters'),
    h('div', { class: 'row' },
      field('Source language', input('source_lang', { type: 'text', size: 6, list: 'mem-langs' })),
      field('Target language', input('target_lang', { type: 'text', size: 6, list: 'mem-langs' })),
      field('Origin contains', input('origin', { type: 'text', size: 18 }), 'a file name, or learn: for what was approved'),
      field('Status', status),
      field('Changed since', input('since', { type: 'date' })),
      field('Changed until', input('until', { type: 'date' })),
      field('Lowest score', input('min', { type: 'number', min: 1, max: 101, size: 4 }), 'similar-sentence search')),
    h('datalist', { id: 'mem-langs' }, langs.map((l) => h('option', { value: l })))));
}

async function search(results) {
  fill(results, h('p', { class: 'muted' }, 'Searching…'));
  let page;
  try {
    page = await get('/tm/segments', {
      q: state.q, mode: state.mode, target: state.target, min: state.mode === 'fuzzy' ? state.min : '',
      source_lang: state.source_lang, target_lang: state.target_lang, origin: state.origin, status: state.status,
      since: state.since, until: state.until, offset: state.offset, limit: pageSize,
    });
  } catch (err) {
    fill(results, errorBox(err));
    return;
  }
  announce(`${num(page.total)} segments found`);
  const fuzzy = state.mode === 'fuzzy' && state.q.trim() !== '';
  fill(results,
    h('h2', {}, 'Segments'),
    pager({ ...page, noun: 'segments', onPage: (o) => { state.offset = o; search(results); } }),
    page.segments.length ? h('table', { class: 'hits' },
      h('thead', {}, h('tr', {}, [fuzzy ? 'Score' : null, 'Source', 'Translation', 'Origin', 'Status', 'Changed', 'Details']
        .filter(Boolean).map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, page.segments.flatMap((m) => hitRows(m, fuzzy)))) : '');
}

function hitRows(m, fuzzy) {
  const detail = h('tr', { class: 'detail', hidden: true }, h('td', { colspan: fuzzy ? 7 : 6 }));
  const button = h('button', { type: 'button', class: 'small', 'aria-expanded': 'false', onclick: async () => {
    const open = button.getAttribute('aria-expanded') === 'true';
    button.setAttribute('aria-expanded', String(!open));
    detail.hidden = open;
    if (!open) await showDetail(detail.firstChild, m.id, m);
  } }, 'Provenance and history');
  const row = h('tr', {},
    fuzzy ? h('td', {}, `${m.score} %`) : null,
    h('td', { lang: m.source_lang }, m.source),
    h('td', { lang: m.target_lang }, m.target),
    h('td', { class: 'origin' }, m.origin),
    h('td', {}, m.status ? badge(m.status) : ''),
    h('td', {}, timeEl(m.changed, false)),
    h('td', {}, button));
  return [row, detail];
}

async function showDetail(cell, id, m) {
  fill(cell, h('p', { class: 'muted' }, 'Loading…'));
  let d;
  try {
    d = await get(`/tm/segments/${encodeURIComponent(id)}`);
  } catch (err) {
    fill(cell, errorBox(err));
    return;
  }
  const sg = d.segment;
  fill(cell, h('div', { class: 'provenance' },
    h('div', {},
      h('h3', {}, 'Provenance'),
      h('p', {}, `Segment ${sg.id}, ${sg.source_lang} → ${sg.target_lang}`, sg.domain ? `, domain ${sg.domain}` : '', `, changed ${when(sg.changed) || 'unknown'}.`),
      h('ul', {}, d.sources.map((s) => h('li', {},
        h('span', { class: 'origin' }, s.file), ` — ${num(s.count)}×`,
        s.units?.length ? `, units ${s.units.join(', ')}` : '',
        s.updated ? [', written ', timeEl(s.updated)] : '')))),
    h('div', {},
      h('h3', {}, 'History'),
      d.versions.length
        ? h('ul', {}, d.versions.map((v) => h('li', {}, h('span', { lang: v.target_lang }, v.target), ' — ', v.status ? badge(v.status) : '', ' ', timeEl(v.changed), ' ', h('span', { class: 'origin' }, v.origin))))
        : h('p', {}, 'No other translation of this source.')),
    h('div', {},
      h('h3', {}, 'Entities'),
      d.entities.length
        ? h('ul', { class: 'inline' }, d.entities.map((e) => h('li', {}, h('a', { href: `#/entity/${encodeURIComponent(e.id)}` }, e.label), ` (${e.type})`)))
        : h('p', {}, 'No entity recorded.')),
    session.can('learn') ? forgetControls(m) : ''));
}

// forgetControls forgets the pair, in every source that holds it, and
// offers to undo that.
function forgetControls(m) {
  const out = h('p', { role: 'status' });
  const forget = h('button', { type: 'button', class: 'small', onclick: async () => {
    forget.disabled = true;
    try {
      const sum = await post('/forget', { source: m.source, target: m.target, source_lang: m.source_lang, target_lang: m.target_lang });
      const undo = h('button', { type: 'button', class: 'small', onclick: async () => {
        undo.disabled = true;
        try {
          await post('/unforget', { id: sum.id });
          fill(out, 'The pair is back in the memory.');
          forget.disabled = false;
        } catch (err) {
          fill(out, errorBox(err));
          undo.disabled = false;
        }
      } }, 'Undo');
      fill(out, `Forgotten (${sum.id}): searches and translations no longer use it. `, undo);
      announce('Pair forgotten');
    } catch (err) {
      fill(out, errorBox(err));
      forget.disabled = false;
    }
  } }, 'Forget this pair');
  return h('div', {}, h('h3', {}, 'Take it back'), forget, out);
}
