#!/usr/bin/env node
// The browser payload budget: every file a page loads from a web entry (WEB_DIR/index.js and what it
// imports and fetches: the .wasm, tc3_lighthouse.js, the snippets), each gzip -9, summed. Exits 1 above
// the 40 KB budget, or, with --ceiling BYTES, above that ceiling. `npm test` holds the signer entry
// (pkg/sign/web) to the budget and the whole package (pkg/web), which does not meet it, to a ceiling
// against growth; see bench/README.md for where the bytes go and what stands in the way.
//   node bench/size-check.mjs [--ceiling BYTES] [WEB_DIR]   (default pkg/web)
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { browserPayload, BUDGET_GZIP_BYTES } from './lib/payload.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const ci = args.indexOf('--ceiling');
const ceiling = ci >= 0 ? Number(args[ci + 1]) : null;
if (ci >= 0) args.splice(ci, 2);
if (ceiling !== null && !(Number.isInteger(ceiling) && ceiling > 0)) {
  console.error('size-check: --ceiling takes a number of bytes');
  process.exit(2);
}
const webDir = path.resolve(args[0] ?? path.join(root, 'pkg', 'web'));
let p;
try {
  p = browserPayload(webDir);
} catch (e) {
  console.error(`size-check: ${e.message}`);
  process.exit(1);
}
const kb = (b) => `${(b / 1024).toFixed(1)} KB`;
const w = Math.max(...p.files.map((f) => f.file.length), 5);
console.log(`browser payload of ${path.relative(process.cwd(), webDir) || webDir} (gzip -9 per file):`);
for (const f of p.files) console.log(`  ${f.file.padEnd(w)}  ${String(f.gzip).padStart(7)} gz  ${String(f.raw).padStart(7)} raw`);
console.log(`  ${'total'.padEnd(w)}  ${String(p.gzip).padStart(7)} gz  ${String(p.raw).padStart(7)} raw`);
if (ceiling !== null) {
  const target = p.gzip <= BUDGET_GZIP_BYTES ? 'met' : `NOT MET by ${p.gzip - BUDGET_GZIP_BYTES} bytes`;
  console.log(`size-check: target ${kb(BUDGET_GZIP_BYTES)}: ${target}`);
  if (p.gzip > ceiling) {
    console.error(`size-check: FAIL: the browser payload is ${p.gzip} bytes gzip, over the ${ceiling}-byte ceiling: it grew.`);
    process.exit(1);
  }
  console.log(`size-check: ok: ${kb(p.gzip)} gzip, under the ${kb(ceiling)} ceiling (${ceiling - p.gzip} bytes left)`);
  process.exit(0);
}
if (p.gzip > BUDGET_GZIP_BYTES) {
  console.error(
    `size-check: FAIL: the browser payload is ${p.gzip} bytes gzip (${kb(p.gzip)}), over the ` +
      `${BUDGET_GZIP_BYTES}-byte (${kb(BUDGET_GZIP_BYTES)}) budget by ${p.gzip - BUDGET_GZIP_BYTES} bytes. ` +
      'See `node bench/wasm-top.mjs` (bench/README.md) for where the bytes go.',
  );
  process.exit(1);
}
console.log(`size-check: ok: ${kb(p.gzip)} gzip of a ${kb(BUDGET_GZIP_BYTES)} budget (${BUDGET_GZIP_BYTES - p.gzip} bytes left)`);
