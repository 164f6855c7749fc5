// The workbench's shell: who the user is (GET /session, sign in with an
// API key), which page the address names (#/translate, #/memory,
// #/graph, #/entity/ID, #/terms, #/jobs), and what every page shares: the
// language pair, the models, the role.
import { get, setKey, hasKey, ApiError } from './api.js';
import { h, fill, field, notice, errorBox, announce } from './dom.js';

const roles = ['none', 'read', 'translate', 'learn', 'admin'];

/** What every page is given: the session and the memory's defaults. */
export const app = {
  session: { role: 'none', keys_required: false },
  from: 'en',
  to: 'es',
  pairs: {},
  models: [],
  model: '',
  /** Whether the user's role allows what needs role. */
  can(role) { return roles.indexOf(this.session.role) >= roles.indexOf(role); },
  /** Shows the current page again, with fresh data. */
  reload() { route(); },
};

const pages = {
  translate: () => import('./translate.js'),
  memory: () => import('./memory.js'),
  graph: () => import('./graph.js'),
  entity: () => import('./graph.js'),
  terms: () => import('./terms.js'),
  jobs: () => import('./jobs.js'),
};

let leave = null; // the current page's clean-up

async function loadSession() {
  try {
    app.session = await get('/session');
  } catch (err) {
    app.session = { role: 'none', keys_required: true };
    if (!(err instanceof ApiError)) throw err;
  }
  if (app.can('read')) {
    const [stats, models] = await Promise.all([get('/stats'), get('/models')]);
    app.pairs = stats.index.pairs || {};
    const froms = Object.keys(app.pairs);
    if (froms.length) {
      app.from = froms.includes(app.from) ? app.from : froms[0];
      const tos = app.pairs[app.from] || [];
      if (tos.length && !tos.includes(app.to)) app.to = tos[0];
    }
    app.models = models.models;
    app.model = models.default;
  }
  renderSession();
}

function renderSession() {
  const el = document.getElementById('session');
  const s = app.session;
  if (s.role !== 'none') {
    fill(el, h('span', { class: 'who' }, s.key ? `Key ${s.key}` : 'Local user', ' · ', h('span', { class: 'role' }, `role ${s.role}`)),
      hasKey() ? h('button', { type: 'button', class: 'link', onclick: signOut }, 'Sign out') : '');
  } else {
    fill(el, h('span', { class: 'who' }, 'Not signed in'));
  }
}

function signOut() {
  setKey('');
  start();
}

/** The sign-in page: an API key, kept for the tab or remembered. */
function signIn(main, reason) {
  const key = h('input', { type: 'password', autocomplete: 'current-password', required: true, spellcheck: 'false' });
  const remember = h('input', { type: 'checkbox', id: 'remember-key' });
  const out = h('div', {});
  const form = h('form', { class: 'card narrow', onsubmit: async (ev) => {
    ev.preventDefault();
    setKey(key.value.trim(), remember.checked);
    try {
      await loadSession();
      if (app.session.role === 'none') throw new Error('the server does not know this key');
      announce(`Signed in with the role ${app.session.role}`);
      route();
    } catch (err) {
      setKey('');
      fill(out, errorBox(err));
    }
  } },
  h('h1', { tabindex: '-1' }, 'Sign in'),
  reason ? notice('warn', reason) : '',
  h('p', {}, 'This server needs an API key. Ask its administrator for one (', h('code', {}, 'kgmem keys add NAME --role ROLE'), ').'),
  field('API key', key),
  h('div', { class: 'field check' }, remember, h('label', { for: 'remember-key' }, 'Remember on this computer')),
  h('button', { type: 'submit', class: 'primary' }, 'Sign in'),
  out);
  fill(main, form);
  form.querySelector('h1').focus();
}

function markNav(name) {
  for (const a of document.querySelectorAll('#nav a')) {
    const target = a.getAttribute('href').slice(2);
    if (target === name || (name === 'entity' && target === 'graph')) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

async function route() {
  const main = document.getElementById('main');
  const [, name = 'translate', ...rest] = location.hash.replace(/^#/, '').split('/');
  if (leave) { leave(); leave = null; }
  if (app.session.role === 'none') {
    markNav('');
    if (app.session.keys_required) signIn(main);
    else fill(main, h('h1', {}, 'kgmem'), notice('error', 'This server has no API keys, so it serves only browsers on its own machine. ' +
      'Open it there, or add a key with kgmem keys add NAME --role ROLE and sign in with it.'));
    return;
  }
  const load = pages[name];
  if (!load) {
    fill(main, h('h1', { tabindex: '-1' }, 'Not found'), h('p', {}, 'No page here. ', h('a', { href: '#/translate' }, 'Translate')));
    return;
  }
  markNav(name);
  try {
    const mod = await load();
    const page = name === 'entity' ? mod.renderEntity : mod.render;
    fill(main);
    leave = (await page(main, app, rest.map(decodeURIComponent))) || null;
    const heading = main.querySelector('h1');
    if (heading) {
      heading.setAttribute('tabindex', '-1');
      if (document.activeElement === document.body || !main.contains(document.activeElement)) heading.focus({ preventScroll: true });
      document.title = `${heading.textContent} · kgmem`;
    }
  } catch (err) {
    fill(main, h('h1', {}, 'Something went wrong'), errorBox(err));
  }
}

async function start() {
  try {
    await loadSession();
  } catch (err) {
    fill(document.getElementById('main'), h('h1', {}, 'kgmem'), errorBox(err));
    return;
  }
  route();
}

window.addEventListener('hashchange', route);
window.addEventListener('kgmem:unauthorized', () => {
  if (app.session.role === 'none') return;
  app.session = { role: 'none', keys_required: true };
  renderSession();
  signIn(document.getElementById('main'), 'The server refused the key: sign in again.');
});
start();
