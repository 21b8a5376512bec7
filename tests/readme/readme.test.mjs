// The README's examples as tests, so that it cannot rot. Every fenced block tagged js, mjs, cjs, ts or html is
// one of:
// - run in Node (the default for js, mjs, cjs): written as a .mjs (.cjs when it is CommonJS) into a fresh
//   consumer project where the packed tarball is installed as a user would (`npm install <tgz> --offline`),
//   against a local Lighthouse API of its own (local-api/, its demo seed has the docs' ids), with the demo
//   credentials in TENCENTCLOUD_SECRET_ID / _SECRET_KEY and the SUBSTITUTIONS below; it must exit 0 (and print
//   what EXAMPLES expects, when its fence has `readme-test=<marker>`);
// - `page=<file>`: a file of the page the README shows (HTML and its module script), served with node_modules/
//   and the signing proxy at /api, and loaded in headless Chromium under the page's own CSP;
// - `file=<path>`: a config file or source of the environment matrix (tests/matrix), byte-identical to it;
// - `ts`: compiled with the root tsc (strict, Node's types from the root's @types/node); when the installed
//   package ships types, the interfaces it declares are also checked against the package's (TYPE_DIRECTIONS);
// - `ts reference`: an API signature summary, not valid TypeScript on its own; skipped, and counted.
// Command blocks (```bash command=<name>```) must be the matrix's commands (tests/matrix/commands.mjs, which the
// matrix runs), line for line; ```text csp``` must be the tested page's policy. A block the test does not know
// how to handle fails it, as does a bash block naming a bundler or runtime without `command=`.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { launch } from '../helpers/browser.mjs';
import { startLighthouseApi, demoSeed, DEMO_CREDENTIALS } from '../../local-api/server.mjs';
import { NODE_WASM_FILES, WEB_WASM_FILES, bunBuild, bunRun, denoRun, esbuildNode, esbuildWeb, rollup } from '../matrix/commands.mjs';

// The local API lists one region per call, as the service does: the demo's instances in ap-guangzhou.
const GUANGZHOU = demoSeed().instances.filter((i) => i.Zone.startsWith('ap-guangzhou-')).length;

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const run = promisify(execFile);

/**
 * How a Node example is pointed at the local API instead of Tencent's; nothing else in an example changes.
 * Every rule must apply somewhere, so that the table cannot go stale.
 */
const SUBSTITUTIONS = [
  {
    rule: "the real endpoint's URL in a string becomes the local API's",
    apply: (code, ctx) => code.replaceAll("'https://lighthouse.tencentcloudapi.com'", `'${ctx.apiUrl}'`),
  },
  {
    rule: "a signRequest input gets `host`: the local API's host:port, which the signature covers (fetch sends its own Host)",
    apply: (code, ctx) => code.replaceAll('signRequest({', `signRequest({ host: '${ctx.apiHost}', `),
  },
  {
    rule: "`region: '...'` in any other object (a client's, a proxy's or a module function's config) gets `endpoint`: the local API",
    apply: (code, ctx) => code.replace(/region: '[a-z0-9-]+'/g, (m, at) => (inSignInput(code, at) ? m : `${m}, endpoint: '${ctx.apiUrl}'`)),
  },
  {
    rule: "a server's fixed port `.listen(8080)` becomes a free port on 127.0.0.1",
    apply: (code, ctx) => code.replaceAll('.listen(8080)', `.listen(${ctx.port}, '127.0.0.1')`),
  },
];

/** Whether offset `at` is inside the object literal passed to `signRequest(`. */
function inSignInput(code, at) {
  let depth = 0;
  for (let k = at - 1; k >= 0; k--) {
    if (code[k] === '}') depth++;
    else if (code[k] === '{' && depth-- === 0) return /signRequest\(\s*$/.test(code.slice(0, k));
  }
  return false;
}

/**
 * What the examples whose fence has `readme-test=<marker>` need: `stdout` it must print, `prelude` (code put
 * before it, for names it relies on: none needed today, the examples are self-contained), `server` (it listens:
 * the test calls it through the proxy it serves, then stops it), `pendingExports` (exports another branch is
 * adding: the example is skipped, with the reason, until the installed package has them).
 */
const EXAMPLES = {
  'quick-start': { stdout: /^reset started: [0-9a-f-]{36}$/m },
  'one-instance': { stdout: /^true$/m },
  providers: { stdout: /^instances: \d+ token: string\nthe chain used: environment \(TENCENTCLOUD_SECRET_ID\)$/m },
  'from-http': { stdout: /^instances: \d+$/m },
  'client-waiters': { stdout: /^lhins-ruy9d2tw SUCCESS$[\s\S]*^lhins-efgh5678 reset: [\s\S]*^lhins-q8d2k7mz reset: /m },
  'module-waiters': { stdout: /^SUCCESS \[ true, false \]$/m, pendingExports: ['resetInstanceAndWait', 'resetInstances'] },
  operator: { stdout: /^lhbp-5e8807lo can be used$[\s\S]*^lhbp-win2022d cannot: Switching between Linux and Windows[\s\S]*^2 running$[\s\S]*^7 images$/m },
  'proxy-server': { server: true },
  'resumable-fleet': { stdout: /^true$/m },
  logger: { stdout: /^attempt DescribeInstances 200$/m },
};

/** For `ts` blocks, when the package ships types: what the README says you may pass is accepted ('input'), what the package returns has what the README says ('output'). */
const TYPE_DIRECTIONS = { SignInput: 'input', SignedRequest: 'output' };

const REFERENCE_REASON = 'an API signature summary (signatures outside any class or declaration), not valid TypeScript on its own';

/** The README's command blocks, as the matrix runs them (entries and output paths the README's). */
const copy = (files) => `cp ${files.map((f) => `node_modules/tc3-lighthouse/${f}`).join(' ')} dist/`;
const copyWasm = copy(WEB_WASM_FILES);
const COMMANDS = {
  esbuild: [`npx esbuild ${esbuildWeb(['src/main.js']).join(' ')}`, copyWasm],
  rollup: [`npx rollup ${rollup().join(' ')}`, copyWasm],
  'bun-build': [`bun ${bunBuild(['src/main.js']).join(' ')}`, copyWasm],
  deno: [`deno ${denoRun('lighthouse.tencentcloudapi.com', 'main.mjs').join(' ')}`],
  bun: [`bun ${bunRun('main.mjs').join(' ')}`],
  'node-bundle': [
    `npx esbuild ${esbuildNode('server.mjs', 'esm', 'dist/server.mjs').join(' ')}`,
    `npx esbuild ${esbuildNode('server.cjs', 'cjs', 'dist/server.cjs').join(' ')}`,
    copy(NODE_WASM_FILES),
  ],
};

/** The README's fenced blocks: language, attributes (`k=v`, or a bare flag as `k: true`), code, line. */
function readmeBlocks() {
  const lines = readFileSync(path.join(root, 'README.md'), 'utf8').split('\n');
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)(.*)$/.exec(lines[i]);
    if (!open) continue;
    const start = i;
    const body = [];
    for (i++; i < lines.length && lines[i] !== '```'; i++) body.push(lines[i]);
    assert.ok(i < lines.length, `README.md:${start + 1}: unclosed fence`);
    const attrs = Object.fromEntries(
      open[2]
        .trim()
        .split(/\s+/)
        .filter(Boolean)
        .map((a) => {
          const eq = a.indexOf('=');
          return eq < 0 ? [a, true] : [a.slice(0, eq), a.slice(eq + 1)];
        }),
    );
    blocks.push({ lang: open[1], attrs, code: `${body.join('\n')}\n`, line: start + 1 });
  }
  return blocks;
}

const blocks = readmeBlocks();
const where = (b) => `README.md:${b.line}`;
const isCode = (b) => ['js', 'mjs', 'cjs', 'ts', 'html'].includes(b.lang);
const nodeExamples = blocks.filter((b) => ['js', 'mjs', 'cjs'].includes(b.lang) && !b.attrs.file && !b.attrs.page);
const pageBlocks = blocks.filter((b) => b.attrs.page);
const fileBlocks = blocks.filter((b) => isCode(b) && b.attrs.file);
const tsBlocks = blocks.filter((b) => b.lang === 'ts' && !b.attrs.reference);
const referenceBlocks = blocks.filter((b) => b.lang === 'ts' && b.attrs.reference);
const commandBlocks = blocks.filter((b) => b.attrs.command);

let work;
let consumer;
let pkg;
let browser;

async function sh(cmd, args, opts = {}) {
  try {
    return await run(cmd, args, { maxBuffer: 16 << 20, timeout: 60_000, ...opts });
  } catch (e) {
    throw new Error(`${path.basename(cmd)} ${args.join(' ')} failed (${e.code ?? e.signal}):\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
}

async function freePort() {
  const s = net.createServer();
  await new Promise((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address();
  await new Promise((resolve) => s.close(resolve));
  return port;
}

before(async () => {
  assert.ok(existsSync(path.join(root, 'pkg', 'web', 'tc3_lighthouse_bg.wasm')), 'pkg/ is not built: run `node scripts/build.mjs`');
  work = mkdtempSync(path.join(os.tmpdir(), 'tc3-readme-'));
  const { stdout } = await sh('npm', ['pack', '--pack-destination', work, '--loglevel=error'], { cwd: path.join(root, 'pkg') });
  const tarball = path.join(work, stdout.trim().split('\n').pop());
  consumer = path.join(work, 'consumer');
  mkdirSync(consumer);
  writeFileSync(path.join(consumer, 'package.json'), JSON.stringify({ name: 'readme-consumer', private: true }, null, 2));
  await sh('npm', ['install', tarball, '--offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: consumer });
  pkg = createRequire(path.join(consumer, 'package.json'))('tc3-lighthouse');
});

after(async () => {
  await browser?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

test('every JS, TS and HTML block of the README is run, checked or marked reference', (t) => {
  for (const b of blocks.filter(isCode)) {
    const handled = ['js', 'mjs', 'cjs'].includes(b.lang) || b.attrs.page || b.attrs.file || b.lang === 'ts';
    assert.ok(handled, `${where(b)}: a ${b.lang} block the test does not run: give it page= or file=`);
    if (b.attrs['readme-test']) assert.ok(EXAMPLES[b.attrs['readme-test']], `${where(b)}: readme-test=${b.attrs['readme-test']} is not in EXAMPLES`);
  }
  const markers = nodeExamples.map((b) => b.attrs['readme-test']).filter(Boolean);
  assert.deepEqual([...markers].sort(), [...new Set(markers)].sort(), 'a readme-test marker is used twice');
  assert.deepEqual(
    Object.keys(EXAMPLES).filter((m) => !markers.includes(m)),
    [],
    'EXAMPLES has markers no README block uses',
  );
  for (const b of blocks.filter((x) => x.lang === 'bash' && !x.attrs.command)) {
    assert.doesNotMatch(b.code, /\b(esbuild|rollup|bun|deno|wrangler|vite|webpack)\b/, `${where(b)}: a tool command without command=<name>`);
  }
  t.diagnostic(
    `${nodeExamples.length} run in Node, ${pageBlocks.length} make the page run in Chromium, ${fileBlocks.length} checked as matrix files, ` +
      `${commandBlocks.length} command blocks checked, ${tsBlocks.length} TypeScript compiled, ${referenceBlocks.length} reference (${REFERENCE_REASON})`,
  );
});

test("config files and sources: byte-identical to the matrix's", () => {
  assert.ok(fileBlocks.length > 0);
  const withoutLeadingComments = (s) => s.replace(/^(\/\/[^\n]*\n)+/, '');
  for (const b of fileBlocks) {
    const file = readFileSync(path.join(root, b.attrs.file), 'utf8');
    // The README may leave out the file's leading comment lines; nothing else.
    if (b.code !== file) assert.equal(withoutLeadingComments(b.code), withoutLeadingComments(file), `${where(b)} differs from ${b.attrs.file}`);
  }
});

test("commands: the matrix's (tests/matrix/commands.mjs), line for line", () => {
  assert.deepEqual(commandBlocks.map((b) => b.attrs.command).sort(), Object.keys(COMMANDS).sort(), 'each command in COMMANDS is shown once');
  for (const b of commandBlocks) {
    const lines = b.code
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    assert.deepEqual(lines, COMMANDS[b.attrs.command], `${where(b)} (command=${b.attrs.command})`);
  }
});

test('Node examples run against the local API', { concurrency: 2 }, async (t) => {
  assert.ok(nodeExamples.length > 0);
  const used = new Set();
  await Promise.all(
    nodeExamples.map((b, n) => {
      const marker = b.attrs['readme-test'];
      const spec = EXAMPLES[marker] ?? {};
      const title = `${where(b)}${marker ? ` (${marker})` : ''}: ${b.code.split('\n').find((l) => l.trim() && !l.startsWith('//'))}`;
      const missing = (spec.pendingExports ?? []).filter((name) => typeof pkg[name] !== 'function');
      const skip = missing.length > 0 && `the installed package does not export ${missing.join(', ')} yet (module functions being added on another branch)`;
      return t.test(title, { skip }, async () => {
        const api = await startLighthouseApi({ operatingPolls: 0 });
        try {
          const ctx = { apiUrl: api.url, apiHost: new URL(api.url).host, port: await freePort() };
          let code = `${spec.prelude ?? ''}${b.code}`;
          for (const [i, s] of SUBSTITUTIONS.entries()) {
            const next = s.apply(code, ctx);
            if (next !== code) used.add(i);
            code = next;
          }
          const commonJs = b.lang === 'cjs' || (/\brequire\(/.test(code) && !/^import\s/m.test(code));
          const file = path.join(consumer, `readme-${n + 1}.${commonJs ? 'cjs' : 'mjs'}`);
          writeFileSync(file, code);
          // STS and the metadata paths are the local API's too (the providers' examples).
          const env = {
            ...process.env,
            NO_COLOR: '1',
            TENCENTCLOUD_SECRET_ID: DEMO_CREDENTIALS.secretId,
            TENCENTCLOUD_SECRET_KEY: DEMO_CREDENTIALS.secretKey,
            TENCENTCLOUD_STS_ENDPOINT: api.url,
            TENCENTCLOUD_METADATA_ENDPOINT: api.url,
          };
          delete env.TENCENTCLOUD_SESSION_TOKEN;
          if (spec.server) {
            await runServer(file, env, ctx.port);
          } else {
            const { stdout } = await sh(process.execPath, [file], { cwd: consumer, env, timeout: 30_000 });
            if (spec.stdout) assert.match(stdout, spec.stdout, `${where(b)} printed:\n${stdout}`);
          }
        } finally {
          await api.close();
        }
      });
    }),
  );
  assert.deepEqual(
    SUBSTITUTIONS.filter((_, i) => !used.has(i)).map((s) => s.rule),
    [],
    'substitutions no example needs',
  );
});

/** Starts a server example, asks the signing proxy it serves for the instances, and stops it. */
async function runServer(file, env, port) {
  const child = spawn(process.execPath, [file], { cwd: consumer, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => {
    output += d;
  });
  child.stderr.on('data', (d) => {
    output += d;
  });
  try {
    const deadline = Date.now() + 15_000;
    for (;;) {
      assert.equal(child.exitCode, null, `the server exited:\n${output}`);
      const up = await new Promise((resolve) => {
        const s = net
          .connect(port, '127.0.0.1', () => {
            s.destroy();
            resolve(true);
          })
          .on('error', () => resolve(false));
      });
      if (up) break;
      assert.ok(Date.now() < deadline, `the server did not listen on ${port}:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const res = await fetch(`http://127.0.0.1:${port}/`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-TC-Action': 'DescribeInstances', 'X-TC-Region': 'ap-guangzhou' },
      body: '{}',
    });
    const body = await res.json();
    assert.equal(body.Response?.TotalCount, GUANGZHOU, `${JSON.stringify(body)}\n${output}`);
  } finally {
    child.kill('SIGTERM');
  }
}

test('the page runs in headless Chromium under its own CSP, which it needs', async (t) => {
  const html = pageBlocks.filter((b) => b.lang === 'html');
  assert.equal(html.length, 1, 'one HTML page');
  for (const b of pageBlocks) writeFileSync(path.join(consumer, b.attrs.page), b.code);
  const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html[0].code)?.[1];
  assert.ok(csp, 'the page sets a Content-Security-Policy');
  const cspBlocks = blocks.filter((b) => b.attrs.csp);
  assert.equal(cspBlocks.length, 1);
  assert.equal(cspBlocks[0].code.trim(), `Content-Security-Policy: ${csp}`, `${where(cspBlocks[0])}: not the page's policy`);
  // The same page without 'wasm-unsafe-eval': it must fail, or the README would ask for more than is needed.
  const strict = html[0].code.replace(" 'wasm-unsafe-eval'", '');
  assert.notEqual(strict, html[0].code);
  writeFileSync(path.join(consumer, `no-wasm-eval-${html[0].attrs.page}`), strict);

  const api = await startLighthouseApi({ operatingPolls: 0 });
  const proxy = pkg.toNodeListener(pkg.createSigningProxy({ endpoint: api.url, credentials: DEMO_CREDENTIALS, region: 'ap-guangzhou' }));
  const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm' };
  // The page's origin: its files and node_modules/, and the signing proxy at /api (as the README says to serve it).
  const server = http.createServer(async (req, res) => {
    const { pathname } = new URL(req.url, 'http://x');
    if (pathname === '/api' || pathname.startsWith('/api/')) return proxy(req, res);
    if (pathname === '/favicon.ico') return res.writeHead(204).end();
    const file = path.join(consumer, path.normalize(decodeURIComponent(pathname)));
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  browser = await launch();
  const open = async (name) => {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    try {
      const failed = new Promise((resolve) => page.once('pageerror', resolve));
      await page.goto(`${origin}/${name}`);
      await Promise.race([
        failed,
        page.waitForFunction(() => document.querySelectorAll('#instances li').length > 0, null, { timeout: 10_000 }).catch(() => {}),
      ]);
      const items = await page.$$eval('#instances li', (lis) => lis.map((li) => li.textContent));
      return { items, errors };
    } finally {
      await page.close();
    }
  };
  try {
    const ok = await open(html[0].attrs.page);
    assert.deepEqual(ok.errors, []);
    assert.equal(ok.items.length, GUANGZHOU, JSON.stringify(ok));
    assert.ok(ok.items.includes('lhins-ruy9d2tw web-prod-gz-01 RUNNING'), JSON.stringify(ok.items));
    const refused = await open(`no-wasm-eval-${html[0].attrs.page}`);
    assert.deepEqual(refused.items, []);
    assert.ok(
      refused.errors.some((e) => /WebAssembly|Content Security Policy/i.test(e)),
      JSON.stringify(refused.errors),
    );
    t.diagnostic(`without 'wasm-unsafe-eval': ${refused.errors[0]}`);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await api.close();
  }
});

test("TypeScript blocks compile (strict), and match the package's types when it ships them", async (t) => {
  const typed = existsSync(path.join(consumer, 'node_modules', 'tc3-lighthouse', 'node', 'index.d.mts'));
  if (!typed) t.diagnostic("the installed package has no types yet: the README's declarations are compiled on their own, not compared");
  const files = [];
  for (const [n, b] of tsBlocks.entries()) {
    let code = b.code;
    if (typed) {
      const names = [...b.code.matchAll(/^(?:export\s+)?interface\s+(\w+)/gm)].map((m) => m[1]);
      code = `import type * as Pkg from 'tc3-lighthouse';\n${code}`;
      for (const name of names) {
        const direction = TYPE_DIRECTIONS[name];
        assert.ok(direction, `${where(b)}: interface ${name}: say in TYPE_DIRECTIONS whether it is an input or an output`);
        code +=
          direction === 'input' ? `export const check${name}: Pkg.${name} = {} as ${name};\n` : `export const check${name}: ${name} = {} as Pkg.${name};\n`;
      }
    }
    const file = path.join(consumer, `readme-types-${n + 1}.mts`);
    writeFileSync(file, code.includes('import ') || code.includes('export ') ? code : `${code}export {};\n`);
    files.push(file);
  }
  if (files.length === 0) return;
  await sh(
    path.join(root, 'node_modules', '.bin', 'tsc'),
    [
      '--strict',
      '--noEmit',
      '--target',
      'ES2022',
      '--module',
      'NodeNext',
      '--moduleResolution',
      'NodeNext',
      '--lib',
      'ES2022,DOM',
      '--typeRoots',
      path.join(root, 'node_modules', '@types'),
      '--types',
      'node',
      ...files,
    ],
    { cwd: consumer },
  );
});
