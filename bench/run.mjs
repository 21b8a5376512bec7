#!/usr/bin/env node
// npm run bench [-- --quick] [-- --out FILE]
//
// Measures tc3-lighthouse against the official Node SDK signer (tencentcloud-sdk-nodejs-common) in one
// process, side by side: signing throughput (ResetInstance-sized and 100 KB bodies), the in-wasm SHA-256
// limit, cold start, the browser payload, and a 100-instance fleet against the local Lighthouse API.
// Prints a table and writes bench/results.json (--quick: bench/results.quick.json; --out FILE elsewhere).
// --pkg DIR measures a build laid out like pkg/ instead of pkg/.
//
// Timing never fails the run: targets are reported as met / NOT MET. The exit code is 1 only when the
// benchmark itself is broken (a section crashes, or the two signers disagree on the same input, which
// would mean they are not doing the same work).
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { performance } from 'node:perf_hooks';
import os from 'node:os';
import path from 'node:path';

import { interleaved, median, spreadPct } from './lib/stats.mjs';
import { browserPayload, BUDGET_GZIP_BYTES } from './lib/payload.mjs';
import { fleet } from './lib/fleet.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const require = createRequire(import.meta.url);
const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const outArg = argv.indexOf('--out');
// --pkg DIR: measure another build laid out like pkg/ (DIR/node/index.cjs, DIR/web/...), e.g. a candidate
// built into /tmp, without touching pkg/.
const pkgArg = argv.indexOf('--pkg');
const pkgDir = pkgArg >= 0 ? path.resolve(argv[pkgArg + 1]) : path.join(root, 'pkg');
const pkgSpecifier = pkgArg >= 0 ? path.join(pkgDir, 'node', 'index.cjs') : 'tc3-lighthouse';
const signSpecifier = pkgArg >= 0 ? path.join(pkgDir, 'sign', 'node', 'index.cjs') : 'tc3-lighthouse/sign';
const outFile = outArg >= 0 ? path.resolve(argv[outArg + 1]) : path.join(here, quick ? 'results.quick.json' : 'results.json');

const cfg = quick
  ? { samples: 3, batchMs: 40, warmupMs: 40, coldRuns: 3, fleetN: 20, fleetTimeoutMs: 8000 }
  : { samples: 15, batchMs: 250, warmupMs: 300, coldRuns: 15, fleetN: 100, fleetTimeoutMs: 120000 };

// ----------------------------------------------------------------------------------------------------
// The request both signers sign: same credentials, timestamp, host, content type and body bytes.

const base = JSON.parse(readFileSync(path.join(here, 'cold', 'inputs.json'), 'utf8'));
const SMALL = base.payload; // {"InstanceId":"lhins-abcd1234","BlueprintId":"lhbp-efgh5678"}

/** A JSON body of exactly `bytes` bytes (ASCII filler from a fixed PRNG, so runs are comparable). */
function jsonBody(bytes) {
  const head = '{"InstanceId":"lhins-abcd1234","BlueprintId":"lhbp-efgh5678","UserData":"';
  const tail = '"}';
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let x = 0x2545f491;
  let fill = '';
  for (let i = 0; i < bytes - head.length - tail.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    fill += alphabet[(x >>> 0) & 63];
  }
  return head + fill + tail;
}
const BIG = jsonBody(100 * 1024);

const lib = pkgArg >= 0 ? await import(pkgSpecifier) : await import('tc3-lighthouse');
const { signRequest } = lib;
const Sign = require('tencentcloud-sdk-nodejs-common/tencentcloud/common/sign.js').default;
const officialVersion = require('tencentcloud-sdk-nodejs-common/package.json').version;

const oursInput = (payload) => ({
  secretId: base.secretId,
  secretKey: base.secretKey,
  action: base.action,
  region: base.region,
  timestamp: base.timestamp,
  payload,
});
// The official signer as its client calls it (http_connection.js), with the body as exact bytes (a Buffer),
// which is what signRequest gets too (a string it must sign byte for byte): no JSON serialisation on either side.
const officialArgs = (payload) => ({
  method: 'POST',
  url: 'https://lighthouse.tencentcloudapi.com/',
  payload: Buffer.from(payload, 'utf8'),
  timestamp: base.timestamp,
  service: 'lighthouse',
  secretId: base.secretId,
  secretKey: base.secretKey,
  multipart: false,
  headers: { 'Content-Type': 'application/json' },
});

/** Size, hash prefix and mtime of the measured build's wasm files: a rebuild during the run shows as a change. */
function buildInfo() {
  const out = { dir: path.relative(root, pkgDir) || '.' };
  // sign/*: the signer's wasm, which signRequest runs in (both entries, in Node).
  // Each .wasm is shipped once, in web/; the Node glue reads it from there.
  for (const [t, f] of [
    ['web', path.join(pkgDir, 'web', 'tc3_lighthouse_bg.wasm')],
    ['sign/web', path.join(pkgDir, 'sign', 'web', 'tc3_lighthouse_sign_bg.wasm')],
  ]) {
    try {
      const bytes = readFileSync(f);
      out[t] = { wasmBytes: bytes.length, wasmSha256: createHash('sha256').update(bytes).digest('hex').slice(0, 16), builtAt: statSync(f).mtime.toISOString() };
    } catch {
      out[t] = null;
    }
  }
  return out;
}

const results = {
  mode: quick ? 'quick' : 'full',
  machine: {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    memoryGB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    date: new Date().toISOString(),
  },
  versions: {
    'tencentcloud-sdk-nodejs-common': officialVersion,
    'tc3-lighthouse': JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8')).version,
  },
  // Which build of pkg/ was measured (it changes with every `npm run build`; `--dev` builds skip wasm-opt).
  build: buildInfo(),
  config: cfg,
  sections: {},
  targets: [],
  notes: [],
};
let broken = false;
const log = (s) => process.stderr.write(`${s}\n`);

async function section(name, fn) {
  const t0 = performance.now();
  log(`bench: ${name}...`);
  try {
    results.sections[name] = await fn();
  } catch (e) {
    broken = true;
    results.sections[name] = { error: String(e?.stack ?? e) };
    log(`bench: ${name} FAILED: ${e?.stack ?? e}`);
  }
  log(`bench: ${name} done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

// ----------------------------------------------------------------------------------------------------
// Sanity: both signers produce the same Authorization for the same request and timestamp.

await section('sanity', () => {
  const out = {};
  for (const [label, payload] of [
    ['small', SMALL],
    ['100KB', BIG],
  ]) {
    const ours = signRequest(oursInput(payload)).authorization;
    const official = Sign.sign3(officialArgs(payload));
    out[label] = { same: ours === official, ours, official };
    if (ours !== official) broken = true;
  }
  // The object form the SDK's client passes for a JSON body gives the same signature too.
  out.smallObjectPayload = Sign.sign3({ ...officialArgs(SMALL), payload: JSON.parse(SMALL) }) === out.small.official;
  return out;
});

// ----------------------------------------------------------------------------------------------------
// Signing throughput, interleaved, median of several batches.

const opts = { samples: cfg.samples, batchMs: cfg.batchMs, warmupMs: cfg.warmupMs };

await section('sign-small', () => {
  const inSmall = oursInput(SMALL);
  const argsSmall = officialArgs(SMALL);
  const argsSmallObject = { ...argsSmall, payload: JSON.parse(SMALL) };
  const r = interleaved(
    {
      ours: () => signRequest(inSmall).authorization,
      official: () => Sign.sign3(argsSmall),
      officialObjectPayload: () => Sign.sign3(argsSmallObject),
    },
    opts,
  );
  return { payloadBytes: Buffer.byteLength(SMALL), ...r, ratio: r.ours.opsPerSec / r.official.opsPerSec };
});

await section('sign-100KB', () => {
  const inBig = oursInput(BIG);
  const argsBig = officialArgs(BIG);
  const r = interleaved(
    {
      ours: () => signRequest(inBig).authorization,
      official: () => Sign.sign3(argsBig),
    },
    opts,
  );
  return { payloadBytes: Buffer.byteLength(BIG), ...r, ratio: r.ours.opsPerSec / r.official.opsPerSec };
});

// ----------------------------------------------------------------------------------------------------
// The in-wasm limit: raw SHA-256 of the 100 KB body inside the package's wasm, and signing's share of it.
// With a `__benchSha256(string) -> hex` export it is measured directly; without one it is derived from
// signing a 100 KB and a tiny body (the difference is the hash of ~100 KB plus passing it in).

await section('sha256-in-wasm', () => {
  const bytes = Buffer.byteLength(BIG);
  const nodeHash = () => createHash('sha256').update(BIG).digest('hex');
  if (typeof lib.__benchSha256 === 'function') {
    const expect = nodeHash();
    const got = lib.__benchSha256(BIG);
    if (got !== expect) throw new Error(`__benchSha256 disagrees with node:crypto (${got} vs ${expect})`);
    const inBig = oursInput(BIG);
    const r = interleaved(
      {
        wasmSha256: () => lib.__benchSha256(BIG),
        sign: () => signRequest(inBig).authorization,
        nodeSha256: nodeHash,
      },
      opts,
    );
    return {
      method: 'measured (__benchSha256 export)',
      payloadBytes: bytes,
      sha256OpsPerSec: r.wasmSha256.opsPerSec,
      sha256MBps: (r.wasmSha256.opsPerSec * bytes) / 1e6,
      signOpsPerSec: r.sign.opsPerSec,
      share: r.sign.opsPerSec / r.wasmSha256.opsPerSec,
      nodeSha256MBps: (r.nodeSha256.opsPerSec * bytes) / 1e6,
      runs: r,
    };
  }
  // Derived: per-call time on 100 KB minus per-call time on the tiny body, from the interleaved medians.
  const small = results.sections['sign-small']?.ours?.opsPerSec;
  const big = results.sections['sign-100KB']?.ours?.opsPerSec;
  if (!small || !big) throw new Error('needs the sign-small and sign-100KB sections');
  const r = interleaved({ nodeSha256: nodeHash }, { ...opts, samples: Math.max(3, Math.floor(opts.samples / 3)) });
  const tBig = 1 / big;
  const tHash = tBig - 1 / small;
  const extra = bytes - Buffer.byteLength(SMALL);
  return {
    method: 'derived (no __benchSha256 export): 1 / (t(sign 100 KB) - t(sign small))',
    payloadBytes: bytes,
    sha256OpsPerSec: 1 / tHash,
    sha256MBps: extra / tHash / 1e6,
    signOpsPerSec: big,
    share: tHash / tBig,
    nodeSha256MBps: (r.nodeSha256.opsPerSec * bytes) / 1e6,
  };
});

// ----------------------------------------------------------------------------------------------------
// Cold start: fresh `node` processes, interleaved, median. Inside each: from import/require of the signer
// to the first signature; outside: spawn to exit.

const exec = promisify(execFile);
async function child(script, args = [], specifier = pkgSpecifier) {
  const t0 = performance.now();
  const env = { ...process.env, TC3_BENCH_PKG: specifier };
  const { stdout } = await exec(process.execPath, [path.join(here, 'cold', script), ...args], { cwd: root, env });
  const wallMs = performance.now() - t0;
  return { ...JSON.parse(stdout.trim().split('\n').pop()), wallMs };
}

await section('cold-start', async () => {
  const kinds = {
    ours: ['ours.mjs'],
    ...(existsSync(path.join(pkgDir, 'sign', 'node', 'index.cjs')) ? { oursSign: ['ours.mjs', [], signSpecifier] } : {}),
    official: ['official.mjs'],
    officialEntry: ['official.mjs', ['--entry']],
  };
  const names = Object.keys(kinds);
  const runs = Object.fromEntries(names.map((k) => [k, []]));
  for (const k of names) await child(...kinds[k]); // warm the OS file cache
  for (let i = 0; i < cfg.coldRuns; i++) {
    for (let j = 0; j < names.length; j++) {
      const k = names[(i + j) % names.length];
      runs[k].push(await child(...kinds[k]));
    }
  }
  const auths = new Set(names.map((k) => runs[k][0].authorization));
  if (auths.size !== 1) {
    broken = true;
    throw new Error(`cold-start signers disagree: ${[...auths].join(' | ')}`);
  }
  const summary = (xs) => ({
    importToSignMs: median(xs.map((x) => x.importToSignMs)),
    importToSignSpreadPct: spreadPct(xs.map((x) => x.importToSignMs)),
    processStartToSignMs: median(xs.map((x) => x.processStartToSignMs)),
    wallMs: median(xs.map((x) => x.wallMs)),
    runs: xs.length,
  });
  const out = Object.fromEntries(names.map((k) => [k, summary(runs[k])]));
  out.ratio = out.ours.importToSignMs / out.official.importToSignMs;
  if (out.oursSign) out.signRatio = out.oursSign.importToSignMs / out.official.importToSignMs;
  return out;
});

// ----------------------------------------------------------------------------------------------------
// Browser payload.

await section('browser-payload', () => {
  const p = browserPayload(path.join(pkgDir, 'web'), pkgDir);
  const signDir = path.join(pkgDir, 'sign', 'web');
  const sign = existsSync(signDir) ? browserPayload(signDir, pkgDir) : undefined;
  return { ...p, budgetGzip: BUDGET_GZIP_BYTES, sign };
});

// ----------------------------------------------------------------------------------------------------
// Fleet.

await section('fleet', () =>
  fleet({
    n: cfg.fleetN,
    rateLimit: 10,
    operatingPolls: 1,
    minDelaySeconds: quick ? 0.1 : 0.2,
    maxDelaySeconds: quick ? 0.5 : 1,
    timeoutMs: cfg.fleetTimeoutMs,
    lib,
  }),
);

// ----------------------------------------------------------------------------------------------------
// Targets, table, results.json.

const S = results.sections;
const fmt = (x, d = 0) => (Number.isFinite(x) ? x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }) : 'n/a');
const kb = (b) => `${fmt(b / 1024, 1)} KB`;
const rows = [];
const target = (metric, value, reference, ratio, goal, met) => {
  rows.push([metric, value, reference, ratio, goal, met === null ? 'n/a' : met ? 'met' : 'NOT MET']);
  results.targets.push({ metric, value, reference, ratio, target: goal, met });
};
const info = (metric, value, reference = '', ratio = '') => rows.push([metric, value, reference, ratio, '', 'info']);

if (S['sign-small']?.ours) {
  const s = S['sign-small'];
  target(
    'sign ResetInstance-sized (ops/s)',
    fmt(s.ours.opsPerSec),
    `official ${fmt(s.official.opsPerSec)}`,
    `${fmt(s.ratio, 2)}x`,
    '>= 2x official',
    s.ratio >= 2,
  );
  info(
    '  official, object payload (as its client)',
    fmt(s.officialObjectPayload.opsPerSec),
    '',
    `${fmt(s.ours.opsPerSec / s.officialObjectPayload.opsPerSec, 2)}x`,
  );
}
if (S['sign-100KB']?.ours) {
  const s = S['sign-100KB'];
  info('sign 100 KB (ops/s)', fmt(s.ours.opsPerSec), `official ${fmt(s.official.opsPerSec)}`, `${fmt(s.ratio, 2)}x`);
}
if (S['sha256-in-wasm']?.sha256OpsPerSec) {
  const s = S['sha256-in-wasm'];
  target(
    'sign 100 KB vs in-wasm SHA-256 (ops/s)',
    fmt(s.signOpsPerSec),
    `sha256 ${fmt(s.sha256OpsPerSec)} (${fmt(s.sha256MBps)} MB/s)${s.method.startsWith('derived') ? ' derived' : ''}`,
    `${fmt(s.share, 2)}x`,
    '>= 0.9x limit',
    s.share >= 0.9,
  );
  info('  node:crypto SHA-256, 100 KB (MB/s)', fmt(s.nodeSha256MBps));
}
if (S['cold-start']?.ours) {
  const c = S['cold-start'];
  target(
    'cold start, import -> 1st signature (ms)',
    fmt(c.ours.importToSignMs, 1),
    `official ${fmt(c.official.importToSignMs, 1)}`,
    `${fmt(c.ratio, 2)}x`,
    '<= 1x official',
    c.ratio <= 1,
  );
  if (c.oursSign) {
    target(
      '  signer entry tc3-lighthouse/sign (ms)',
      fmt(c.oursSign.importToSignMs, 1),
      `official ${fmt(c.official.importToSignMs, 1)}`,
      `${fmt(c.signRatio, 2)}x`,
      '<= 1x official',
      c.signRatio <= 1,
    );
  }
  info('  official via package entry (ms)', fmt(c.officialEntry.importToSignMs, 1));
  info('  process start -> 1st signature (ms)', fmt(c.ours.processStartToSignMs, 1), `official ${fmt(c.official.processStartToSignMs, 1)}`);
}
if (S['browser-payload']?.files) {
  const p = S['browser-payload'];
  target(
    'browser payload, gzip -9 (wasm + JS)',
    kb(p.gzip),
    `budget ${kb(p.budgetGzip)}`,
    `${fmt(p.gzip / p.budgetGzip, 2)}x`,
    '<= 40 KB',
    p.gzip <= p.budgetGzip,
  );
  for (const f of p.files) info(`  ${f.file}`, `${kb(f.gzip)} gz`, `${kb(f.raw)} raw`);
  if (p.sign) {
    target(
      'browser payload, signer entry tc3-lighthouse/sign',
      kb(p.sign.gzip),
      `budget ${kb(p.budgetGzip)}`,
      `${fmt(p.sign.gzip / p.budgetGzip, 2)}x`,
      '<= 40 KB',
      p.sign.gzip <= p.budgetGzip,
    );
    for (const f of p.sign.files) info(`  ${f.file}`, `${kb(f.gzip)} gz`, `${kb(f.raw)} raw`);
  }
}
{
  const f = S.fleet ?? {};
  if (f.skipped) {
    target(`fleet ${cfg.fleetN} resets + wait @10/s`, f.skipped, '', '', '<= 1.1x floor, 0 throttles', null);
  } else if (f.error && !f.totalSeconds) {
    target(`fleet ${cfg.fleetN} resets + wait @10/s`, `error: ${f.error}`.slice(0, 60), `sent ${f.requests}`, '', '<= 1.1x floor, 0 throttles', false);
  } else if (f.totalSeconds) {
    target(
      `fleet ${f.instances} resets + wait @10/s (s)`,
      fmt(f.totalSeconds, 2),
      `floor ${fmt(f.floorSeconds, 1)}`,
      `${fmt(f.ratio, 2)}x`,
      '<= 1.1x floor, 0 throttles',
      f.ratio <= 1.1 && f.throttles === 0 && f.failed === 0,
    );
    info('  last reset sent at / wait tail after it (s)', `${fmt(f.lastResetAtSeconds, 2)} / ${fmt(f.waitTailSeconds, 2)}`);
    info(
      '  requests sent / throttles / failed',
      `${f.requests} / ${f.throttles} / ${f.failed}`,
      Object.entries(f.byAction ?? {})
        .map(([k, v]) => `${k} ${v}`)
        .join(', '),
    );
  }
}

if (!(typeof lib.__benchSha256 === 'function')) {
  results.notes.push(
    'No `__benchSha256` export: the in-wasm SHA-256 limit is derived from signing 100 KB vs a tiny ' +
      'body. Export `__benchSha256(s: string): string` (hex, hidden from the docs) to measure it directly.',
  );
}
{
  const before = JSON.stringify(results.build);
  const after = buildInfo();
  if (JSON.stringify(after) !== before) {
    results.buildAfter = after;
    results.notes.push('pkg/ was rebuilt during this run: the numbers mix two builds. Run again on a quiet tree.');
  }
}
if (quick) results.notes.push('--quick: a smoke run; numbers are indicative only.');

const headers = ['metric', 'tc3-lighthouse', 'reference', 'ratio', 'target', 'status'];
const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
const line = (cells) => cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ');
const m = results.machine;
console.log(`\ntc3-lighthouse bench (${results.mode}) - ${m.cpu}, ${m.cores} cores, Node ${m.node}, ${m.date}`);
console.log(`official signer: tencentcloud-sdk-nodejs-common ${officialVersion} Sign.sign3`);
if (S.sanity?.small) {
  console.log(
    `sanity: same Authorization for the same input: small ${S.sanity.small.same ? 'yes' : 'NO'}, ` +
      `100 KB ${S.sanity['100KB'].same ? 'yes' : 'NO'}\n  ${S.sanity.small.ours}`,
  );
}
console.log(`\n${line(headers)}\n${widths.map((w) => '-'.repeat(w)).join('-|-')}`);
for (const r of rows) console.log(line(r));
for (const n of results.notes) console.log(`\nnote: ${n}`);

writeFileSync(outFile, `${JSON.stringify(results, null, 2)}\n`);
console.log(`\nwrote ${path.relative(process.cwd(), outFile) || outFile}`);
if (broken) console.error('bench: the benchmark itself is broken (see above); exit 1');
process.exit(broken ? 1 : 0);
