// The browser payload: every file a page loads from a web entry: its index.js and, transitively,
// every module it imports (static `import`/`export ... from`, and `import()` of a literal), plus
// every .wasm a module fetches by `new URL('...wasm', import.meta.url)`. Type declarations and
// package.json are not loaded. A graph, not a directory listing: the signer entry
// (pkg/sign/web) imports the error class from pkg/web, and that file counts for it too.
import { readFileSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';

export const BUDGET_GZIP_BYTES = 40 * 1024;

const IMPORTS = [
  /(?:^|[;\s])(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g,
  /(?:^|[;\s])import\s*['"]([^'"]+)['"]/g,
  /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
];
const WASM = /new URL\(\s*['"]([^'"]+\.wasm)['"]\s*,\s*import\.meta\.url\s*\)/g;

function packageRoot(dir) {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const pj = path.join(d, 'package.json');
    try {
      if (existsSync(pj) && JSON.parse(readFileSync(pj, 'utf8')).exports) return d;
    } catch {
      // not JSON: keep looking
    }
    if (path.dirname(d) === d) return path.dirname(path.resolve(dir));
  }
}

/** The files `entry` loads, entry first. Throws when one is missing. */
export function loadedFiles(entry) {
  const seen = new Set();
  const order = [];
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    if (!existsSync(file)) throw new Error(`${file} is missing: run \`node scripts/build.mjs\` first`);
    order.push(file);
    if (!file.endsWith('.js') && !file.endsWith('.mjs')) return;
    const src = readFileSync(file, 'utf8');
    for (const re of IMPORTS) {
      for (const m of src.matchAll(re)) {
        if (m[1].startsWith('.')) visit(path.resolve(path.dirname(file), m[1]));
      }
    }
    // A URL relative to the module (no scheme, not absolute), as `new URL` resolves it.
    for (const m of src.matchAll(WASM)) {
      if (!/^[a-z][a-z0-9+.-]*:/i.test(m[1]) && !m[1].startsWith('/')) visit(path.resolve(path.dirname(file), m[1]));
    }
  };
  visit(entry);
  return order;
}

/**
 * { files: [{ file, raw, gzip }], raw, gzip } with gzip at level 9, for the page that imports
 * `webDir/index.js`; file names relative to `base` (default: the package's root, the nearest
 * directory above with a package.json that has `exports`).
 */
export function browserPayload(webDir, base = packageRoot(webDir)) {
  const files = loadedFiles(path.join(webDir, 'index.js'))
    .sort()
    .map((p) => {
      const bytes = readFileSync(p);
      return { file: path.relative(base, p), raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
    });
  return {
    files,
    raw: files.reduce((a, f) => a + f.raw, 0),
    gzip: files.reduce((a, f) => a + f.gzip, 0),
  };
}
