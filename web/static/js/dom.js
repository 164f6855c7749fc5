// Small helpers to build the pages' DOM without a framework: h() makes an
// element, and the rest are the few widgets every page shares.

/**
 * h('button', {class: 'x', onclick: fn}, 'text', child…) makes an element.
 * Attributes: class, text, html is never taken; on* are listeners; a
 * boolean true sets an empty attribute, false or null leaves it out.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === false || v === null || v === undefined) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'value') el.value = v;
    else if (k === 'checked') el.checked = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : String(c));
  }
}

/** Replaces the children of el. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

let ids = 0;
/** A unique element id. */
export function uid(prefix = 'k') { return `${prefix}-${++ids}`; }

/** A labelled form field: the label and the control, in a div. */
export function field(label, control, hint) {
  if (!control.id) control.id = uid('f');
  const parts = [h('label', { for: control.id }, label), control];
  if (hint) {
    const hid = uid('hint');
    control.setAttribute('aria-describedby', hid);
    parts.push(h('span', { id: hid, class: 'hint' }, hint));
  }
  return h('div', { class: 'field' }, parts);
}

/** Says msg to screen readers (and shows it in the page's live region). */
export function announce(msg) {
  const live = document.getElementById('live');
  if (live) {
    live.textContent = '';
    setTimeout(() => { live.textContent = msg; }, 30);
  }
}

/** A message box: kind is info, ok, warn or error. */
export function notice(kind, ...children) {
  return h('div', { class: `notice ${kind}`, role: kind === 'error' ? 'alert' : null }, children);
}

/** An error as a message box. */
export function errorBox(err) {
  const msg = err?.message || String(err);
  return notice('error', h('strong', {}, 'Error: '), msg);
}

const numberFormat = new Intl.NumberFormat('en');
export const num = (n) => numberFormat.format(n);

/** A date (and time) as people read it; '' for none. */
export function when(iso, withTime = true) {
  if (!iso || iso.startsWith('0001-')) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const day = d.toISOString().slice(0, 10);
  return withTime ? `${day} ${d.toISOString().slice(11, 16)} UTC` : day;
}

/** A <time> element for an ISO time. */
export function timeEl(iso, withTime = true) {
  const text = when(iso, withTime);
  return text ? h('time', { datetime: iso }, text) : '';
}

/**
 * A pager for a list of total items seen offset at a time: "Showing a–b
 * of N", previous and next buttons, and, when capped, what the cap is.
 */
export function pager({ total, offset, limit, capped, cap, noun = 'results', onPage }) {
  const from = total === 0 ? 0 : offset + 1;
  const to = Math.min(total, offset + limit);
  const label = uid('pager');
  return h('nav', { class: 'pager', 'aria-labelledby': label },
    h('p', { id: label },
      total === 0 ? `No ${noun}` : `Showing ${num(from)}–${num(to)} of ${num(total)} ${noun}`,
      capped ? ` (the search stops at ${num(cap)}: refine it to see the rest)` : ''),
    h('button', { type: 'button', disabled: offset <= 0, onclick: () => onPage(Math.max(0, offset - limit)) }, 'Previous page'),
    h('button', { type: 'button', disabled: to >= total, onclick: () => onPage(offset + limit) }, 'Next page'));
}

/** A badge for a segment or label status. */
export function badge(text, kind = text) {
  return h('span', { class: `badge ${String(kind).replace(/[^a-z0-9-]/gi, '-')}` }, text);
}

/** A progress bar with its accessible label. */
export function progressBar(label, done, total) {
  const attrs = { 'aria-label': label };
  if (total > 0) Object.assign(attrs, { max: total, value: Math.min(done, total) });
  return h('progress', attrs);
}

/** The status of a translation as translators read it: exact, fuzzy 87 %, machine. */
export function statusLabel(r) {
  return r.status === 'fuzzy' ? `fuzzy ${r.score} %` : r.status;
}
