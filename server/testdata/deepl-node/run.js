// Drives kgmem serve's DeepL API v2 with DeepL's official Node client,
// unchanged: only its serverUrl points at kgmem. server/deepl_test.go runs
// it and checks what it prints: one JSON object, each step's result (or the
// client's error: its class and message) under the step's name.
//
// Environment: KGMEM_URL (the server), KGMEM_KEY (a key that may learn),
// KGMEM_OTHER_KEY (a second key, for per-key usage), KGMEM_WORK (a
// directory for the documents).
'use strict';

const deepl = require('deepl-node');
const fs = require('fs');
const path = require('path');

const url = process.env.KGMEM_URL;
const work = process.env.KGMEM_WORK;
const options = { serverUrl: url, maxRetries: 1, minTimeout: 60000, sendPlatformInfo: false };
const translator = new deepl.Translator(process.env.KGMEM_KEY, options);
const other = new deepl.Translator(process.env.KGMEM_OTHER_KEY, options);
const stranger = new deepl.Translator('not-a-key-of-this-server', options);

const out = {};

async function step(name, fn) {
  try {
    out[name] = { ok: true, value: await fn() };
  } catch (e) {
    out[name] = { ok: false, error: e.constructor.name, message: e.message };
  }
}

const texts = (rs) => (Array.isArray(rs) ? rs : [rs]).map((r) => ({
  text: r.text, detectedSourceLang: r.detectedSourceLang, billedCharacters: r.billedCharacters,
}));
const usage = (u) => ({ count: u.character.count, limit: u.character.limit, anyLimitReached: u.anyLimitReached() });

async function main() {
  await step('sourceLanguages', () => translator.getSourceLanguages());
  await step('targetLanguages', () => translator.getTargetLanguages());
  await step('glossaryLanguagePairs', () => translator.getGlossaryLanguagePairs());
  await step('usageBefore', async () => usage(await translator.getUsage()));

  await step('translate', async () => texts(await translator.translateText(
    ['Delete this notebook?', 'The gizmo is broken.'], 'en', 'es')));
  await step('translateSplit', async () => texts(await translator.translateText(
    'Delete this notebook? Delete this note?\nDelete this tag?', 'en', 'es')));
  await step('translateNoSplit', async () => texts(await translator.translateText(
    'Delete this notebook? Delete this note?', 'en', 'es', { splitSentences: 'off' })));
  await step('translateTags', async () => texts(await translator.translateText(
    '<p>Delete this notebook?</p><p>Open the <b>notebook</b> now.</p>', 'en', 'es', { tagHandling: 'html' })));
  await step('translateContext', async () => texts(await translator.translateText(
    'Delete this notebook?', 'en', 'es', { context: 'The trash is full.' })));

  let glossary;
  await step('createGlossary', async () => {
    glossary = await translator.createGlossary('kgmem test', 'en', 'es',
      new deepl.GlossaryEntries({ entries: { gizmo: 'artilugio', 'sync conflict': 'conflicto de sincronización' } }));
    return glossary;
  });
  await step('createGlossaryCsv', () => translator.createGlossaryWithCsv('kgmem csv', 'EN', 'ES',
    Buffer.from('widget,componente\n"doohickey, large",chisme grande\n')));
  await step('translateGlossary', async () => texts(await translator.translateText(
    'The gizmo is broken.', 'en', 'es', { glossary })));
  await step('getGlossary', () => translator.getGlossary(glossary.glossaryId));
  await step('listGlossaries', () => translator.listGlossaries());
  await step('glossaryEntries', async () => (await translator.getGlossaryEntries(glossary)).entries());

  const input = path.join(work, 'notes.txt');
  const output = path.join(work, 'notes.es.txt');
  fs.writeFileSync(input, 'Delete this notebook?\n\nThe gizmo is broken. Delete this note?\n');
  await step('translateDocument', async () => {
    const status = await translator.translateDocument(input, output, 'en', 'es');
    return { done: status.done(), ok: status.ok(), billedCharacters: status.billedCharacters,
      output: fs.readFileSync(output, 'utf8') };
  });
  const docx = path.join(work, 'notes.docx');
  fs.writeFileSync(docx, 'PK not really a word document');
  await step('translateDocx', () => translator.translateDocument(docx, path.join(work, 'notes.es.docx'), 'en', 'es'));

  await step('usageAfter', async () => usage(await translator.getUsage()));
  await step('usageOther', async () => usage(await other.getUsage()));

  await step('deleteGlossary', () => translator.deleteGlossary(glossary));
  await step('listAfterDelete', () => translator.listGlossaries());
  await step('getDeletedGlossary', () => translator.getGlossary(glossary.glossaryId));
  await step('translateDeletedGlossary', async () => texts(await translator.translateText(
    'The gizmo is broken.', 'en', 'es', { glossary: glossary.glossaryId })));
  await step('translateAfterDelete', async () => texts(await translator.translateText(
    'The gizmo is broken.', 'en', 'es')));

  await step('badKey', async () => usage(await stranger.getUsage()));
  await step('unsupportedTarget', () => translator.translateText('Delete this notebook?', 'en', 'de'));
  await step('formality', () => translator.translateText('Delete this notebook?', 'en', 'es', { formality: 'more' }));
  await step('noSourceLang', () => translator.translateText('Delete this notebook?', null, 'es'));

  process.stdout.write(JSON.stringify(out));
}

main().catch((e) => {
  process.stderr.write(String(e && e.stack ? e.stack : e) + '\n');
  process.exit(1);
});
