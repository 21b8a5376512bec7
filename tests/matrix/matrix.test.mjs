// The environment matrix: the packed tarball installed into fresh consumer projects, as a user would,
// built for production by each real tool and run where users run it, against the local API on 127.0.0.1.
// - Vite, webpack 5, esbuild, Rollup (+ node-resolve) and bun build: every import style of the README as an
//   entry, each page loaded in one headless Chromium; a Vite module worker that must answer the first message.
// - Deno and Bun running a script; Cloudflare workerd (wrangler dev --local, under npm's node@22) serving the
//   signing proxy and signRequest; esbuild --platform=node bundles (ESM and CJS) run from a folder without
//   node_modules.
// - publint --strict and @arethetypeswrong/cli on the tarball.
// The tools come from tests/matrix/package-lock.json (scripts/matrix-setup.sh installs them). Each bundle's gzip
// size is written to test-results/matrix/bundle-sizes.json (bench/bundle-sizes.json is a committed copy).
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { promisify } from 'node:util';
import { startStaticServer } from '../helpers/static-server.mjs';
import { launch } from '../helpers/browser.mjs';
import { startLighthouseApi, DEMO_CREDENTIALS } from '../../local-api/server.mjs';
import { NODE_WASM_FILES, WEB_WASM_FILES, bunBuild, bunRun, denoRun, esbuildNode, esbuildWeb, rollup } from './commands.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const tools = path.join(here, 'node_modules');
const bin = (name) => path.join(tools, '.bin', name);
const node22 = path.join(tools, 'node', 'bin', 'node');
const run = promisify(execFile);
// The tools' own network calls off (toolchain.md), and no colour codes in what the test reads.
const quiet = {
  ...process.env,
  CI: '1',
  NO_COLOR: '1',
  FORCE_COLOR: '0',
  DENO_NO_UPDATE_CHECK: '1',
  DENO_NO_PROMPT: '1',
  WRANGLER_SEND_METRICS: 'false',
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  DO_NOT_TRACK: '1',
  BUN_DISABLE_TELEMETRY: '1',
};

const SIGN_INPUT = {
  secretId: 'AKIDMATRIX',
  secretKey: 'matrix-key',
  action: 'DescribeInstances',
  region: 'ap-guangzhou',
  timestamp: 1700000000,
  payload: '{}',
};
const PAGES = ['named', 'sign', 'namespace', 'client', 'both'];

let work;
let tarball;
let api;
let expected;
let browser;
const sizes = {};

async function sh(cmd, args, opts = {}) {
  try {
    return await run(cmd, args, { env: quiet, maxBuffer: 64 << 20, timeout: 180_000, ...opts });
  } catch (e) {
    throw new Error(`${path.basename(cmd)} ${args.join(' ')} failed (${e.code ?? e.signal}):\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
}

/** A fresh consumer project: the template's files, and the tarball installed by npm as a user would. */
async function project(name, template, devTools = []) {
  const dir = path.join(work, name);
  mkdirSync(dir, { recursive: true });
  for (const t of [].concat(template)) cpSync(path.join(here, 'projects', t), dir, { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: `matrix-${name}`, private: true, type: 'module' }, null, 2));
  await sh('npm', ['install', tarball, '--offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir });
  // The build tools a user would have in devDependencies: the matrix's pinned copies, linked in.
  for (const t of devTools) {
    mkdirSync(path.dirname(path.join(dir, 'node_modules', t)), { recursive: true });
    symlinkSync(path.join(tools, t), path.join(dir, 'node_modules', t), 'dir');
  }
  return dir;
}

/** What the README says esbuild, Rollup, bun build and Node bundles need: the package's .wasm files next to the bundle. */
function copyWasm(dir, out, files = WEB_WASM_FILES) {
  const pkg = path.join(dir, 'node_modules', 'tc3-lighthouse');
  for (const f of files) cpSync(path.join(pkg, f), path.join(out, path.basename(f)));
}

function pagesFor(out, names, { module = true } = {}) {
  for (const name of names) {
    writeFileSync(
      path.join(out, `${name}.html`),
      `<!doctype html><meta charset="utf-8"><script${module ? ' type="module"' : ''} src="./${name}.js"></script>\n`,
    );
  }
}

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

const gz = (f) => gzipSync(readFileSync(f), { level: 9 }).length;

/**
 * gzip -9 of what a tool emitted: every .js and .wasm of all entries, and what the pages `sign` (the signer
 * alone) and `client` (a client call) loaded in Chromium, as a user's page would.
 */
function recordSize(tool, out, results) {
  const files = walk(out).filter((f) => /\.(m?js|wasm)$/.test(f));
  const page = (name) => {
    const loaded = (results[name]?.loaded ?? []).map((p) => path.join(out, p)).filter((f) => /\.(m?js|wasm)$/.test(f) && existsSync(f));
    return { gzip: loaded.reduce((n, f) => n + gz(f), 0), files: loaded.map((f) => path.relative(out, f)) };
  };
  sizes[tool] = { emittedGzip: files.reduce((n, f) => n + gz(f), 0), signPage: page('sign'), clientPage: page('client') };
}

/** Opens each page of a built site in Chromium and returns what each reported. */
async function openPages(siteDir, names, query = '') {
  const server = await startStaticServer(siteDir);
  const results = {};
  try {
    for (const name of names) {
      const page = await browser.newPage();
      const errors = [];
      const loaded = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      page.on('request', (r) => {
        if (r.url().startsWith(server.url)) loaded.push(decodeURIComponent(new URL(r.url()).pathname));
      });
      try {
        await page.goto(`${server.url}/${name}.html${query}`);
        await page.waitForFunction(() => window.__result !== undefined, null, { timeout: 20_000 }).catch(() => {});
        results[name] = { ...(await page.evaluate(() => window.__result ?? { error: 'the page reported nothing' })), pageErrors: errors, loaded };
      } finally {
        await page.close();
      }
    }
  } finally {
    await server.close();
  }
  return results;
}

function assertPages(results, tool) {
  for (const [name, r] of Object.entries(results)) {
    const where = `${tool}: ${name}.html reported ${JSON.stringify(r)}`;
    assert.equal(r.error, undefined, where);
    assert.deepEqual(r.pageErrors, [], where);
    assert.ok(
      r.loaded.some((f) => f.endsWith('.wasm')),
      `${where}: no .wasm loaded`,
    );
    if (name === 'client') {
      assert.equal(r.TotalCount, expected.TotalCount, where);
    } else {
      assert.equal(r.signature, expected.signature, where);
    }
    if (name === 'named') assert.equal(r.refused, true, where);
    if (name === 'namespace') assert.deepEqual(r.exports, [], where);
    if (name === 'sign') assert.equal(r.errorClass, 'function', where);
    if (name === 'both') assert.match(r.client, /^LighthouseClient/, where);
  }
}

const apiQuery = () =>
  `?api=${encodeURIComponent(api.url)}&id=${encodeURIComponent(DEMO_CREDENTIALS.secretId)}&key=${encodeURIComponent(DEMO_CREDENTIALS.secretKey)}`;

before(async () => {
  assert.ok(existsSync(bin('vite')), 'the matrix tools are not installed: run `bash scripts/matrix-setup.sh`');
  work = mkdtempSync(path.join(os.tmpdir(), 'tc3-matrix-'));
  const { stdout } = await sh('npm', ['pack', '--pack-destination', work, '--loglevel=error'], { cwd: path.join(root, 'pkg') });
  tarball = path.join(work, stdout.trim().split('\n').pop());
  api = await startLighthouseApi({ rateLimit: 0 });
  const require = createRequire(import.meta.url);
  const { signRequest } = require(path.join(root, 'pkg', 'node', 'index.cjs'));
  const payload = '{"Limit":100}';
  const headers = signRequest({ ...DEMO_CREDENTIALS, action: 'DescribeInstances', region: 'ap-guangzhou', host: new URL(api.url).host, payload }).headers;
  const listed = await (await fetch(api.url, { method: 'POST', headers, body: payload })).json();
  expected = { signature: signRequest(SIGN_INPUT).signature, TotalCount: listed.Response.TotalCount };
  assert.ok(expected.TotalCount > 0);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await api?.close();
  if (work) {
    const out = path.join(root, 'test-results', 'matrix');
    mkdirSync(out, { recursive: true });
    writeFileSync(path.join(out, 'bundle-sizes.json'), `${JSON.stringify(sizes, null, 2)}\n`);
    if (process.env.RECORD_BUNDLE_SIZES)
      writeFileSync(
        path.resolve(root, process.env.RECORD_BUNDLE_SIZES),
        `${JSON.stringify({ note: 'gzip -9 of every .js and .wasm each tool emitted for tests/matrix/projects/web (all entries; one page loads a subset). Written by the matrix test with RECORD_BUNDLE_SIZES.', sizes }, null, 2)}\n`,
      );
    rmSync(work, { recursive: true, force: true });
  }
});

test('publint --strict: the tarball is clean', async () => {
  const { stdout } = await sh(bin('publint'), ['run', tarball, '--strict', '--pack', 'false'], { cwd: work });
  assert.doesNotMatch(stdout, /warning|error|suggestion/i, stdout);
});

test("@arethetypeswrong/cli: every entry's types match its module format in every resolution mode", async () => {
  const { stdout } = await sh(bin('attw'), [tarball, '--format', 'ascii', '--no-emoji', '--no-color'], { cwd: work });
  assert.match(stdout, /No problems found/, stdout);
});

test('the tarball: README, LICENSE, repository fields, each .wasm once', async () => {
  const { stdout } = await sh('tar', ['-tzf', tarball]);
  const files = stdout
    .trim()
    .split('\n')
    .map((f) => f.replace(/^package\//, ''));
  for (const f of ['README.md', 'LICENSE', 'package.json']) assert.ok(files.includes(f), `${f} is missing: ${files.join(' ')}`);
  const wasm = files.filter((f) => f.endsWith('.wasm'));
  assert.deepEqual(wasm.sort(), ['server/tc3_lighthouse_server_bg.wasm', 'sign/web/tc3_lighthouse_sign_bg.wasm', 'web/tc3_lighthouse_bg.wasm']);
  const pj = JSON.parse(readFileSync(path.join(root, 'pkg', 'package.json'), 'utf8'));
  for (const k of ['repository', 'homepage', 'bugs', 'license']) assert.ok(pj[k], k);
});

test('Vite: production build, every import style, and a module worker that answers the first message', async () => {
  const dir = await project('vite', ['web', 'vite'], ['vite']);
  for (const name of [...PAGES, 'worker-page']) {
    writeFileSync(path.join(dir, `${name}.html`), `<!doctype html><meta charset="utf-8"><script type="module" src="/src/${name}.js"></script>\n`);
  }
  // matrix.vite.config.js: the README's vite.config.js, plus this test's pages as inputs.
  await sh(bin('vite'), ['build', '--config', 'matrix.vite.config.js', '--logLevel', 'warn'], { cwd: dir });
  const out = path.join(dir, 'dist');
  const results = await openPages(out, [...PAGES, 'worker-page'], apiQuery());
  recordSize('vite', out, results);
  assertPages(results, 'vite');
});

test('webpack 5: production build, every import style', async () => {
  const dir = await project('webpack', ['web', 'webpack'], ['webpack', 'webpack-cli']);
  await sh(bin('webpack'), ['--no-color'], { cwd: dir });
  const out = path.join(dir, 'dist');
  pagesFor(out, PAGES, { module: false });
  const results = await openPages(out, PAGES, apiQuery());
  recordSize('webpack', out, results);
  assertPages(results, 'webpack');
});

test('esbuild: --bundle --format=esm, the .wasm copied next to the bundle', async () => {
  const dir = await project('esbuild', ['web']);
  const out = path.join(dir, 'dist');
  await sh(bin('esbuild'), [...esbuildWeb(PAGES.map((p) => `src/${p}.js`)), '--log-level=warning'], { cwd: dir });
  copyWasm(dir, out);
  pagesFor(out, PAGES);
  const results = await openPages(out, PAGES, apiQuery());
  recordSize('esbuild', out, results);
  assertPages(results, 'esbuild');
});

test('Rollup with @rollup/plugin-node-resolve, the .wasm copied next to the bundle', async () => {
  const dir = await project('rollup', ['web', 'rollup'], ['rollup', '@rollup/plugin-node-resolve']);
  // The README's rollup.config.mjs, with this test's pages as inputs instead of its src/main.js.
  await sh(bin('rollup'), [...rollup(), ...PAGES.flatMap((p) => ['--input', `${p}=src/${p}.js`]), '--silent'], { cwd: dir });
  const out = path.join(dir, 'dist');
  copyWasm(dir, out);
  pagesFor(out, PAGES);
  const results = await openPages(out, PAGES, apiQuery());
  recordSize('rollup', out, results);
  assertPages(results, 'rollup');
});

test('bun build --target=browser, the .wasm copied next to the bundle', async () => {
  const dir = await project('bun-build', ['web']);
  const out = path.join(dir, 'dist');
  await sh(bin('bun'), bunBuild(PAGES.map((p) => `src/${p}.js`)), { cwd: dir });
  copyWasm(dir, out);
  pagesFor(out, PAGES);
  const results = await openPages(out, PAGES, apiQuery());
  recordSize('bun', out, results);
  assertPages(results, 'bun build');
});

function scriptEnv() {
  return { ...quiet, API_URL: api.url, SECRET_ID: DEMO_CREDENTIALS.secretId, SECRET_KEY: DEMO_CREDENTIALS.secretKey, SIGN_INPUT: JSON.stringify(SIGN_INPUT) };
}

function assertScript(stdout, tool) {
  const r = JSON.parse(stdout.trim().split('\n').pop());
  assert.equal(r.signature, expected.signature, `${tool}: ${stdout}`);
  assert.equal(r.alone, expected.signature, `${tool}: ${stdout}`);
  assert.equal(r.TotalCount, expected.TotalCount, `${tool}: ${stdout}`);
  if ('refused' in r) assert.equal(r.refused, true, `${tool}: ${stdout}`);
}

test('Deno runs a script that signs and calls the local API', async () => {
  const dir = await project('deno', ['runtime']);
  const { stdout } = await sh(bin('deno'), denoRun(new URL(api.url).host, 'script.mjs'), {
    cwd: dir,
    env: { ...scriptEnv(), DENO_DIR: path.join(work, 'deno-cache') },
  });
  assertScript(stdout, 'deno');
});

test('Bun runs a script that signs and calls the local API', async () => {
  const dir = await project('bun', ['runtime']);
  const { stdout } = await sh(bin('bun'), bunRun('script.mjs'), { cwd: dir, env: scriptEnv() });
  assertScript(stdout, 'bun');
});

test('esbuild --platform=node bundles, ESM and CJS, run from a folder without node_modules', async () => {
  const dir = await project('node-bundle', ['node-bundle']);
  for (const [src, outFile, format] of [
    ['server.mjs', 'server.mjs', 'esm'],
    ['server.cjs', 'server.cjs', 'cjs'],
  ]) {
    const out = path.join(work, `node-bundle-${format}`);
    mkdirSync(out);
    await sh(bin('esbuild'), [...esbuildNode(src, format, path.join(out, outFile)), '--log-level=warning'], { cwd: dir });
    copyWasm(dir, out, NODE_WASM_FILES);
    assert.ok(!existsSync(path.join(out, 'node_modules')));
    const { stdout } = await sh(process.execPath, [outFile], { cwd: out, env: scriptEnv() });
    assertScript(stdout, `esbuild node ${format}`);
  }
});

async function freePort() {
  const s = net.createServer();
  await new Promise((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address();
  await new Promise((resolve) => s.close(resolve));
  return port;
}

test('Cloudflare workerd (wrangler dev --local): the signing proxy and signRequest', async (t) => {
  const dir = await project('workerd', ['workerd']);
  const port = await freePort();
  const child = spawn(
    node22,
    [
      path.join(tools, 'wrangler', 'bin', 'wrangler.js'),
      'dev',
      '--local',
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--var',
      `API_URL:${api.url}`,
      '--var',
      `SECRET_ID:${DEMO_CREDENTIALS.secretId}`,
      '--var',
      `SECRET_KEY:${DEMO_CREDENTIALS.secretKey}`,
      '--show-interactive-dev-session=false',
    ],
    {
      cwd: dir,
      env: { ...quiet, HOME: path.join(work, 'home'), XDG_CONFIG_HOME: path.join(work, 'home', '.config') },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  );
  let log = '';
  child.stdout.on('data', (d) => {
    log += d;
  });
  child.stderr.on('data', (d) => {
    log += d;
  });
  t.after(() => {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      /* gone */
    }
  });
  const deadline = Date.now() + 90_000;
  while (!/Ready on/.test(log)) {
    assert.ok(Date.now() < deadline && child.exitCode === null, `wrangler did not start:\n${log}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const base = `http://127.0.0.1:${port}`;
  const signed = await (await fetch(`${base}/sign`, { method: 'POST', body: JSON.stringify(SIGN_INPUT) })).json();
  assert.deepEqual(signed, { main: expected.signature, alone: expected.signature }, log);
  const res = await fetch(base, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-TC-Action': 'DescribeInstances', 'X-TC-Region': 'ap-guangzhou' },
    body: '{"Limit":100}',
  });
  const body = await res.json();
  assert.equal(body.Response?.TotalCount, expected.TotalCount, `${JSON.stringify(body)}\n${log}`);
  const refused = await (
    await fetch(base, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-TC-Action': 'TerminateInstances' }, body: '{}' })
  ).json();
  assert.equal(refused.Response?.Error?.Code, 'UnauthorizedOperation.ActionNotAllowed', JSON.stringify(refused));
});

test('TypeScript 5.9 and 7: a browser project (no @types/node, skipLibCheck false) compiles against the installed tarball', async () => {
  const dir = await project('typescript', []);
  cpSync(path.join(root, 'tests', 'types', 'browser.ts'), path.join(dir, 'browser.ts'));
  const config = JSON.parse(readFileSync(path.join(root, 'tests', 'types', 'tsconfig.browser.json'), 'utf8'));
  writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(config, null, 2));
  assert.ok(!existsSync(path.join(dir, 'node_modules', '@types')), 'the project has no @types');
  for (const tsc of [path.join(tools, 'typescript', 'bin', 'tsc'), path.join(tools, 'typescript7', 'bin', 'tsc')]) {
    const { stdout } = await sh(process.execPath, [tsc, '--version']);
    await sh(process.execPath, [tsc, '-p', dir]).catch((e) => assert.fail(`${stdout.trim()}: ${e.message}`));
  }
});
