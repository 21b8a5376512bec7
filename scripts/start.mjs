// npm start: the web console (www/) in front of a signing proxy, on 127.0.0.1.
//
//   npm start                      demo: a local Lighthouse API seeded as a demo account, the proxy signs for it
//   npm start -- --live            the proxy signs with TENCENTCLOUD_SECRET_ID / _SECRET_KEY (/ _SESSION_TOKEN)
//                                  and forwards to the real endpoint; region from --region or TENCENTCLOUD_REGION
//   PORT=9000 npm start            another port (PORT=0: any free port)
//   npm start -- --no-build        neither set up nor build: use node_modules/ and pkg/ as they are
//
// First runs scripts/setup.sh (the wasm32 target, wasm-bindgen-cli, npm ci; each step skipped when done,
// so a warm machine spends a fraction of a second; Chromium is skipped: only the browser tests need it),
// then builds the package when pkg/ is missing or older than what it is built from (src/, js/, core/,
// signer/, Cargo.toml, Cargo.lock, .cargo/, scripts/build.mjs and pkg/'s hand-written files), then serves.
// Ctrl-C stops everything.
import http from 'node:http';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, statSync, readdirSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WWW = path.join(root, 'www');
const PKG_WEB = path.join(root, 'pkg', 'web');
const PKG_CREDENTIALS = path.join(root, 'pkg', 'credentials');
const HOST = '127.0.0.1';
const DEFAULT_LIVE_ENDPOINT = 'https://lighthouse.tencentcloudapi.com';

function fail(message) {
  console.error(`npm start: ${message}`);
  process.exit(1);
}

// ---------------------------------------------------------------------------------------------------------
// Arguments

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
function option(name) {
  const i = args.findIndex((a) => a === name || a.startsWith(`${name}=`));
  if (i < 0) return undefined;
  if (args[i].includes('=')) return args[i].slice(name.length + 1);
  const v = args[i + 1];
  if (v === undefined || v.startsWith('--')) fail(`${name} needs a value`);
  return v;
}
if (flag('--help') || flag('-h')) {
  console.log(`Usage: npm start [-- --live [--region ap-guangzhou] [--endpoint URL]] [-- --no-build]
  PORT=8080 (default; 0 = any free port)
  --no-build: neither run scripts/setup.sh nor build; serve node_modules/ and pkg/ as they are
  demo (default): a local Lighthouse API with a dozen demo instances behind the signing proxy
  --live: the proxy signs with TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY (/ TENCENTCLOUD_SESSION_TOKEN)
  --role-arn ARN (with --live): offer the temporary-credentials mode, STS AssumeRole of this role`);
  process.exit(0);
}
const live = flag('--live');
const noBuild = flag('--no-build');
const portText = process.env.PORT ?? '8080';
const port = Number(portText);
if (!/^\d+$/.test(portText) || port > 65535) fail(`PORT must be a port number (0 = any free port), not "${portText}"`);

const region = option('--region') ?? process.env.TENCENTCLOUD_REGION ?? 'ap-guangzhou';
if (!/^[a-z0-9-]+$/.test(region)) fail(`"${region}" is not a region such as ap-guangzhou`);

let liveCredentials = null;
let liveEndpoint = DEFAULT_LIVE_ENDPOINT;
if (live) {
  const secretId = process.env.TENCENTCLOUD_SECRET_ID;
  const secretKey = process.env.TENCENTCLOUD_SECRET_KEY;
  if (!secretId || !secretKey) {
    fail(
      '--live needs TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY in the environment ' +
        '(and TENCENTCLOUD_SESSION_TOKEN with temporary credentials). Without --live the console runs against the local demo API.',
    );
  }
  liveCredentials = { secretId, secretKey, ...(process.env.TENCENTCLOUD_SESSION_TOKEN ? { token: process.env.TENCENTCLOUD_SESSION_TOKEN } : {}) };
  liveEndpoint = option('--endpoint') ?? process.env.TENCENTCLOUD_ENDPOINT ?? DEFAULT_LIVE_ENDPOINT;
  try {
    const u = new URL(liveEndpoint);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error();
  } catch {
    fail(`--endpoint must be an http(s) URL, not "${liveEndpoint}"`);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Set up (a fresh clone has no node_modules/, so no wasm-opt and no `tc3-lighthouse` to import; a fresh
// machine may lack the wasm32 target or wasm-bindgen), then build when needed

if (!noBuild) {
  const setup = spawnSync('bash', [path.join(root, 'scripts', 'setup.sh'), '--no-chromium'], { cwd: root, stdio: 'inherit' });
  if (setup.error) fail(`could not run scripts/setup.sh: ${setup.error.message}`);
  if (setup.status !== 0) fail('scripts/setup.sh failed (see above): the console needs what it installs');
}

/** The newest file under `p` (a file or a directory), as { mtime, file }. */
function newest(p, skip = () => false) {
  let best = { mtime: 0, file: null };
  let st;
  try {
    st = statSync(p);
  } catch {
    return best;
  }
  if (!st.isDirectory()) return { mtime: st.mtimeMs, file: p };
  for (const entry of readdirSync(p, { withFileTypes: true })) {
    const child = path.join(p, entry.name);
    if (entry.name === 'target' || entry.name === 'node_modules' || skip(child, entry)) continue;
    const n = newest(child, skip);
    if (n.mtime > best.mtime) best = n;
  }
  return best;
}

/** pkg/'s hand-written files: the ones git tracks; without git, all but what the build writes. */
function handWrittenPkgFiles() {
  try {
    return execFileSync('git', ['ls-files', '-z', 'pkg'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
      .split('\0')
      .filter(Boolean)
      .map((f) => path.join(root, f));
  } catch {
    const generated = (p, e) =>
      e.name.startsWith('tc3_lighthouse') ||
      e.name === 'snippets' ||
      /^index\.d\.[cm]?ts$/.test(e.name) ||
      // The error module's stable aliases (web/errors.js, node/errors.cjs), written by the build.
      /^errors\.c?js$/.test(e.name) ||
      ['README.md', 'LICENSE', 'CHANGELOG.md'].includes(e.name);
    const files = [];
    const walk = (dir) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (generated(p, e)) continue;
        if (e.isDirectory()) walk(p);
        else files.push(p);
      }
    };
    walk(path.join(root, 'pkg'));
    return files;
  }
}

// What the build writes (the oldest of them is the build's time), and what it reads.
const OUTPUTS = [
  'pkg/web/tc3_lighthouse_bg.wasm',
  'pkg/web/tc3_lighthouse.js',
  'pkg/server/tc3_lighthouse_server_bg.wasm',
  'pkg/server/tc3_lighthouse_server.js',
  'pkg/node/tc3_lighthouse_server.js',
  'pkg/web/index.d.ts',
  'pkg/sign/web/tc3_lighthouse_sign_bg.wasm',
  'pkg/sign/web/tc3_lighthouse_sign.js',
  'pkg/sign/node/tc3_lighthouse_sign.js',
  'pkg/node/index.d.mts',
].map((f) => path.join(root, f));
const INPUTS = ['src', 'js', 'core', 'signer', 'Cargo.toml', 'Cargo.lock', '.cargo', 'scripts/build.mjs', 'scripts/build-types.mjs'].map((f) =>
  path.join(root, f),
);
const built = OUTPUTS.every((f) => existsSync(f));
let changed = null;
if (built) {
  const builtAt = Math.min(...OUTPUTS.map((f) => statSync(f).mtimeMs));
  const candidates = [...INPUTS.map((p) => newest(p)), ...handWrittenPkgFiles().map((f) => newest(f))];
  const latest = candidates.reduce((a, b) => (b.mtime > a.mtime ? b : a), { mtime: 0, file: null });
  if (latest.mtime > builtAt) changed = path.relative(root, latest.file);
}
const stale = changed !== null;
/** Runs the build in its own process group, so that a signal to this process stops the whole build too. */
function runBuild() {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(root, 'scripts', 'build.mjs')], {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
      detached: true,
    });
    const forward = (signal) => {
      try {
        process.kill(-child.pid, signal);
      } catch {
        /* already gone */
      }
      process.exit(130);
    };
    process.once('SIGINT', forward);
    process.once('SIGTERM', forward);
    child.on('exit', (code) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(code === 0);
    });
    child.on('error', () => resolve(false));
  });
}

if (!built || (stale && !noBuild)) {
  if (noBuild && !built) fail('pkg/ is not built and --no-build was given: run `npm run build`');
  console.log(
    built
      ? `${changed} changed since the last build: building the package (node scripts/build.mjs)...`
      : 'Building the package first (node scripts/build.mjs)...',
  );
  if (!(await runBuild())) {
    if (!built) fail('the build failed (see above); the console needs pkg/ built');
    console.error('npm start: the build failed (see above); starting with the previous build in pkg/.');
  }
}

let lib;
try {
  lib = await import('tc3-lighthouse');
} catch (e) {
  fail(`cannot load the package (${e.code ?? e.message}): run \`npm start\` without --no-build (it runs scripts/setup.sh, which runs npm ci)`);
}
const { createSigningProxy, fromAssumeRole, toNodeListener } = lib;

// ---------------------------------------------------------------------------------------------------------
// The API the proxy signs for

let api = null;
let demoCredentials = null;
// The temporary-credentials mode's provider (STS AssumeRole), or null (live without --role-arn).
let consoleRole = null;
let proxyConfig;
if (live) {
  proxyConfig = { credentials: liveCredentials, endpoint: liveEndpoint, region };
  const roleArn = option('--role-arn');
  if (roleArn) consoleRole = fromAssumeRole({ roleArn, roleSessionName: 'tc3-lighthouse-console', durationSeconds: 900, credentials: liveCredentials });
} else {
  const { startLighthouseApi, DEMO_CREDENTIALS } = await import('../local-api/server.mjs');
  api = await startLighthouseApi({ host: HOST, port: 0, operatingMs: 4000, operatingPolls: 1 });
  proxyConfig = { credentials: { ...DEMO_CREDENTIALS }, endpoint: api.url, region };
  demoCredentials = DEMO_CREDENTIALS;
  // The local API is STS too: the console's role, assumed with the demo key, for the temporary-credentials mode.
  consoleRole = fromAssumeRole({
    roleArn: 'qcs::cam::uin/100000000001:roleName/console-demo',
    roleSessionName: 'tc3-lighthouse-console',
    durationSeconds: 900,
    credentials: { ...DEMO_CREDENTIALS },
    endpoint: api.url,
  });
}
// The console's actions: the proxy's defaults, and DescribeRegions for its region selector.
const proxyListener = toNodeListener(
  createSigningProxy({
    ...proxyConfig,
    allowActions: ['ResetInstance', 'DescribeInstances', 'DescribeBlueprints', 'DescribeResetInstanceBlueprints', 'DescribeRegions'],
  }),
);

// ---------------------------------------------------------------------------------------------------------
// The console's server: www/, /pkg/ (the package's web build), /config.json and POST /api (the proxy)

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
};

// Direct mode (temporary credentials pasted in the page) may reach Tencent Cloud's endpoints, and the local API in demo.
const directOrigin = new URL(live ? liveEndpoint : api.url).origin;
const connectSrc = [...new Set(["'self'", 'https://*.tencentcloudapi.com', ...(directOrigin.endsWith('.tencentcloudapi.com') ? [] : [directOrigin])])].join(
  ' ',
);
const SECURITY_HEADERS = {
  'content-security-policy': [
    "default-src 'none'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src ${connectSrc}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; '),
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=()',
  'cache-control': 'no-store',
};

function send(res, status, type, body, extra = {}) {
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': type, ...extra });
  res.end(body);
}

async function serveFile(req, res, base, rel) {
  let decoded;
  try {
    decoded = decodeURIComponent(rel);
  } catch {
    return send(res, 400, 'text/plain; charset=utf-8', 'Bad path');
  }
  const file = path.resolve(base, '.' + path.posix.normalize('/' + decoded));
  if (file !== base && !file.startsWith(base + path.sep)) return send(res, 403, 'text/plain; charset=utf-8', 'Forbidden');
  let target = file;
  try {
    if ((await stat(target)).isDirectory()) target = path.join(target, 'index.html');
    const body = await readFile(target);
    send(res, 200, TYPES[path.extname(target)] || 'application/octet-stream', req.method === 'HEAD' ? undefined : body);
  } catch {
    send(res, 404, 'text/plain; charset=utf-8', 'Not found');
  }
}

let consoleOrigins = [];

function hostAllowed(req) {
  // Only our own names: a page on another site whose name resolves to 127.0.0.1 (DNS rebinding) gets nothing.
  return consoleOrigins.some((o) => `http://${req.headers.host}` === o);
}

const pageConfig = () =>
  JSON.stringify({
    mode: live ? 'live' : 'demo',
    region,
    proxyEndpoint: '/api',
    directEndpoint: live ? liveEndpoint : api.url,
    credentialsEndpoint: consoleRole ? '/sts-credentials' : null,
    demo: !live,
  });

/**
 * GET /sts-credentials: the console role's temporary credentials, for the page's fromHttp. Same origin only (a
 * real backend would also check the user's session here); never cached.
 */
async function serveCredentials(req, res) {
  const site = req.headers['sec-fetch-site'];
  const origin = req.headers.origin;
  if (!consoleRole || (site && site !== 'same-origin') || (origin && !consoleOrigins.includes(origin))) {
    return send(res, 403, 'application/json', JSON.stringify({ error: 'Temporary credentials are for this console only.' }));
  }
  try {
    const { secretId, secretKey, token, expiresAt } = await consoleRole();
    send(res, 200, 'application/json', JSON.stringify({ secretId, secretKey, token, expiresAt }));
  } catch (e) {
    send(res, 502, 'application/json', JSON.stringify({ error: e.message }));
  }
}

const server = http.createServer((req, res) => {
  if (!hostAllowed(req)) return send(res, 421, 'text/plain; charset=utf-8', 'Misdirected request: use the URL npm start printed.');
  const { pathname } = new URL(req.url || '/', 'http://localhost');
  if (pathname === '/api') {
    const origin = req.headers.origin;
    if (origin && !consoleOrigins.includes(origin)) {
      return send(
        res,
        403,
        'application/json',
        JSON.stringify({
          Response: { Error: { Code: 'UnauthorizedOperation', Message: 'Cross-origin requests to the signing proxy are refused.' }, RequestId: '' },
        }),
      );
    }
    if (req.method === 'POST' && !/^application\/json\b/i.test(req.headers['content-type'] || '')) {
      return send(
        res,
        415,
        'application/json',
        JSON.stringify({ Response: { Error: { Code: 'InvalidParameter', Message: 'The signing proxy takes application/json bodies.' }, RequestId: '' } }),
      );
    }
    return proxyListener(req, res);
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain; charset=utf-8', 'Method not allowed', { allow: 'GET, HEAD' });
  if (pathname === '/config.json') return send(res, 200, 'application/json', pageConfig());
  if (pathname === '/sts-credentials') return serveCredentials(req, res);
  // The web entry imports ../credentials/shared.js (fromHttp): from /pkg/index.js, that is here.
  if (pathname === '/credentials/shared.js') return serveFile(req, res, PKG_CREDENTIALS, '/shared.js');
  if (pathname.startsWith('/pkg/')) return serveFile(req, res, PKG_WEB, pathname.slice('/pkg'.length));
  return serveFile(req, res, WWW, pathname);
});

server.on('error', async (e) => {
  await api?.close();
  fail(e.code === 'EADDRINUSE' ? `port ${port} is in use: pick another with PORT=... (PORT=0: any free port)` : e.message);
});

server.listen(port, HOST, () => {
  const actual = server.address().port;
  consoleOrigins = [`http://${HOST}:${actual}`, `http://localhost:${actual}`];
  if (live) {
    console.log(`Mode: live (the proxy signs with TENCENTCLOUD_SECRET_ID ${liveCredentials.secretId.slice(0, 8)}... for ${liveEndpoint}, region ${region})`);
  } else {
    console.log(`Mode: demo (a local Lighthouse API with demo instances; nothing leaves this machine)`);
    console.log(`Local API: ${api.url}`);
    console.log(
      `Direct mode in the demo accepts SecretId ${demoCredentials.secretId} / SecretKey ${demoCredentials.secretKey} (a local demo key, not a real one)`,
    );
  }
  console.log(`Console: http://${HOST}:${actual}/`);
});

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  server.closeAllConnections();
  await Promise.all([new Promise((resolve) => server.close(resolve)), api?.close()]);
  console.log('Stopped.');
  process.exit(0);
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
