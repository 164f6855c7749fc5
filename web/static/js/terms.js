// Terms: add a term and its translation with a status, change a status
// (deprecate one), import a term base (TBX, CSV, TSV) as a job — all
// through the API (POST /terms, POST /imports), and visible in the graph
// at once: the term's entity page shows it.
import { get, post, call, waitJob } from './api.js';
import { h, fill, field, notice, errorBox, announce, progressBar, num } from './dom.js';
import { translationsTable } from './graph.js';

export async function render(main, app) {
  main.append(h('h1', {}, 'Terms'));
  if (!app.can('learn')) {
    main.append(notice('info', `Your key has the role ${app.session.role}: it can read terms in the graph, not change them. Adding and deprecating terms needs the role learn; importing a term base needs admin.`));
    return null;
  }
  const result = h('div', { class: 'status-area' });
  main.append(addForm(app, result), result);
  if (app.can('admin')) main.append(importForm(app));
  return null;
}

function addForm(app, result) {
  const source = h('input', { type: 'text', required: true, size: 28, lang: app.from });
  const target = h('input', { type: 'text', required: true, size: 28, lang: app.to });
  const from = h('input', { type: 'text', required: true, size: 6, value: app.from });
  const to = h('input', { type: 'text', required: true, size: 6, value: app.to });
  const status = h('select', {}, ['preferred', 'admitted', 'deprecated'].map((s) => h('option', { value: s }, s)));
  const show = async (entity) => {
    const [view, history] = await Promise.all([
      get(`/entities/${encodeURIComponent(entity)}`, { lang: from.value, target_lang: to.value, limit: 5 }),
      get(`/entities/${encodeURIComponent(entity)}/history`, { lang: from.value }),
    ]);
    fill(result, h('section', { class: 'card', 'aria-labelledby': 'term-title' },
      h('h2', { id: 'term-title' }, h('a', { href: `#/entity/${encodeURIComponent(entity)}` }, view.label)),
      translationsTable(view, history, { ...app, from: from.value, to: to.value }, () => show(entity))));
  };
  return h('form', { class: 'card', 'aria-labelledby': 'add-title', onsubmit: async (ev) => {
    ev.preventDefault();
    try {
      const sum = await post('/terms', { source_lang: from.value.trim(), target_lang: to.value.trim(), source: source.value, target: target.value, status: status.value });
      announce(`${source.value} → ${target.value} set as ${status.value}`);
      await show(sum.entity);
      result.prepend(notice('ok', `${sum.created ? 'New term' : 'Term'} “${source.value}”: “${target.value}” is ${status.value}`,
        sum.superseded ? `; ${sum.superseded} earlier translation${sum.superseded > 1 ? 's' : ''} superseded` : '', '.'));
    } catch (err) {
      fill(result, errorBox(err));
    }
  } },
  h('h2', { id: 'add-title' }, 'Add a term or change its status'),
  h('div', { class: 'row' }, field('Term', source), field('Translation', target), field('Status', status), field('Term language', from), field('Translation language', to)),
  h('p', { class: 'hint' }, 'A preferred translation replaces the preferred one before it (which stays in the history); a deprecated one is never used and is flagged.'),
  h('button', { type: 'submit', class: 'primary' }, 'Add term'));
}

function importForm(app) {
  const file = h('input', { type: 'file', required: true, accept: '.tbx,.csv,.tsv,.txt,.xml' });
  const from = h('input', { type: 'text', size: 6, value: app.from });
  const to = h('input', { type: 'text', size: 6, value: app.to });
  const out = h('div', {});
  return h('form', { class: 'card', 'aria-labelledby': 'import-title', onsubmit: async (ev) => {
    ev.preventDefault();
    const f = file.files[0];
    if (!f) return;
    try {
      const job = await call('POST', '/imports', { body: f, query: { name: f.name, terms: true, source_lang: from.value, target_lang: to.value } });
      const bar = progressBar(`Importing ${f.name}`, 0, 0);
      const phase = h('span', {}, 'queued');
      fill(out, h('p', {}, `${f.name}: `, phase, ' ', bar));
      const done = await waitJob(job.id, (j) => {
        phase.textContent = `${j.phase || j.status} (${num(j.done)}${j.total ? ' of ' + num(j.total) : ''})`;
        if (j.total > 0) { bar.max = j.total; bar.value = j.done; }
      });
      if (done.status !== 'done') throw new Error(`the import ${done.status}: ${done.error?.message || ''}`);
      fill(out, notice('ok', `${f.name} imported.`));
      announce(`${f.name} imported`);
    } catch (err) {
      fill(out, errorBox(err));
    }
  } },
  h('h2', { id: 'import-title' }, 'Import a term base'),
  h('div', { class: 'row' }, field('Term base (TBX, CSV, TSV)', file), field('Its source language', from), field('Its target language', to)),
  h('button', { type: 'submit', class: 'primary' }, 'Import'), out);
}
