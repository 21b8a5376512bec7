// The browser payload: every file a page loads from the web build (pkg/web): the .wasm and every .js
// (tc3_lighthouse.js, index.js, snippets/**). Type declarations and package.json are not loaded.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';

export const BUDGET_GZIP_BYTES = 40 * 1024;

function walk(dir, out = []) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (/\.(wasm|js|mjs)$/.test(e.name)) out.push(p);
  }
  return out;
}

/** { files: [{ file, raw, gzip }], raw, gzip } with gzip at level 9; throws if the web build is missing. */
export function browserPayload(webDir) {
  if (!existsSync(webDir)) throw new Error(`${webDir} is missing: run \`node scripts/build.mjs\` first`);
  const files = walk(webDir).sort().map((p) => {
    const bytes = readFileSync(p);
    return { file: path.relative(webDir, p), raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  });
  return {
    files,
    raw: files.reduce((a, f) => a + f.raw, 0),
    gzip: files.reduce((a, f) => a + f.gzip, 0),
  };
}
