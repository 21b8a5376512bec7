// Issue #7, load: 1,000 concurrent calls over 100 instances against the local Lighthouse API. Every call
// settles, the client-side limiter holds (zero RequestLimitExceeded at the server, and no one-second window
// with more requests of an action than the limit), every reset takes effect exactly once, and no promise
// rejection goes unhandled. The limit is raised to 200/s on both sides for the run (1,000 calls at the default
// 10/s would take 100 s) and restored afterwards. The API runs in its own process (hardening-api-server.mjs),
// as a real service would: its arrival times are not bunched by this process's event loop.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { LighthouseClient, setRateLimit } from 'tc3-lighthouse';
import { makeFleet, DEMO_CREDENTIALS } from '../../local-api/server.mjs';
import { control, startApiProcess } from './hardening-helpers.mjs';

const LIMIT = 200;
const CALLS = 1000;
const FLEET = 100;

let server;
let url;
let ids;
const unhandled = [];
const onUnhandled = (reason) => unhandled.push(reason);

before(async () => {
  process.on('unhandledRejection', onUnhandled);
  const fleet = makeFleet(FLEET);
  ids = fleet.map((i) => i.InstanceId);
  server = await startApiProcess([{ options: { instances: fleet, rateLimit: LIMIT, operatingPolls: 1 } }]);
  [url] = server.urls;
  setRateLimit(LIMIT);
});

after(async () => {
  setRateLimit(10);
  process.off('unhandledRejection', onUnhandled);
  await server.close();
});

/** The most requests of one action the server saw in any window [t, t + 1000 ms). */
function maxPerSecond(times) {
  const t = [...times].sort((a, b) => a - b);
  let best = 0;
  let at = 0;
  for (let i = 0, j = 0; i < t.length; i++) {
    while (t[i] - t[j] >= 1000) j++;
    if (i - j + 1 > best) {
      best = i - j + 1;
      at = t[j] - t[0];
    }
  }
  const firstMs = t.length > LIMIT ? Math.round(t[LIMIT] - t[0]) : null;
  return { maxPerSecond: best, windowStartsAtMs: Math.round(at), [`first${LIMIT + 1}WithinMs`]: firstMs };
}

function windows(log) {
  const byAction = {};
  for (const e of log) (byAction[e.action] ??= []).push(e.time);
  return Object.fromEntries(Object.entries(byAction).map(([a, times]) => [a, { requests: times.length, ...maxPerSecond(times) }]));
}

async function settleAll(promises, ms) {
  let timer;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  const all = Promise.allSettled(promises);
  const r = await Promise.race([all, timeout]);
  clearTimeout(timer);
  return r;
}

test(`${CALLS} concurrent calls (ResetInstance once per instance, DescribeInstances the rest) over ${FLEET} instances`, async (t) => {
  // When the limiter lets each request go: the moment the package hands it to fetch.
  const sent = [];
  const fetchSpy = (url, init) => {
    sent.push({ action: init.headers['X-TC-Action'], time: performance.now() });
    return fetch(url, init);
  };
  const client = new LighthouseClient({ credentials: DEMO_CREDENTIALS, endpoint: url, region: 'ap-guangzhou', fetch: fetchSpy });
  const started = performance.now();
  const calls = [];
  for (let i = 0; i < CALLS; i++) {
    calls.push(
      i % 10 === 0 ? client.resetInstance({ InstanceId: ids[i / 10] }) : client.describeInstances({ InstanceIds: [ids[i % FLEET], ids[(i * 7) % FLEET]] }),
    );
  }
  const results = await settleAll(calls, 60_000);
  const ms = performance.now() - started;
  assert.notEqual(results, 'timeout', 'every call settled within 60 s');
  const rejected = results.filter((r) => r.status === 'rejected');
  const log = await control(url, 'log');
  const perAction = windows(sent);
  const atServer = windows(log);
  const stats = await control(url, 'stats');
  t.diagnostic(`${CALLS} calls settled in ${(ms / 1000).toFixed(2)} s: ${(CALLS / (ms / 1000)).toFixed(0)} calls/s (limit ${LIMIT}/s per action)`);
  t.diagnostic(`sent by the client, per action: ${JSON.stringify(perAction)}`);
  t.diagnostic(`server: ${stats.total} requests, ${stats.throttled} throttled, ${stats.errors} errors; as logged on arrival: ${JSON.stringify(atServer)}`);
  assert.equal(
    rejected.length,
    0,
    `rejected: ${rejected
      .slice(0, 3)
      .map((r) => `${r.reason?.code}: ${r.reason?.message}`)
      .join('; ')}`,
  );
  assert.equal(stats.throttled, 0, 'no RequestLimitExceeded');
  assert.equal(stats.total, CALLS, 'one request per call: nothing retried');
  for (const [action, w] of Object.entries(perAction)) {
    // Strict spacing of 1000/LIMIT ms puts at most LIMIT requests in any half-open second.
    assert.ok(w.maxPerSecond <= LIMIT, `${action}: ${w.maxPerSecond} requests sent in one second (limit ${LIMIT})`);
  }
  // 900 DescribeInstances at 200/s with burst 1 take at least 4.5 s: the limiter, not the server, paced them.
  assert.ok(ms >= ((CALLS * 0.9 - 1) / LIMIT) * 1000, `paced: ${ms.toFixed(0)} ms`);
  const resets = log.filter((e) => e.action === 'ResetInstance' && !e.errorCode).map((e) => e.params.InstanceId);
  assert.deepEqual([...resets].sort(), [...ids].sort(), 'every instance reset exactly once');
});

test(`resetInstances over the ${FLEET}-instance fleet with waits (one shared poller), under the same limit`, async (t) => {
  await control(url, 'reset', { fleet: FLEET });
  // The region of the fleet: the waits poll DescribeInstances, whose Region is required.
  const client = new LighthouseClient({ credentials: DEMO_CREDENTIALS, endpoint: url, region: 'ap-guangzhou' });
  const started = performance.now();
  const out = await settleAll(
    [
      client.resetInstances(
        ids.map((InstanceId) => ({ InstanceId })),
        { concurrency: FLEET, minDelaySeconds: 0.05, maxDelaySeconds: 0.2, maxWaitSeconds: 30 },
      ),
    ],
    45_000,
  );
  const ms = performance.now() - started;
  assert.notEqual(out, 'timeout', 'settled within 45 s');
  assert.equal(out[0].status, 'fulfilled', String(out[0].reason?.message));
  const results = out[0].value;
  const stats = await control(url, 'stats');
  const log = await control(url, 'log');
  const perAction = windows(log);
  const polls = log.filter((e) => e.action === 'DescribeInstances');
  t.diagnostic(
    `${FLEET} resets waited for in ${(ms / 1000).toFixed(2)} s; ${polls.length} DescribeInstances polls (at most ${Math.max(...polls.map((p) => p.params?.InstanceIds?.length ?? 0))} ids each); ${stats.throttled} throttled; per action ${JSON.stringify(perAction)}`,
  );
  assert.equal(results.length, FLEET);
  assert.deepEqual(
    results.filter((r) => !r.ok).map((r) => `${r.InstanceId}: ${r.error?.code}`),
    [],
  );
  for (const r of results) assert.equal(r.instance.LatestOperationRequestId, r.RequestId);
  assert.equal(stats.throttled, 0);
  for (const [action, w] of Object.entries(perAction)) assert.ok(w.maxPerSecond <= LIMIT, `${action}: ${w.maxPerSecond}/s`);
  assert.ok(polls.length < FLEET, `the waits share a poller (${polls.length} polls for ${FLEET} instances)`);
});

test('no unhandled promise rejection during the load', async () => {
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(
    unhandled.length,
    0,
    unhandled
      .slice(0, 3)
      .map((e) => e?.message)
      .join('; '),
  );
});
