// Issue #7, leaks: 10,000 calls of every outcome (success, service error, bad response, network error,
// timeout, abort, input refused, and signRequest) leave the wasm linear memory, the wasm-bindgen externref
// table, the JS heap and ArrayBuffers bounded, and no timer, listener or handle outlives its call. The calls
// run in a child process started with --expose-gc (hardening-leak-child.mjs; the local APIs in a third
// process, hardening-api-server.mjs), which measures after a warm-up of 1,000 calls per outcome and again
// after the run, both after full GCs.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const child = fileURLToPath(new URL('./hardening-leak-child.mjs', import.meta.url));
const MB = 1024 * 1024;
// Bounds over all 80,000 calls after warm-up. A working set reached during warm-up does not grow again;
// what grows with the number of calls is a leak. The brief's 2 MB for wasm memory is too loose to see a
// leak of a few bytes per call, so the wasm bounds are one 64 KiB page and 1,024 externref slots.
const BOUNDS = { heapUsed: 10 * MB, arrayBuffers: 1 * MB, wasmMemory: 64 * 1024, externrefSlots: 1024 };

let r;
test('10,000 calls of every outcome settle as expected (child process, --expose-gc)', { timeout: 150_000 }, async (t) => {
  const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', child], {
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
    maxBuffer: 16 * MB,
    timeout: 140_000,
  });
  r = JSON.parse(stdout.trim().split('\n').pop());
  const kb = (n) => `${(n / 1024).toFixed(0)} KiB`;
  t.diagnostic(`wasm memory measured through ${r.hook}; ${r.calls} calls per outcome after ${r.warmup} warm-up calls each`);
  for (const [name, o] of Object.entries(r.perOutcome)) {
    t.diagnostic(
      `${name}: ${o.right}/${o.calls} as expected in ${o.ms} ms; then heap ${kb(o.heapUsed)}, wasm ${kb(o.wasmMemory)}, externref slots ${o.externrefSlots}`,
    );
  }
  for (const k of ['heapUsed', 'arrayBuffers', 'external', 'rss', 'wasmMemory', 'externrefSlots']) {
    t.diagnostic(`${k}: before ${k === 'externrefSlots' ? r.before[k] : kb(r.before[k])} -> after ${k === 'externrefSlots' ? r.after[k] : kb(r.after[k])}`);
  }
  t.diagnostic(
    `active resources: before ${JSON.stringify(r.before.resources)}, after ${JSON.stringify(r.after.resources)}, after closing the API ${JSON.stringify(r.afterClose.resources)}`,
  );
  for (const [name, o] of Object.entries(r.perOutcome)) {
    assert.equal(o.right, o.calls, `${name}: ${o.calls - o.right} calls ended otherwise, e.g. ${o.wrong}`);
  }
});

test(`the JS heap grows by less than ${BOUNDS.heapUsed / MB} MB and ArrayBuffers by less than ${BOUNDS.arrayBuffers / MB} MB`, () => {
  assert.ok(r, 'the run finished');
  assert.ok(r.after.heapUsed - r.before.heapUsed < BOUNDS.heapUsed, `heap ${r.before.heapUsed} -> ${r.after.heapUsed}`);
  assert.ok(r.after.arrayBuffers - r.before.arrayBuffers < BOUNDS.arrayBuffers, `arrayBuffers ${r.before.arrayBuffers} -> ${r.after.arrayBuffers}`);
});

test('the wasm linear memory grows by at most one 64 KiB page, per outcome and in all', () => {
  assert.ok(r, 'the run finished');
  assert.equal(typeof r.before.wasmMemory, 'number', 'the wasm memory was measured');
  let prev = r.before.wasmMemory;
  const grew = {};
  for (const [name, o] of Object.entries(r.perOutcome)) {
    if (o.wasmMemory - prev > 0) grew[name] = o.wasmMemory - prev;
    prev = o.wasmMemory;
  }
  assert.ok(
    r.after.wasmMemory - r.before.wasmMemory <= BOUNDS.wasmMemory,
    `wasm memory ${r.before.wasmMemory} -> ${r.after.wasmMemory} bytes; grew during ${JSON.stringify(grew)}`,
  );
});

test('the wasm-bindgen externref table does not grow with the number of calls (no JS value kept by wasm)', () => {
  assert.ok(r, 'the run finished');
  assert.equal(typeof r.before.externrefSlots, 'number', 'the table was measured');
  // In Node the signer's wasm and the client's (instantiated on first use) each have a table: both counted.
  assert.equal(r.wasmInstances, 2, 'both wasm instances are watched');
  let prev = r.before.externrefSlots;
  const grew = {};
  for (const [name, o] of Object.entries(r.perOutcome)) {
    if (o.externrefSlots - prev > 0) grew[name] = o.externrefSlots - prev;
    prev = o.externrefSlots;
  }
  assert.ok(
    r.after.externrefSlots - r.before.externrefSlots <= BOUNDS.externrefSlots,
    `externref slots ${r.before.externrefSlots} -> ${r.after.externrefSlots}; grew during ${JSON.stringify(grew)}`,
  );
});

test('no timer and no abort listener outlives its call; nothing is left once the API is closed', () => {
  assert.ok(r, 'the run finished');
  assert.equal(r.listenersLeft, 0, 'abort listeners left on a long-lived AbortSignal shared by 20,000 calls');
  assert.ok(
    (r.after.resources.Timeout ?? 0) <= (r.before.resources.Timeout ?? 0),
    `timers: ${JSON.stringify(r.before.resources)} -> ${JSON.stringify(r.after.resources)}`,
  );
  // What may remain is this child's own stdio (PipeWrap / TTYWrap); no socket, server, timer or process.
  const left = Object.fromEntries(Object.entries(r.afterClose.resources).filter(([k]) => !['PipeWrap', 'TTYWrap'].includes(k)));
  assert.deepEqual(left, {}, 'active resources after the API process exited');
});
