// npm run build: the wasm (cargo; twice: the whole package and the signer alone), the web and nodejs bindings (wasm-bindgen), shrunk with wasm-opt
// (npm's binaryen; Debian's v108 writes a .wasm that fails at load time), the package's types, README and LICENSE.
// `--dev` skips wasm-opt and the JS minification for a faster edit loop.
//
// The published layout (pkg/package.json maps the conditions onto it):
//   web/       the page build (what a browser loads): the client without the signing proxy, built for size (the
//              `page` profile); its glue, its .wasm, the entry index.js (browsers, bundlers, workers: top-level await)
//   server/    the server build: the client with the signing proxy, the signer at full speed; its web glue and
//              THE copy of its .wasm, and workerd.js (Cloudflare: the .wasm imported as a module)
//   node/      the server build's nodejs glue (CommonJS), which reads its .wasm from ../server/
//   sign/web/, sign/node/   the same for the signer alone (tc3-lighthouse/sign; Node's main entry signs with it)
// Each .wasm has a name of its own (tc3_lighthouse_bg.wasm, tc3_lighthouse_server_bg.wasm,
// tc3_lighthouse_sign_bg.wasm), so one bundle can hold two.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, readdirSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dev = process.argv.includes('--dev');
const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });

const crate = 'tc3_lighthouse';
const targetDir = process.env.CARGO_TARGET_DIR ? path.resolve(root, process.env.CARGO_TARGET_DIR) : path.join(root, 'target');
const wasmOpt = path.join(root, 'node_modules', '.bin', 'wasm-opt');
const optimise = !dev && existsSync(wasmOpt);
const pkg = path.join(root, 'pkg');

function walk(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

// Everything the build writes is removed first, so a file that a build no longer makes is not shipped.
// The hand-written files stay: the entries, pkg/package.json, web/package.json, bin/.
const handWritten = new Set(['index.js', 'index.cjs', 'index.mjs', 'http.cjs', 'journal.cjs', 'bundle-dir.mjs', 'bundled.mjs', 'workerd.js', 'package.json']);
for (const dir of ['web', 'server', 'node', 'sign/web', 'sign/node']) {
  for (const f of walk(path.join(pkg, dir))) {
    if (!(path.dirname(f) === path.join(pkg, dir) && handWritten.has(path.basename(f)))) rmSync(f);
  }
  rmSync(path.join(pkg, dir, 'snippets'), { recursive: true, force: true });
}

// Three builds of the crate: the server build (everything; Node and workerd), the page build (no proxy, for
// size) and, without the `client` feature, signRequest alone (the `tc3-lighthouse/sign` entry). The page build's
// profile has a target directory of its own; the other two share one, so the second recompiles only this crate.
const builds = [
  { name: `${crate}_server`, cargo: [], profile: 'release', web: 'server', node: 'node' },
  { name: crate, cargo: ['--no-default-features', '--features', 'client,log'], profile: 'page', web: 'web', node: null },
  { name: `${crate}_sign`, cargo: ['--no-default-features'], profile: 'release', web: 'sign/web', node: 'sign/node' },
];
for (const build of builds) {
  run('cargo', ['build', '--profile', build.profile, '--target', 'wasm32-unknown-unknown', ...build.cargo]);
  const wasm = path.join(targetDir, 'wasm32-unknown-unknown', build.profile, `${crate}.wasm`);
  const web = path.join(pkg, build.web);
  const args = ['--out-name', build.name, '--no-typescript'];
  if (!optimise) args.push('--remove-name-section', '--remove-producers-section');
  run('wasm-bindgen', ['--target', 'web', '--out-dir', web, ...args, wasm]);
  const bg = `${build.name}_bg.wasm`;
  if (build.node) {
    const node = path.join(pkg, build.node);
    run('wasm-bindgen', ['--target', 'nodejs', '--out-dir', node, ...args, wasm]);
    // The two targets write the same .wasm: ship it once, next to the web glue (the web glue and bundlers
    // find it there; the Node glue reads it from there, see below).
    if (!readFileSync(path.join(web, bg)).equals(readFileSync(path.join(node, bg)))) {
      throw new Error(`build: the web and nodejs targets wrote different ${bg}; the Node glue can no longer share it`);
    }
    rmSync(path.join(node, bg));
    rewriteNodeGlue(path.join(node, `${build.name}.js`), bg, path.relative(node, web).split(path.sep).join('/'));
  }
  if (optimise) {
    run(wasmOpt, [
      '-Oz',
      '--enable-bulk-memory',
      '--enable-nontrapping-float-to-int',
      '--enable-sign-ext',
      '--enable-mutable-globals',
      '--strip-debug',
      '--strip-producers',
      path.join(web, bg),
      '-o',
      path.join(web, bg),
    ]);
  }
}

// The Node glue, three edits, each checked so that a new wasm-bindgen cannot silently change what they do:
// 1. Its wasm is compiled and instantiated on first use, not at load: a process that only signs never
//    compiles the client's wasm. Until then `wasm` is a stand-in that loads it.
// 2. It reads the .wasm from the web glue's folder (../server/, the one copy in the package) or, in a bundle (esbuild --platform=node),
//    from the bundle's own folder, where the README says to copy the .wasm files. An ES-module bundle has no
//    __dirname: node/bundle-dir.mjs, imported first by the `import` entries, leaves the bundle's folder in a
//    global. `fs` comes from process.getBuiltinModule (Node >= 20.16, Deno, Bun), which an ES-module bundle
//    keeps working where `require('fs')` throws "Dynamic require is not supported".
// 3. `require(String.raw\`./snippets/...\`)` becomes a plain string, which bundlers can follow.
function rewriteNodeGlue(glue, bg, webDir) {
  let js = readFileSync(glue, 'utf8');
  const eager = [
    `const wasmPath = \`\${__dirname}/${bg}\`;`,
    "const wasmBytes = require('fs').readFileSync(wasmPath);",
    'const wasmModule = new WebAssembly.Module(wasmBytes);',
    'let wasmInstance = new WebAssembly.Instance(wasmModule, __wbg_get_imports());',
    'let wasm = wasmInstance.exports;',
    'wasm.__wbindgen_start();',
  ].join('\n');
  const lazy = [
    '// Instantiated on first use (scripts/build.mjs): until then `wasm` is a stand-in that loads it.',
    'let wasm = new Proxy({}, { get: (_, key) => instantiateWasm()[key] });',
    'let wasmInstantiated = false;',
    'function instantiateWasm() {',
    '    if (!wasmInstantiated) {',
    "        const fs = process.getBuiltinModule('fs');",
    "        const dir = typeof __dirname === 'string' ? __dirname : globalThis[Symbol.for('tc3-lighthouse.bundleDir')];",
    `        const places = [\`\${dir}/${webDir}/${bg}\`, \`\${dir}/${bg}\`];`,
    '        const wasmPath = places.find((p) => fs.existsSync(p));',
    '        if (wasmPath === undefined) {',
    `            throw new Error(\`tc3-lighthouse: ${bg} is neither in the package (\${places[0]}) nor next to the bundle (\${places[1]}): copy the package's .wasm files next to a bundle (README: Node bundles)\`);`,
    '        }',
    '        const wasmModule = new WebAssembly.Module(fs.readFileSync(wasmPath));',
    '        wasm = new WebAssembly.Instance(wasmModule, __wbg_get_imports()).exports;',
    '        wasmInstantiated = true;',
    '        wasm.__wbindgen_start();',
    '    }',
    '    return wasm;',
    '}',
  ].join('\n');
  if (!js.includes(eager)) throw new Error(`build: the instantiation block of ${glue} changed; update the lazy rewrite`);
  js = js.replace(eager, lazy);
  const raw = /require\(String\.raw`([^`]+)`\)/g;
  if (!raw.test(js)) throw new Error(`build: no require(String.raw\`...\`) in ${glue}; drop that rewrite`);
  js = js.replace(raw, (_, spec) => `require(${JSON.stringify(spec)})`);
  writeFileSync(glue, js);
}

// The nodejs target require()s the snippets, which are ES modules: Node then starts its ES-module
// loader for them, which costs more than the rest of the start-up. Rewrite them as CommonJS.
for (const file of [...walk(path.join(pkg, 'node', 'snippets')), ...walk(path.join(pkg, 'sign', 'node', 'snippets'))].filter((f) => f.endsWith('.js'))) {
  const src = readFileSync(file, 'utf8');
  const names = [];
  const cjs = src.replace(/^export (class|function|const|let) ([A-Za-z_$][\w$]*)/gm, (_, kind, name) => {
    names.push(name);
    return `${kind} ${name}`;
  });
  if (/^\s*(import|export)\b/m.test(cjs)) throw new Error(`${file}: only \`export class|function|const\` is supported in snippets`);
  writeFileSync(file, `'use strict';\n${cjs}\nmodule.exports = { ${names.join(', ')} };\n`);
}

// The server and signer builds use the page build's errors.js (same URL, same module): one TencentCloudError
// class, so `instanceof` holds whichever entry threw. Their own glue.js stays their own (per-wasm state).
for (const [glueDir, name, errorsDir] of [
  ['server', `${crate}_server`, 'web'],
  ['sign/node', `${crate}_sign`, 'node'],
  ['sign/web', `${crate}_sign`, 'web'],
]) {
  const glue = path.join(pkg, glueDir, `${name}.js`);
  const up = path.relative(path.join(pkg, glueDir), path.join(pkg, errorsDir)).split(path.sep).join('/');
  let js = readFileSync(glue, 'utf8');
  let hits = 0;
  // Module specifiers only: the import object's keys are the wasm's import names and stay.
  js = js.replace(/\.\/(snippets\/[^/'"`]+\/js\/errors\.js)(?!["'`]\s*:)/g, (_, rel) => {
    if (!existsSync(path.join(pkg, errorsDir, rel))) throw new Error(`build: pkg/${errorsDir}/${rel} is missing`);
    hits++;
    return `${up}/${rel}`;
  });
  if (hits === 0) throw new Error(`build: no errors.js import found in ${glue}`);
  writeFileSync(glue, js);
  for (const f of walk(path.join(pkg, glueDir, 'snippets')).filter((f) => f.endsWith('errors.js'))) rmSync(f);
}

// The Node glue's own snippets (all but the shared errors.js) inlined into it: each module Node loads at start-up
// costs a path resolution, a package scope lookup and a compile, about 0.7 ms cold, which the cold-start target
// (no slower than the official signer) cannot spare. errors.js stays a module: one TencentCloudError class.
for (const [dir, name] of [
  ['node', `${crate}_server`],
  ['sign/node', `${crate}_sign`],
]) {
  const glue = path.join(pkg, dir, `${name}.js`);
  let js = readFileSync(glue, 'utf8');
  const inlined = new Map();
  js = js.replace(/require\("(\.\/snippets\/[^"]+\/js\/([a-z]+)\.js)"\)/g, (whole, rel, base) => {
    if (base === 'errors') return whole;
    const id = `__tc3_snippet_${base}`;
    if (!inlined.has(rel)) inlined.set(rel, id);
    return id;
  });
  if (inlined.size === 0) throw new Error(`build: no snippet of its own in ${glue}; drop the inlining`);
  const defs = [...inlined].map(([rel, id]) => {
    const file = path.join(pkg, dir, rel);
    const code = readFileSync(file, 'utf8');
    rmSync(file);
    return `// ${rel}, inlined by scripts/build.mjs\nconst ${id} = (function (module) {\n${code}\nreturn module.exports;\n})({ exports: {} });\n`;
  });
  writeFileSync(glue, defs.join('') + js);
  for (const d of walk(path.join(pkg, dir, 'snippets')).length ? [] : [path.join(pkg, dir, 'snippets')]) rmSync(d, { recursive: true, force: true });
}

// A stable name for the error module (the snippet's folder carries a hash), for the entries' client guard:
// node/errors.cjs and web/errors.js re-export it, so the module and its class stay the glue's own.
for (const [dir, file, line] of [
  ['node', 'errors.cjs', (rel) => `module.exports = require('./${rel}');\n`],
  ['web', 'errors.js', (rel) => `export * from './${rel}';\n`],
]) {
  const found = walk(path.join(pkg, dir, 'snippets')).filter((f) => f.endsWith(`${path.sep}errors.js`));
  if (found.length !== 1) throw new Error(`build: expected one errors.js snippet in pkg/${dir}, found ${found.length}`);
  const rel = path.relative(path.join(pkg, dir), found[0]).split(path.sep).join('/');
  writeFileSync(path.join(pkg, dir, file), `// Generated by scripts/build.mjs: the error module under a stable name.\n${line(rel)}`);
}

// The browser entries' generated JS, minified in place (esbuild): CDN users and pages that load the package
// unbundled get the files as shipped; bundlers minify again anyway. `--dev` skips it.
// Generated files only: the hand-written ones (index.js, workerd.js, ../credentials/shared.js) are tracked in
// git and stay as written (about 1 KB gzip of the page payload). pkg/server's glue (workerd: wrangler bundles
// it) and the Node glue stay as wasm-bindgen wrote them; pkg/server imports web/snippets/.../errors.js, which
// is minified here. No `format`: esbuild keeps the ES module as it is (top-level await, imports, `export
// class X` in place), so the exported classes keep their names (LighthouseClient, TencentCloudError, as
// consoles and wasm-bindgen's messages show them) without `keepNames`, whose wrappers cost +1.1 KB gzip.
// Module specifiers, exported class names and `new URL('..._bg.wasm', import.meta.url)` (what bundlers follow to
// the .wasm) are checked below, so a new esbuild or wasm-bindgen cannot silently change them.
if (!dev) {
  const { transformSync } = await import('esbuild');
  const specifiers = (js) => [...js.matchAll(/(?:\bfrom|\bimport)\s*(["'])([^"']+)\1/g)].map((m) => m[2]).sort();
  const wasmUrls = (js) => [...js.matchAll(/new URL\(\s*(["'])([^"']+\.wasm)\1\s*,\s*import\.meta\.url\s*\)/g)].map((m) => m[2]);
  const exportedClasses = (js) => [...js.matchAll(/(?:^|[;}\s])export class ([A-Za-z_$][\w$]*)/g)].map((m) => m[1]);
  let before = 0;
  let after = 0;
  for (const dir of ['web', 'sign/web']) {
    for (const file of walk(path.join(pkg, dir)).filter((f) => f.endsWith('.js'))) {
      if (path.dirname(file) === path.join(pkg, dir) && handWritten.has(path.basename(file))) continue;
      const src = readFileSync(file, 'utf8');
      const rel = path.relative(root, file);
      // legalComments 'inline' keeps /*! ... */ and @license comments (the glue has none today).
      const { code, warnings } = transformSync(src, {
        loader: 'js',
        target: 'es2022',
        minify: true,
        legalComments: 'inline',
        sourcefile: rel,
        logLevel: 'silent',
      });
      // wasm-bindgen's import object lists a snippet once per import of it (same key, same module): harmless.
      for (const w of warnings.filter((w) => w.id !== 'duplicate-object-key')) console.warn(`build: esbuild: ${rel}:${w.location?.line}: ${w.text}`);
      const same = (what, f) => {
        if (JSON.stringify(f(src)) !== JSON.stringify(f(code))) throw new Error(`build: minifying ${rel} changed its ${what}: ${f(src)} -> ${f(code)}`);
      };
      same('module specifiers', specifiers);
      same('new URL(...wasm, import.meta.url)', wasmUrls);
      same('exported class names', exportedClasses);
      writeFileSync(file, code);
      before += gzipSync(src, { level: 9 }).length;
      after += gzipSync(code, { level: 9 }).length;
    }
  }
  console.log(`build: minified the browser entries' generated JS: ${before} -> ${after} bytes gzip`);
}

// Types: one hand-written source (js/types/), copied per entry and module format.
const { buildTypes } = await import('./build-types.mjs');
buildTypes(root);

// What npm shows and what the licence requires, in the tarball.
for (const f of ['README.md', 'LICENSE', 'CHANGELOG.md']) copyFileSync(path.join(root, f), path.join(pkg, f));

for (const build of builds) {
  const bg = path.join(pkg, build.web, `${build.name}_bg.wasm`);
  const bytes = readFileSync(bg);
  console.log(`${path.relative(root, bg)}: ${statSync(bg).size} bytes raw, ${gzipSync(bytes, { level: 9 }).length} gzip${optimise ? ' (wasm-opt -Oz)' : ''}`);
}
