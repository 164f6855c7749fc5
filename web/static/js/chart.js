// A bar chart in SVG, drawn here (no chart library): one bar per day, the
// value above it when there is room, the days below. It has a text
// alternative: its label says what it shows and the page gives the
// numbers as a table too.
const ns = 'http://www.w3.org/2000/svg';

function el(tag, attrs, text) {
  const e = document.createElementNS(ns, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

/** barChart(days, key, label) draws days[i][key] per days[i].day. */
export function barChart(days, key, label) {
  const width = 720;
  const height = 180;
  const pad = { top: 16, right: 8, bottom: 28, left: 36 };
  const max = Math.max(1, ...days.map((d) => d[key]));
  const w = (width - pad.left - pad.right) / Math.max(1, days.length);
  const y = (v) => pad.top + (height - pad.top - pad.bottom) * (1 - v / max);
  const svg = el('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart', role: 'img', 'aria-label': label });
  svg.append(el('title', {}, label));
  for (const t of [0, max]) {
    svg.append(el('line', { x1: pad.left, x2: width - pad.right, y1: y(t), y2: y(t), class: 'grid' }));
    svg.append(el('text', { x: pad.left - 4, y: y(t) + 4, 'text-anchor': 'end', class: 'axis' }, String(t)));
  }
  const every = Math.ceil(days.length / 10);
  days.forEach((d, i) => {
    const x = pad.left + i * w;
    const v = d[key];
    const bar = el('rect', { x: x + w * 0.15, y: y(v), width: Math.max(1, w * 0.7), height: Math.max(0, y(0) - y(v)), class: 'bar' });
    bar.append(el('title', {}, `${d.day}: ${v}`));
    svg.append(bar);
    if (v > 0 && w >= 14) svg.append(el('text', { x: x + w / 2, y: y(v) - 3, 'text-anchor': 'middle', class: 'value' }, String(v)));
    if (i % every === 0) svg.append(el('text', { x: x + w / 2, y: height - 10, 'text-anchor': 'middle', class: 'axis' }, d.day.slice(5)));
  });
  return svg;
}
