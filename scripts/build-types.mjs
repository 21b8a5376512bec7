// The package's declaration files, from the hand-written fragments in js/types/: each published file
// is a plain concatenation of fragments (copies, no edits) under a one-line header.
//   node scripts/build-types.mjs          writes them into pkg/
//   buildTypes(root[, outDir])            the same from code (the main build, the type tests)
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Published file (relative to the package root) -> the fragments it is made of, in order. */
export const DECLARATIONS = {
  'web/index.d.ts': ['sign', 'client', 'shapes', 'credentials'],
  'node/index.d.mts': ['sign', 'client', 'shapes', 'credentials', 'node'],
  'node/index.d.cts': ['sign', 'client', 'shapes', 'credentials', 'node'],
  'sign/web/index.d.ts': ['sign'],
  'sign/node/index.d.mts': ['sign'],
  'sign/node/index.d.cts': ['sign'],
};

// Each concatenation must be a module on its own, as ESM (.d.mts, .d.ts under "type": "module") and as
// CommonJS (.d.cts): only `export declare` / `export interface` / `export type` do that in both.
const FORBIDDEN = [
  [/^\s*export\s+default\b/m, '`export default`'],
  [/^\s*export\s*=/m, '`export =`'],
  [/^\s*import\s/m, 'an import statement (use `import("...")` types)'],
  [/\bfrom\s+['"]\.{1,2}\//, 'a relative import'],
  [/^\s*declare\s+(module|global)\b/m, '`declare module` / `declare global`'],
];

/** Writes the six declaration files into `outDir` (default `<root>/pkg`); returns their paths. */
export function buildTypes(root, outDir = path.join(root, 'pkg')) {
  const fragments = {};
  for (const name of ['sign', 'client', 'shapes', 'credentials', 'node']) {
    const file = path.join(root, 'js', 'types', `${name}.d.ts`);
    const text = readFileSync(file, 'utf8');
    for (const [re, what] of FORBIDDEN) {
      if (re.test(text)) throw new Error(`build-types: js/types/${name}.d.ts has ${what}`);
    }
    fragments[name] = text.endsWith('\n') ? text : `${text}\n`;
  }
  const written = [];
  for (const [rel, parts] of Object.entries(DECLARATIONS)) {
    const out = path.join(outDir, rel);
    const header = `// Generated from ${parts.map((p) => `js/types/${p}.d.ts`).join(' + ')} by scripts/build-types.mjs: edit those, not this file.\n`;
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, header + parts.map((p) => fragments[p]).join('\n'));
    written.push(out);
  }
  return written;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  for (const f of buildTypes(root)) console.log(`wrote ${path.relative(root, f)}`);
}
