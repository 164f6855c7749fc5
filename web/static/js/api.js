// The client of kgmem's own API (/api/v1): every page goes through it.
// It sends the API key the user signed in with, turns error answers into
// ApiError, and tells the app when the server asks for a key (401).

const storeKey = 'kgmem-api-key';

/** An error answer of the API: its HTTP status, stable code and message. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

let apiKey = sessionStorage.getItem(storeKey) || localStorage.getItem(storeKey) || '';

/** Sets the API key sent with every call; remember keeps it across browser sessions. */
export function setKey(key, remember) {
  apiKey = key;
  sessionStorage.removeItem(storeKey);
  localStorage.removeItem(storeKey);
  if (key) (remember ? localStorage : sessionStorage).setItem(storeKey, key);
}

export function hasKey() { return apiKey !== ''; }

function headers(extra) {
  const h = { ...extra };
  if (apiKey) h.Authorization = `Bearer ${apiKey}`;
  return h;
}

/** Builds a path with query parameters, leaving out empty ones. */
export function withQuery(path, query) {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query || {})) {
    if (v !== undefined && v !== null && v !== '' && v !== false) qs.set(k, String(v));
  }
  const s = qs.toString();
  return s ? `${path}?${s}` : path;
}

async function fail(resp) {
  let code = 'http_' + resp.status;
  let message = `${resp.status} ${resp.statusText}`;
  try {
    const body = await resp.json();
    if (body && body.error) ({ code, message } = body.error);
  } catch { /* not JSON */ }
  const err = new ApiError(resp.status, code, message);
  if (resp.status === 401) window.dispatchEvent(new CustomEvent('kgmem:unauthorized', { detail: err }));
  throw err;
}

/**
 * Calls the API. body is sent as JSON unless it is a Blob or File (sent
 * as it is); raw returns the Response instead of its JSON.
 */
export async function call(method, path, { query, body, raw, signal } = {}) {
  const init = { method, headers: headers(), signal };
  if (body instanceof Blob) {
    init.body = body;
    init.headers['Content-Type'] = 'application/octet-stream';
  } else if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers['Content-Type'] = 'application/json';
  }
  const resp = await fetch(withQuery('/api/v1' + path, query), init);
  if (!resp.ok) await fail(resp);
  return raw ? resp : resp.json();
}

export const get = (path, query, opts) => call('GET', path, { ...opts, query });
export const post = (path, body, query) => call('POST', path, { body, query });

/** Fetches a job's result file and hands it to the browser as a download. */
export async function download(path, fallbackName) {
  const resp = await fetch(path, { headers: headers() });
  if (!resp.ok) await fail(resp);
  const blob = await resp.blob();
  let name = fallbackName;
  const cd = resp.headers.get('Content-Disposition') || '';
  const m = /filename="?([^";]+)"?/.exec(cd);
  if (m) name = m[1];
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}

/** Polls a job until it ends, calling onProgress with each snapshot. */
export async function waitJob(id, onProgress, { interval = 400, signal } = {}) {
  for (;;) {
    const job = await get(`/jobs/${encodeURIComponent(id)}`, undefined, { signal });
    onProgress?.(job);
    if (!['queued', 'running'].includes(job.status)) return job;
    await new Promise((resolve) => setTimeout(resolve, interval));
    if (signal?.aborted) throw new DOMException('stopped', 'AbortError');
  }
}
