// Child process of hardening-leaks.test.mjs (run with --expose-gc): 10,000 calls of every outcome, with the
// JS heap, ArrayBuffers, the wasm linear memory, the wasm-bindgen externref table and the active handles
// measured after warm-up and after the run (both after full GCs). Prints one JSON line.
import { getEventListeners } from 'node:events';
import { spawn } from 'node:child_process';
import net from 'node:net';
import { setMaxListeners } from 'node:events';
import { fileURLToPath } from 'node:url';
import { DEMO_CREDENTIALS } from '../../local-api/server.mjs';

// Every wasm instance, for their memories and externref tables. Left installed: in Node the package
// instantiates the signer's wasm at import and the client's on first use. The warm-up below uses both
// before the baseline is taken.
const instances = [];
WebAssembly.Instance = new Proxy(WebAssembly.Instance, {
  construct(target, args, newTarget) {
    const i = Reflect.construct(target, args, newTarget);
    instances.push(i);
    return i;
  },
});
const pkg = await import('tc3-lighthouse');
const { LighthouseClient, signRequest, setRateLimit } = pkg;
const sum = (f) => (instances.length ? instances.reduce((a, i) => a + (f(i.exports) ?? 0), 0) : null);

const N = Number(process.env.LEAK_CALLS ?? 10_000);
const WARM = Number(process.env.LEAK_WARMUP ?? 1_000);
const CONCURRENCY = 100;
const ID = 'lhins-ruy9d2tw';

const wasmMemoryBytes = () => (typeof pkg.__wasmMemoryBytes === 'function' ? pkg.__wasmMemoryBytes() : sum((e) => e.memory?.buffer?.byteLength));
const externrefSlots = () => sum((e) => e.__wbindgen_externrefs?.length);

async function fullGc() {
  for (let i = 0; i < 4; i++) {
    globalThis.gc();
    await new Promise((r) => setImmediate(r));
  }
}

function resources() {
  const counts = {};
  for (const r of process.getActiveResourcesInfo()) counts[r] = (counts[r] ?? 0) + 1;
  return counts;
}

async function measure() {
  await new Promise((r) => setTimeout(r, 50));
  await fullGc();
  const m = process.memoryUsage();
  return {
    heapUsed: m.heapUsed,
    arrayBuffers: m.arrayBuffers,
    external: m.external,
    rss: m.rss,
    wasmMemory: wasmMemoryBytes(),
    externrefSlots: externrefSlots(),
    resources: resources(),
  };
}

// --- the outcomes --------------------------------------------------------------------------------------

// The local APIs run in their own process (hardening-api-server.mjs): their request logs stay out of
// this heap, and the two processes share the work.
const server = spawn(
  process.execPath,
  [
    fileURLToPath(new URL('./hardening-api-server.mjs', import.meta.url)),
    JSON.stringify([
      { options: { rateLimit: 0 }, trimLog: true },
      {
        options: { rateLimit: 0 },
        trimLog: true,
        fault: { kind: 'serviceError', code: 'ResourceNotFound.InstanceNotFound', message: 'The instance is not found.', times: -1 },
      },
      { options: { rateLimit: 0 }, trimLog: true, fault: { kind: 'nonJson', times: -1 } },
    ]),
  ],
  { stdio: ['pipe', 'pipe', 'inherit'] },
);
const [okUrl, serviceErrorUrl, badResponseUrl] = await new Promise((resolve, reject) => {
  let buf = '';
  server.stdout.on('data', (c) => {
    buf += c;
    if (buf.includes('\n')) resolve(JSON.parse(buf));
  });
  server.on('exit', (code) => reject(new Error(`the API process exited (${code})`)));
});
setRateLimit(false);
// A port nobody listens on: fetch fails at once (ECONNREFUSED), a network error.
const closedPort = await new Promise((resolve) => {
  const s = net.createServer().listen(0, '127.0.0.1', () => {
    const { port } = s.address();
    s.close(() => resolve(port));
  });
});

/** A fetch that never answers but honours its signal, as a stalled network would. */
const stalledFetch = (url, init) =>
  new Promise((_, reject) => {
    init.signal.addEventListener('abort', () => reject(init.signal.reason), { once: true });
  });

const base = { credentials: DEMO_CREDENTIALS, region: 'ap-guangzhou', rateLimit: false, maxAttempts: 1 };
const clients = {
  success: new LighthouseClient({ ...base, endpoint: okUrl }),
  serviceError: new LighthouseClient({ ...base, endpoint: serviceErrorUrl }),
  badResponse: new LighthouseClient({ ...base, endpoint: badResponseUrl }),
  stalled: new LighthouseClient({ ...base, endpoint: 'http://127.0.0.1:9', fetch: stalledFetch }),
  refused: new LighthouseClient({ ...base, endpoint: `http://127.0.0.1:${closedPort}` }),
};
// One long-lived signal shared by calls that succeed or time out: each call adds an abort listener
// that must be gone when the call settles.
const longLived = new AbortController();
setMaxListeners(10 * CONCURRENCY, longLived.signal);

const outcomes = {
  success: () => clients.success.describeInstances({ InstanceIds: [ID] }, { signal: longLived.signal }),
  serviceError: () => clients.serviceError.describeInstances({ InstanceIds: [ID] }),
  badResponse: () => clients.badResponse.describeInstances({ InstanceIds: [ID] }),
  networkError: () => clients.refused.describeInstances({ InstanceIds: [ID] }),
  timeout: () => clients.stalled.describeInstances({}, { timeoutMs: 1, signal: longLived.signal }),
  abort: (i) => {
    const c = new AbortController();
    if (i % 2) c.abort(new Error('pre-aborted'));
    const p = clients.stalled.describeInstances({}, { signal: c.signal });
    setImmediate(() => c.abort(new Error('aborted')));
    return p;
  },
  invalidInput: (i) => {
    const params = { i };
    params.self = params; // a cycle: JSON.stringify throws, the call is refused before any request
    return clients.success.request('DescribeInstances', params);
  },
  signRequest: async (i) => signRequest({ secretId: 'AKIDLeak', secretKey: 'leak-key', action: 'DescribeInstances', payload: `{"i":${i}}` }),
};
const expected = {
  success: (r, e) => !e && Array.isArray(r.InstanceSet),
  serviceError: (r, e) => e?.code === 'ResourceNotFound.InstanceNotFound',
  badResponse: (r, e) => e?.code === 'ClientError.BadResponse',
  networkError: (r, e) => e?.code === 'ClientError.Network',
  timeout: (r, e) => e?.code === 'ClientError.Timeout',
  abort: (r, e) => e?.code === 'ClientError.Aborted',
  invalidInput: (r, e) => e?.code === 'ClientError.InvalidArgument',
  signRequest: (r, e) => !e && r.signature.length === 64,
};

async function run(name, n) {
  const f = outcomes[name];
  let right = 0;
  let wrong = null;
  const started = performance.now();
  for (let i = 0; i < n; i += CONCURRENCY) {
    const batch = [];
    for (let j = i; j < Math.min(n, i + CONCURRENCY); j++) {
      batch.push(
        f(j).then(
          (r) => [r, undefined],
          (e) => [undefined, e],
        ),
      );
    }
    for (const [r, e] of await Promise.all(batch)) {
      if (expected[name](r, e)) right++;
      else wrong ??= e ? `${e.code}: ${e.message}` : JSON.stringify(r).slice(0, 200);
    }
  }
  return { calls: n, right, wrong, ms: Math.round(performance.now() - started) };
}

const names = Object.keys(outcomes);
for (const name of names) await run(name, WARM);
const before = await measure();
const perOutcome = {};
for (const name of names) {
  const r = await run(name, N);
  const m = await measure();
  perOutcome[name] = { ...r, heapUsed: m.heapUsed, wasmMemory: m.wasmMemory, externrefSlots: m.externrefSlots };
}
const afterAll = await measure();
const listenersLeft = getEventListeners(longLived.signal, 'abort').length;

server.stdin.end();
await new Promise((r) => server.on('exit', r));
const afterClose = await measure();

process.stdout.write(
  `${JSON.stringify({
    node: process.version,
    hook: typeof pkg.__wasmMemoryBytes === 'function' ? '__wasmMemoryBytes' : instances.length ? 'captured wasm exports' : 'none',
    wasmInstances: instances.length,
    calls: N,
    warmup: WARM,
    before,
    perOutcome,
    after: afterAll,
    afterClose,
    listenersLeft,
  })}\n`,
);
