// Graph: search entities by name (GET /entities/search); an entity's page
// with its labels per language, its translations ranked (status, counts,
// first and last seen), the labels it no longer has, its facts, the
// segments that mention it, and its neighbourhood drawn with Cytoscape.js
// (clicking a node opens it). Terminologists deprecate or prefer a
// translation from here (POST /terms).
import { get, post } from './api.js';
import { h, fill, field, notice, errorBox, announce, badge, pager, num, when, timeEl, uid } from './dom.js';

const state = { q: '', hits: null };

export async function render(main, app) {
  const results = h('section', { class: 'results', 'aria-label': 'Entities found' });
  main.append(h('h1', {}, 'Graph'), searchForm(results, app), results);
  if (state.hits) showHits(results);
  else fill(results, h('p', { class: 'muted' }, 'Search the entities and terms of the memory by name: a misspelt or inflected name finds them too.'));
  return null;
}

function searchForm(results, app) {
  const q = h('input', { type: 'search', size: 32, value: state.q, oninput: (ev) => { state.q = ev.target.value; } });
  return h('form', { role: 'search', class: 'card', 'aria-label': 'Search the graph', onsubmit: async (ev) => {
    ev.preventDefault();
    if (!state.q.trim()) return;
    if (!location.hash.startsWith('#/graph')) {
      location.hash = '#/graph';
      return; // the graph page runs the search
    }
    try {
      state.hits = (await get('/entities/search', { q: state.q, lang: app.from, limit: 50 })).entities;
      showHits(results);
      announce(`${state.hits.length} entities found`);
    } catch (err) {
      fill(results, errorBox(err));
    }
  } },
  h('div', { class: 'row' }, field('Search entities', q), h('div', { class: 'field' }, h('button', { type: 'submit', class: 'primary' }, 'Search'))));
}

function showHits(results) {
  fill(results, h('h2', {}, 'Entities'),
    state.hits.length
      ? h('ul', { class: 'entity-hits' }, state.hits.map((e) => h('li', {}, h('a', { href: `#/entity/${encodeURIComponent(e.id)}` }, e.label), ' ', badge(e.type, 'type'))))
      : h('p', {}, 'No entity has a name like this.'));
}

/** The entity page. */
export async function renderEntity(main, app, [id]) {
  const q = { lang: app.from, target_lang: app.to, limit: 25 };
  const [view, history] = await Promise.all([
    get(`/entities/${encodeURIComponent(id)}`, q),
    get(`/entities/${encodeURIComponent(id)}/history`, { lang: app.from }),
  ]);
  const graphBox = h('div', {});
  const segBox = h('div', {});
  const refresh = () => app.reload();
  main.append(
    h('p', { class: 'crumbs' }, h('a', { href: '#/graph' }, 'Graph'), ' › entity'),
    h('h1', {}, view.label || view.key),
    h('p', {}, badge(view.type, 'type'), ' ', h('code', {}, view.key), ' · ', h('span', { class: 'muted' }, `ID ${view.entity}`)),
    h('section', { 'aria-labelledby': 'tr-title' }, h('h2', { id: 'tr-title' }, `Translations (${app.to})`),
      translationsTable(view, history, app, refresh)),
    h('section', { 'aria-labelledby': 'lab-title' }, h('h2', { id: 'lab-title' }, 'Labels per language'), labelsView(history)),
    h('section', { 'aria-labelledby': 'hist-title' }, h('h2', { id: 'hist-title' }, 'Superseded'), supersededView(history)),
    h('section', { 'aria-labelledby': 'facts-title' }, h('h2', { id: 'facts-title' }, 'Facts'), factsView(view)),
    h('section', { 'aria-labelledby': 'nb-title' }, h('h2', { id: 'nb-title' }, 'Neighbourhood'), graphBox),
    h('section', { 'aria-labelledby': 'seg-title' }, h('h2', { id: 'seg-title' }, 'Segments that mention it'), segBox));
  const stop = neighbourhood(graphBox, view, app);
  mentions(segBox, view.entity, 0);
  return stop;
}

/** When the memory first and last saw a translation: over its current labels in the target language. */
function seen(history, text, to) {
  const base = to.split('-')[0].toLowerCase();
  let first = '';
  let last = '';
  for (const l of history.labels) {
    if (!l.current || l.text !== text || l.lang.split('-')[0].toLowerCase() !== base) continue;
    if (!first || l.first_seen < first) first = l.first_seen;
    if (l.last_seen && (!last || l.last_seen > last)) last = l.last_seen;
  }
  return { first, last };
}

/** The translations of an entity ranked, with the actions a terminologist may take. */
export function translationsTable(view, history, app, onChange) {
  const out = h('div', {});
  if (!view.translations.length) return h('p', {}, `No translation into ${app.to} is known.`);
  const canEdit = app.can('learn') && view.type === 'term';
  const setStatus = async (t, status, button) => {
    button.disabled = true;
    try {
      await post('/terms', { source_lang: app.from, target_lang: t.lang, source: view.label, target: t.text, status });
      announce(`${t.text} is now ${status}`);
      onChange();
    } catch (err) {
      fill(out, errorBox(err));
      button.disabled = false;
    }
  };
  return h('div', {}, h('table', { class: 'translations' },
    h('thead', {}, h('tr', {}, ['Rank', 'Translation', 'Language', 'Status', 'Seen', 'Weight', 'First seen', 'Last seen', canEdit ? 'Actions' : null]
      .filter(Boolean).map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, view.translations.map((t, i) => {
      const s = seen(history, t.text, t.lang);
      const actions = [];
      if (canEdit && t.status !== 'preferred') {
        const b = h('button', { type: 'button', class: 'small', 'aria-label': `Make preferred: ${t.text}`, onclick: () => setStatus(t, 'preferred', b) }, 'Make preferred');
        actions.push(b);
      }
      if (canEdit && t.status !== 'deprecated') {
        const b = h('button', { type: 'button', class: 'small', 'aria-label': `Deprecate: ${t.text}`, onclick: () => setStatus(t, 'deprecated', b) }, 'Deprecate');
        actions.push(b);
      }
      return h('tr', { class: t.status === 'deprecated' ? 'deprecated' : '' },
        h('td', {}, i + 1), h('td', { lang: t.lang }, t.text), h('td', {}, t.lang),
        h('td', {}, badge(t.status || 'learned', t.status || 'learned')), h('td', {}, `${num(t.count)}×`),
        h('td', {}, `${Math.round(t.score * 100)} %`), h('td', {}, when(s.first, false)), h('td', {}, when(s.last, false)),
        canEdit ? h('td', { class: 'actions' }, actions) : null);
    }))), out);
}

function labelsView(history) {
  const byLang = new Map();
  for (const l of history.labels) {
    if (!l.current) continue;
    if (!byLang.has(l.lang)) byLang.set(l.lang, []);
    byLang.get(l.lang).push(l);
  }
  if (!byLang.size) return h('p', {}, 'No label.');
  return h('dl', { class: 'labels' }, [...byLang].map(([lang, ls]) => [
    h('dt', {}, lang),
    h('dd', {}, ls.map((l, i) => [i ? ', ' : '', h('span', { lang }, l.text), ` (${l.status ? l.status + ', ' : ''}${num(l.count)}×)`])),
  ]));
}

function supersededView(history) {
  const old = history.labels.filter((l) => !l.current);
  if (!old.length) return h('p', {}, 'Nothing superseded: every label this entity ever had is current.');
  return h('table', {},
    h('thead', {}, h('tr', {}, ['Label', 'Language', 'Status', 'First seen', 'Superseded', 'Sources'].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, old.map((l) => h('tr', {},
      h('td', { lang: l.lang }, h('del', {}, l.text)), h('td', {}, l.lang), h('td', {}, l.status || 'learned'),
      h('td', {}, timeEl(l.first_seen)), h('td', {}, timeEl(l.superseded)),
      h('td', { class: 'origin' }, l.sources.map((s) => s.file).join(', '))))));
}

function factsView(view) {
  if (!view.facts.length) return h('p', {}, 'No literal facts.');
  return h('table', {},
    h('thead', {}, h('tr', {}, ['Predicate', 'Value', 'Language', 'Seen'].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, view.facts.map((f) => h('tr', {},
      h('td', {}, f.predicate), h('td', { lang: f.lang || null }, f.label), h('td', {}, f.lang || ''), h('td', {}, `${num(f.count)}×`)))));
}

async function mentions(box, id, offset) {
  const limit = 10;
  let page;
  try {
    page = await get(`/entities/${encodeURIComponent(id)}/segments`, { offset, limit });
  } catch (err) {
    fill(box, errorBox(err));
    return;
  }
  fill(box,
    pager({ ...page, noun: 'segments', onPage: (o) => mentions(box, id, o) }),
    page.segments.length ? h('table', {},
      h('thead', {}, h('tr', {}, ['Source', 'Translation', 'Origin', 'Changed'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, page.segments.map((m) => h('tr', {},
        h('td', { lang: m.source_lang }, m.source), h('td', { lang: m.target_lang }, m.target),
        h('td', { class: 'origin' }, m.origin), h('td', {}, when(m.changed, false)))))) : '');
}

const typeColours = {
  term: '#1f5fa8', product: '#8a3ea0', name: '#9a5b00', code: '#2f6b3a', domain: '#5a5a5a',
};

/** Draws the neighbourhood and lists it (the list is the drawing's text alternative). */
function neighbourhood(box, view, app) {
  const hops = h('select', {}, [1, 2].map((n) => h('option', { value: n }, String(n))));
  const nodes = h('select', {}, [60, 200, 1000].map((n) => h('option', { value: n }, String(n))));
  const canvas = h('div', { class: 'cy', role: 'img', id: uid('cy') });
  const info = h('div', {});
  let cy = null;
  let gone = false;
  const draw = async () => {
    fill(info, h('p', { class: 'muted' }, 'Loading the neighbourhood…'));
    let n;
    try {
      n = await get(`/entities/${encodeURIComponent(view.entity)}/neighbourhood`, { hops: hops.value, nodes: nodes.value, lang: app.from });
    } catch (err) {
      fill(info, errorBox(err));
      return;
    }
    const labels = new Map(n.nodes.map((x) => [x.id, x.label]));
    canvas.setAttribute('aria-label', `Neighbourhood of ${view.label}: ${n.nodes.length} entities and ${n.edges.length} links; the list below names them.`);
    const shown = n.nodes.slice(1, 101);
    fill(info,
      n.capped ? notice('info', `More entities are linked than ${num(n.cap)}: the strongest links are drawn. Choose more nodes to see more.`) : '',
      h('p', {}, `${num(n.nodes.length - 1)} linked entities, ${num(n.edges.length)} links.`),
      h('details', {}, h('summary', {}, 'Linked entities as a list'),
        h('ul', { class: 'inline' }, shown.map((x) => h('li', {}, h('a', { href: `#/entity/${encodeURIComponent(x.id)}` }, x.label), ` (${x.type}, ${x.hops} hop${x.hops > 1 ? 's' : ''})`))),
        n.nodes.length - 1 > shown.length ? h('p', {}, `The list shows the first ${shown.length}; the drawing has them all.`) : ''));
    const { default: cytoscape } = await import('../vendor/cytoscape/cytoscape.esm.min.mjs');
    if (gone) return;
    cy?.destroy();
    const big = n.nodes.length > 150;
    cy = cytoscape({
      container: canvas,
      elements: [
        ...n.nodes.map((x) => ({ data: { id: x.id, label: x.label, type: x.type, hops: x.hops, center: x.id === n.center ? 1 : 0 } })),
        ...n.edges.filter((e) => labels.has(e.source) && labels.has(e.target))
          .map((e) => ({ data: { id: e.id, source: e.source, target: e.target, predicate: e.predicate, weight: e.weight } })),
      ],
      style: [
        { selector: 'node', style: {
          label: big ? '' : 'data(label)', 'font-size': 11, color: '#1a1a1a', 'text-valign': 'bottom', 'text-margin-y': 3,
          'background-color': (el) => typeColours[el.data('type')] || '#666', width: 14, height: 14,
        } },
        { selector: 'node[center = 1]', style: { width: 26, height: 26, 'background-color': '#c0392b', label: 'data(label)', 'font-weight': 'bold' } },
        { selector: 'edge', style: { width: 1, 'line-color': '#9aa5b1', 'curve-style': 'haystack', opacity: 0.7 } },
        { selector: 'node:selected', style: { 'border-width': 3, 'border-color': '#000' } },
      ],
      layout: big
        ? { name: 'concentric', concentric: (node) => 3 - node.data('hops'), levelWidth: () => 1, animate: false, minNodeSpacing: 4 }
        : { name: 'cose', animate: false, randomize: false, nodeRepulsion: () => 8000, idealEdgeLength: () => 60 },
      minZoom: 0.1,
      maxZoom: 4,
    });
    cy.on('tap', 'node', (ev) => {
      const id = ev.target.id();
      if (id !== n.center) location.hash = `#/entity/${encodeURIComponent(id)}`;
    });
    canvas.kgmemGraph = cy; // for scripts that drive the page (the browser tests click nodes)
    canvas.dataset.nodes = String(cy.nodes().length);
    canvas.dataset.edges = String(cy.edges().length);
  };
  hops.addEventListener('change', draw);
  nodes.addEventListener('change', draw);
  fill(box, h('div', { class: 'row' }, field('Hops', hops), field('Nodes at most', nodes)), canvas, info);
  draw();
  return () => { gone = true; cy?.destroy(); cy = null; };
}
