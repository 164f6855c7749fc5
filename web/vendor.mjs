// Copies the graph-drawing library the workbench vendors from node_modules
// (installed at the version package-lock.json pins, with `npm ci`) into
// static/vendor, with its licence. Run it with `npm run vendor` after
// changing the pinned version; web's tests check that the copy is exact.
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const files = [
  ['node_modules/cytoscape/dist/cytoscape.esm.min.mjs', 'static/vendor/cytoscape/cytoscape.esm.min.mjs'],
  ['node_modules/cytoscape/LICENSE', 'static/vendor/cytoscape/LICENSE'],
];
for (const [from, to] of files) {
  mkdirSync(dirname(join(here, to)), { recursive: true });
  copyFileSync(join(here, from), join(here, to));
  console.error(`${from} -> ${to}`);
}
