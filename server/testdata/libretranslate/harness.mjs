// Drives the libretranslate npm client (and, for what the client has no
// call for, Node's own fetch as LibreTranslate's API describes the call)
// against a server, and prints what happened as JSON on stdout.
//
// Usage: node harness.mjs CASES.json
//
// CASES.json holds {"server": "http://127.0.0.1:PORT", "cases": [...]}; a
// case is {"name", "translate": {options of the client's translate()}}
// or {"name", "translateFile": {"file", "name", "source", "target",
// "api_key"}}. The result of each case is {"name", "result", "error",
// "exchanges"}: what the client returned or threw, and every HTTP request
// it made with the answer it got.
import { readFileSync } from "node:fs";
import { translate } from "libretranslate";

const spec = JSON.parse(readFileSync(process.argv[2], "utf8"));
const realFetch = globalThis.fetch;
let exchanges = [];

// Record every exchange the client makes, without changing it.
globalThis.fetch = async (url, init = {}) => {
  const res = await realFetch(url, init);
  const body = await res.clone().text();
  exchanges.push({
    method: init.method || "GET",
    url: String(url),
    request: typeof init.body === "string" ? init.body : null,
    status: res.status,
    contentType: res.headers.get("content-type"),
    body,
  });
  return res;
};

// translateFile posts a file as LibreTranslate's /translate_file takes it
// (multipart: file, source, target, api_key), then downloads the
// translated file from the URL of the answer.
async function translateFile(c) {
  const form = new FormData();
  form.append("file", new Blob([readFileSync(c.file)]), c.name);
  form.append("source", c.source);
  form.append("target", c.target);
  if (c.api_key) form.append("api_key", c.api_key);
  const res = await globalThis.fetch(`${spec.server}/translate_file`, { method: "POST", body: form });
  const answer = await res.json();
  if (!answer.translatedFileUrl) return { answer };
  const file = await globalThis.fetch(answer.translatedFileUrl);
  return { answer, file: await file.text() };
}

const results = [];
for (const c of spec.cases) {
  exchanges = [];
  const r = { name: c.name };
  try {
    if (c.translate) {
      r.result = await translate({ ...c.translate, apiurl: spec.server });
    } else if (c.translateFile) {
      r.result = await translateFile(c.translateFile);
    }
    if (r.result === undefined) r.result = null;
  } catch (e) {
    r.error = String(e && e.message ? e.message : e);
  }
  r.exchanges = exchanges;
  results.push(r);
}
process.stdout.write(JSON.stringify(results));
