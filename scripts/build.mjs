// npm run build: the wasm (cargo), the web and nodejs bindings (wasm-bindgen), shrunk with wasm-opt
// (npm's binaryen; Debian's v108 writes a .wasm that fails at load time), and the package's types.
// `--dev` skips wasm-opt for a faster edit loop.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dev = process.argv.includes('--dev');
const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });

const name = 'tc3_lighthouse';
const targetDir = process.env.CARGO_TARGET_DIR ? path.resolve(root, process.env.CARGO_TARGET_DIR) : path.join(root, 'target');
run('cargo', ['build', '--release', '--target', 'wasm32-unknown-unknown']);
const wasm = path.join(targetDir, 'wasm32-unknown-unknown', 'release', `${name}.wasm`);

const wasmOpt = path.join(root, 'node_modules', '.bin', 'wasm-opt');
const optimise = !dev && existsSync(wasmOpt);
for (const target of ['web', 'nodejs']) {
  const out = path.join(root, 'pkg', target === 'nodejs' ? 'node' : 'web');
  const args = ['--target', target, '--out-dir', out, '--out-name', name];
  if (!optimise) args.push('--remove-name-section', '--remove-producers-section');
  run('wasm-bindgen', [...args, wasm]);
  const bg = path.join(out, `${name}_bg.wasm`);
  if (optimise) {
    run(wasmOpt, ['-Oz', '--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-sign-ext',
      '--enable-mutable-globals', '--strip-debug', '--strip-producers', bg, '-o', bg]);
  }
}

// The nodejs target require()s the snippets, which are ES modules: Node then starts its ES-module
// loader for them, which costs more than the rest of the start-up. Rewrite them as CommonJS.
import { readdirSync } from 'node:fs';
function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}
for (const file of walk(path.join(root, 'pkg', 'node', 'snippets')).filter((f) => f.endsWith('.js'))) {
  const src = readFileSync(file, 'utf8');
  const names = [];
  const cjs = src.replace(/^export (class|function|const|let) ([A-Za-z_$][\w$]*)/gm, (_, kind, name) => {
    names.push(name);
    return `${kind} ${name}`;
  });
  if (/^\s*(import|export)\b/m.test(cjs)) throw new Error(`${file}: only \`export class|function|const\` is supported in snippets`);
  writeFileSync(file, `'use strict';\n${cjs}\nmodule.exports = { ${names.join(', ')} };\n`);
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

const bg = path.join(root, 'pkg', 'web', `${name}_bg.wasm`);
const bytes = readFileSync(bg);
console.log(`wasm: ${statSync(bg).size} bytes raw, ${gzipSync(bytes, { level: 9 }).length} gzip${optimise ? ' (wasm-opt -Oz)' : ''}`);
