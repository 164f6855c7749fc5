// Jobs and health: the imports and document translations under way with
// their progress (GET /jobs, polled while any runs), and the memory's
// state — its size, the search index and whether it is in step with the
// graph, the models, and what it learned per day as a chart
// (GET /stats, /models, /readyz, /stats/learning).
import { get, call, download } from './api.js';
import { h, fill, field, errorBox, announce, badge, progressBar, num, timeEl } from './dom.js';
import { barChart } from './chart.js';

const state = { days: 30 };

export async function render(main, app) {
  const jobsBox = h('div', {});
  const healthBox = h('div', {});
  const chartBox = h('div', {});
  main.append(h('h1', {}, 'Jobs and health'),
    h('section', { 'aria-labelledby': 'jobs-title' }, h('h2', { id: 'jobs-title' }, 'Jobs'), jobsBox),
    h('section', { 'aria-labelledby': 'health-title' }, h('h2', { id: 'health-title' }, 'Memory'), healthBox),
    h('section', { 'aria-labelledby': 'learn-title' }, h('h2', { id: 'learn-title' }, 'Learning'), chartBox));
  let timer = null;
  let stopped = false;
  const poll = async () => {
    const running = await jobs(jobsBox);
    if (!stopped) timer = setTimeout(poll, running ? 1000 : 5000);
  };
  await Promise.all([poll(), health(healthBox, app), learning(chartBox)]);
  return () => { stopped = true; clearTimeout(timer); };
}

async function jobs(box) {
  let list;
  try {
    list = (await get('/jobs')).jobs;
  } catch (err) {
    fill(box, errorBox(err));
    return false;
  }
  if (!list.length) {
    fill(box, h('p', {}, 'No jobs. Documents translated and files imported show here while they run and for a day after.'));
    return false;
  }
  fill(box, h('table', { class: 'jobs' },
    h('thead', {}, h('tr', {}, ['Job', 'Status', 'Progress', 'Started', 'Owner', 'Actions'].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, list.map((j) => {
      const name = j.summary?.name || j.kind;
      const running = j.status === 'running' || j.status === 'queued';
      return h('tr', {},
        h('td', {}, `${j.kind} `, h('code', {}, j.id.slice(0, 8)), j.summary?.name ? ` ${j.summary.name}` : ''),
        h('td', {}, badge(j.status), j.error ? h('div', { class: 'error-text' }, j.error.message) : ''),
        h('td', {}, progressBar(`Progress of ${j.kind} ${j.id.slice(0, 8)}`, j.done, running ? j.total : Math.max(j.total, j.done, 1)),
          ` ${j.phase || ''} ${num(j.done)}${j.total ? ' of ' + num(j.total) : ''}`),
        h('td', {}, timeEl(j.started || j.created)),
        h('td', {}, j.owner || 'local'),
        h('td', { class: 'actions' },
          running ? h('button', { type: 'button', class: 'small', 'aria-label': `Cancel ${j.kind} ${j.id.slice(0, 8)}`, onclick: async () => {
            await call('DELETE', `/jobs/${encodeURIComponent(j.id)}`);
            announce('Job cancelled');
            jobs(box);
          } }, 'Cancel') : '',
          j.result ? h('button', { type: 'button', class: 'small', 'aria-label': `Download ${name}`, onclick: () => download(j.result, name) }, 'Download') : ''));
    }))));
  return list.some((j) => j.status === 'running' || j.status === 'queued');
}

function dl(pairs) {
  return h('dl', { class: 'stats' }, pairs.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

async function health(box, app) {
  let stats;
  let ready = 'ready';
  try {
    stats = await get('/stats');
    const r = await fetch('/readyz');
    if (!r.ok) ready = (await r.json()).error?.message || `not ready (${r.status})`;
  } catch (err) {
    fill(box, errorBox(err));
    return;
  }
  const g = stats.graph;
  const ix = stats.index;
  const inStep = Number(ix.segments) === g.segments;
  const mb = (b) => `${(b / 1048576).toFixed(1)} MB`;
  fill(box, h('div', { class: 'cards' },
    h('div', { class: 'card' }, h('h3', {}, 'Graph'), dl([
      ['Store', stats.memory.graph], ['Segments', num(g.segments)], ['Entities', num(g.entities)],
      ['Labels', num(g.labels)], ['Facts', num(g.facts)], ['Sources', num(g.sources)],
      ['Created', timeEl(stats.memory.created)]])),
    h('div', { class: 'card' }, h('h3', {}, 'Search index'), dl([
      ['State', inStep ? badge('in step', 'ok') : badge(`catching up: ${num(ix.segments)} of ${num(g.segments)} segments`, 'warn')],
      ['Segments', num(ix.segments)], ['Entities', num(ix.entities)], ['Generation', ix.generation], ['Shards', ix.shards],
      ['Size', mb(ix.bytes)],
      ['Language pairs', Object.entries(ix.pairs || {}).map(([f, ts]) => ts.map((t) => `${f}→${t}`).join(', ')).join(', ')]])),
    h('div', { class: 'card' }, h('h3', {}, 'Server and models'), dl([
      ['Server', ready === 'ready' ? badge('ready', 'ok') : badge(ready, 'warn')],
      ...app.models.map((m) => [m.name + (m.name === app.model ? ' (default)' : ''), badge(m.status, m.status === 'built-in' || m.status === 'trusted' ? 'ok' : 'warn')])]))));
}

async function learning(box) {
  let stats;
  try {
    stats = await get('/stats/learning', { days: state.days });
  } catch (err) {
    fill(box, errorBox(err));
    return;
  }
  const days = stats.days;
  const total = (k) => days.reduce((n, d) => n + d[k], 0);
  const select = h('select', { onchange: (ev) => { state.days = Number(ev.target.value); learning(box); } },
    [7, 30, 90, 365].map((d) => h('option', { value: d, selected: d === state.days }, `${d} days`)));
  fill(box,
    h('div', { class: 'row' }, field('Period', select)),
    h('p', {}, `In the last ${state.days} days: ${num(total('pairs'))} pairs approved and learned in ${num(total('batches'))} calls, `,
      `${num(total('terms'))} term changes, ${num(total('imports'))} files imported.`),
    barChart(days, 'pairs', `Pairs learned per day, last ${state.days} days: ${num(total('pairs'))} in all`),
    h('details', {}, h('summary', {}, 'The numbers'),
      h('table', {},
        h('thead', {}, h('tr', {}, ['Day', 'Pairs learned', 'Learn calls', 'Term changes', 'Files imported'].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, days.filter((d) => d.pairs || d.batches || d.terms || d.imports).map((d) => h('tr', {},
          h('td', {}, d.day), h('td', {}, num(d.pairs)), h('td', {}, num(d.batches)), h('td', {}, num(d.terms)), h('td', {}, num(d.imports))))))));
}
