// npm run build: the wasm (cargo; twice: the whole package and the signer alone), the web and nodejs bindings (wasm-bindgen), shrunk with wasm-opt
// (npm's binaryen; Debian's v108 writes a .wasm that fails at load time), and the package's types.
// `--dev` skips wasm-opt for a faster edit loop.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dev = process.argv.includes('--dev');
const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });

const name = 'tc3_lighthouse';
const targetDir = process.env.CARGO_TARGET_DIR ? path.resolve(root, process.env.CARGO_TARGET_DIR) : path.join(root, 'target');
const wasmOpt = path.join(root, 'node_modules', '.bin', 'wasm-opt');
const optimise = !dev && existsSync(wasmOpt);

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

// Two builds of the crate: the whole package (pkg/node, pkg/web) and, without the `client` feature,
// signRequest alone (pkg/sign/node, pkg/sign/web: the `tc3-lighthouse/sign` entry). Both share
// the target directory, so the second build recompiles only this crate.
const builds = [
  { features: [], node: path.join(root, 'pkg', 'node'), web: path.join(root, 'pkg', 'web') },
  { features: ['--no-default-features'], node: path.join(root, 'pkg', 'sign', 'node'), web: path.join(root, 'pkg', 'sign', 'web') },
];
for (const build of builds) {
  run('cargo', ['build', '--release', '--target', 'wasm32-unknown-unknown', ...build.features]);
  const wasm = path.join(targetDir, 'wasm32-unknown-unknown', 'release', `${name}.wasm`);
  for (const target of ['web', 'nodejs']) {
    const out = target === 'nodejs' ? build.node : build.web;
    const args = ['--target', target, '--out-dir', out, '--out-name', name];
    if (!optimise) args.push('--remove-name-section', '--remove-producers-section');
    run('wasm-bindgen', [...args, wasm]);
    const bg = path.join(out, `${name}_bg.wasm`);
    if (optimise) {
      run(wasmOpt, ['-Oz', '--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-sign-ext',
        '--enable-mutable-globals', '--strip-debug', '--strip-producers', bg, '-o', bg]);
    }
  }
}

// The nodejs target require()s the snippets, which are ES modules: Node then starts its ES-module
// loader for them, which costs more than the rest of the start-up. Rewrite them as CommonJS.
for (const file of [...walk(path.join(root, 'pkg', 'node', 'snippets')), ...walk(path.join(root, 'pkg', 'sign', 'node', 'snippets'))].filter((f) => f.endsWith('.js'))) {
  const src = readFileSync(file, 'utf8');
  const names = [];
  const cjs = src.replace(/^export (class|function|const|let) ([A-Za-z_$][\w$]*)/gm, (_, kind, name) => {
    names.push(name);
    return `${kind} ${name}`;
  });
  if (/^\s*(import|export)\b/m.test(cjs)) throw new Error(`${file}: only \`export class|function|const\` is supported in snippets`);
  writeFileSync(file, `'use strict';\n${cjs}\nmodule.exports = { ${names.join(', ')} };\n`);
}

// Node: the whole package's wasm is compiled and instantiated on first use, not at load. The Node
// entry takes signRequest from the signer's wasm (pkg/sign/node), so a process that only signs never
// compiles the client; the first call into this glue that needs its wasm (new LighthouseClient, ...)
// instantiates it, synchronously, and from then on `wasm` is the real exports object.
{
  const glue = path.join(root, 'pkg', 'node', `${name}.js`);
  const eager = [
    'const wasmPath = `${__dirname}/tc3_lighthouse_bg.wasm`;',
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
    '        const wasmPath = `${__dirname}/tc3_lighthouse_bg.wasm`;',
    "        const wasmModule = new WebAssembly.Module(require('fs').readFileSync(wasmPath));",
    '        wasm = new WebAssembly.Instance(wasmModule, __wbg_get_imports()).exports;',
    '        wasmInstantiated = true;',
    '        wasm.__wbindgen_start();',
    '    }',
    '    return wasm;',
    '}',
  ].join('\n');
  const js = readFileSync(glue, 'utf8');
  if (!js.includes(eager)) throw new Error(`build: the instantiation block of ${glue} changed; update the lazy rewrite`);
  writeFileSync(glue, js.replace(eager, lazy));
}

// The signer entry uses the whole package's errors.js (same URL, same module): one TencentCloudError
// class, so `instanceof` holds whichever entry threw. Its own glue.js stays its own (per-wasm state).
for (const dir of ['node', 'web']) {
  const glue = path.join(root, 'pkg', 'sign', dir, `${name}.js`);
  let js = readFileSync(glue, 'utf8');
  let hits = 0;
  // Module specifiers only: the import object's keys are the wasm's import names and stay.
  js = js.replace(/\.\/(snippets\/[^/'"`]+\/js\/errors\.js)(?!["'`]\s*:)/g, (_, rel) => {
    if (!existsSync(path.join(root, 'pkg', dir, rel))) throw new Error(`build: pkg/${dir}/${rel} is missing`);
    hits++;
    return `../../${dir}/${rel}`;
  });
  if (hits === 0) throw new Error(`build: no errors.js import found in ${glue}`);
  writeFileSync(glue, js);
  for (const f of walk(path.join(root, 'pkg', 'sign', dir, 'snippets')).filter((f) => f.endsWith('errors.js'))) rmSync(f);
}

// One declaration file for both entries: the nodejs target's (no init function) plus the error class.
// wasm-bindgen cannot mark a parameter optional when its type is given by hand: mark the trailing
// options (and the inputs that have defaults) here, and fail the build if the shape moved.
let dts = readFileSync(path.join(root, 'pkg', 'node', `${name}.d.ts`), 'utf8');
const optional = [
  [/constructor\(config: ClientConfig\)/, 'constructor(config?: ClientConfig)'],
  [/describeInstances\(input: DescribeInstancesRequest, options: /, 'describeInstances(input?: DescribeInstancesRequest, options?: '],
  [/describeBlueprints\(input: DescribeBlueprintsRequest, options: /, 'describeBlueprints(input?: DescribeBlueprintsRequest, options?: '],
  [/request\(action: string, params: Record<string, unknown>, options: /, 'request(action: string, params?: Record<string, unknown>, options?: '],
  [/resetInstance\(input: ResetInstanceRequest, options: /, 'resetInstance(input: ResetInstanceRequest, options?: '],
  [/resetInstanceAndWait\(input: ResetInstanceRequest, options: /, 'resetInstanceAndWait(input: ResetInstanceRequest, options?: '],
  [/resetInstances\(inputs: ResetInstanceRequest\[\], options: /, 'resetInstances(inputs: ResetInstanceRequest[], options?: '],
  [/waitUntilInstanceReset\(input: WaitInput, options: /, 'waitUntilInstanceReset(input: WaitInput, options?: '],
  [/setRateLimit\(requests_per_second: number \| false, action: string\)/, 'setRateLimit(requestsPerSecond: number | false, action?: string)'],
];
for (const [re, to] of optional) {
  if (!re.test(dts)) throw new Error(`build: the declaration ${re} was not found in the generated .d.ts`);
  dts = dts.replace(re, to);
}
writeFileSync(path.join(root, 'pkg', 'index.d.ts'), dts + readFileSync(path.join(root, 'js', 'index.d.ts'), 'utf8'));

for (const dir of ['web', 'sign/web']) {
  const bg = path.join(root, 'pkg', dir, `${name}_bg.wasm`);
  const bytes = readFileSync(bg);
  console.log(`pkg/${dir} wasm: ${statSync(bg).size} bytes raw, ${gzipSync(bytes, { level: 9 }).length} gzip${optimise ? ' (wasm-opt -Oz)' : ''}`);
}
