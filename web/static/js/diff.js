// A word-level diff, as CAT tools show a fuzzy match against the sentence
// being translated: the words of the match that the sentence does not
// have, and the words of the sentence the match lacks.
import { h } from './dom.js';

/** Splits text into words, spaces and single punctuation marks. */
export function tokens(text) {
  return text.match(/[\p{L}\p{N}_'’%{}$]+|\s+|[^\s\p{L}\p{N}_]/gu) || [];
}

const maxTokens = 400; // beyond this the table would be too big: no diff

/**
 * diff(a, b) returns the operations that turn a into b, in order:
 * {op: 'same' | 'del' | 'ins', text}. Adjacent operations of one kind are
 * merged. Longer texts than maxTokens come back as one del and one ins.
 */
export function diff(a, b) {
  const x = tokens(a);
  const y = tokens(b);
  if (x.length > maxTokens || y.length > maxTokens) {
    return [{ op: 'del', text: a }, { op: 'ins', text: b }].filter((o) => o.text);
  }
  // lcs[i][j]: the longest common subsequence of x[i:] and y[j:].
  const lcs = Array.from({ length: x.length + 1 }, () => new Uint16Array(y.length + 1));
  for (let i = x.length - 1; i >= 0; i--) {
    for (let j = y.length - 1; j >= 0; j--) {
      lcs[i][j] = x[i] === y[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const out = [];
  const push = (op, text) => {
    const last = out[out.length - 1];
    if (last && last.op === op) last.text += text;
    else out.push({ op, text });
  };
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    if (x[i] === y[j]) { push('same', x[i]); i++; j++; }
    else if (lcs[i + 1][j] >= lcs[i][j + 1]) push('del', x[i++]);
    else push('ins', y[j++]);
  }
  while (i < x.length) push('del', x[i++]);
  while (j < y.length) push('ins', y[j++]);
  return out;
}

/**
 * The match's source shown against the sentence: words only the match
 * has are struck (del), words only the sentence has are marked (ins).
 */
export function diffView(matchSource, sentence) {
  return h('span', { class: 'diff' }, diff(matchSource, sentence).map(({ op, text }) => {
    if (op === 'same') return text;
    if (/^\s+$/.test(text)) return text;
    return op === 'del'
      ? h('del', { title: 'only in the match' }, text)
      : h('ins', { title: 'only in the sentence' }, text);
  }));
}
