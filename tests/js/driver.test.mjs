// The driver's loop (js/driver.js over src/bindings/drive.rs' Job::step) and the Node entry's lazy client:
// what the move of the loop into JS and the lazy loading must not have changed. Fetch is a fake; no server.
import test from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LighthouseClient, TencentCloudError, createSigningProxy, setRateLimit } from 'tc3-lighthouse';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const KEY = { secretId: `AKID${'x'.repeat(32)}`, secretKey: 'k'.repeat(32) };
const ok = () => new Response(JSON.stringify({ Response: { RequestId: 'r-1', TotalCount: 0, InstanceSet: [] } }), { status: 200 });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const client = (extra) => new LighthouseClient({ endpoint: 'http://api.invalid', region: 'ap-guangzhou', rateLimit: false, ...extra });

test('a call returns before its first fetch, as an async function would', async () => {
  const order = [];
  const c = client({
    credentials: KEY,
    fetch: async () => {
      order.push('fetch');
      return ok();
    },
  });
  const p = c.describeInstances({});
  order.push('returned');
  await p;
  assert.deepEqual(order, ['returned', 'fetch']);
});

test('a client freed from inside its own fetch still settles the call', async () => {
  let c;
  c = client({
    credentials: KEY,
    fetch: async () => {
      c.free();
      return ok();
    },
  });
  assert.equal((await c.describeInstances({})).RequestId, 'r-1');
});

test("credentials a provider returns after the call was aborted are cached for the client's next call", async () => {
  let calls = 0;
  const provider = async () => {
    calls++;
    await sleep(50);
    return { ...KEY, expiresAt: Date.now() / 1000 + 3600 };
  };
  const c = client({ credentials: provider, fetch: async () => ok() });
  const ac = new AbortController();
  const p = c.describeInstances({}, { signal: ac.signal });
  setTimeout(() => ac.abort(), 10);
  await assert.rejects(p, (e) => e.code === 'ClientError.Aborted');
  await sleep(80);
  assert.equal((await c.describeInstances({})).RequestId, 'r-1');
  assert.equal(calls, 1, 'the provider was asked once: its answer to the aborted call was cached');
});

test('concurrent calls share one provider call, and a provider that throws is asked again next time', async () => {
  let calls = 0;
  const c = client({
    credentials: async () => {
      calls++;
      await sleep(10);
      return { ...KEY, expiresAt: Date.now() / 1000 + 3600 };
    },
    fetch: async () => ok(),
  });
  await Promise.all([c.describeInstances({}), c.describeInstances({}), c.describeBlueprints({})]);
  assert.equal(calls, 1);
  let thrown = 0;
  const bad = client({
    credentials: () => {
      thrown++;
      throw new Error('boom');
    },
    fetch: async () => ok(),
  });
  for (let i = 0; i < 2; i++) {
    await assert.rejects(bad.describeInstances({}), (e) => TencentCloudError.isInstance(e) && e.code === 'ClientError.Credentials');
  }
  assert.equal(thrown, 2);
});

test('an abort fired from inside a callback of the step (the logger) ends the call, with no timer or listener left', async () => {
  const ac = new AbortController();
  // The first attempt is answered with a retryable error; the logger, told of the retry, aborts the call
  // during its backoff.
  const stop = (_, e) => {
    if (e.event === 'retry') ac.abort(new Error('stop'));
  };
  const logger = { debug: stop, info: stop, warn: stop };
  let fetched = 0;
  const busy = () => new Response(JSON.stringify({ Response: { RequestId: 'r-b', Error: { Code: 'InternalError', Message: 'busy' } } }), { status: 200 });
  const c = client({
    credentials: KEY,
    logger,
    maxAttempts: 5,
    fetch: async () => {
      fetched++;
      return busy();
    },
  });
  const { getEventListeners } = await import('node:events');
  await assert.rejects(c.describeInstances({}, { signal: ac.signal }), (e) => e.code === 'ClientError.Aborted' && e.cause?.message === 'stop');
  assert.equal(fetched, 1, 'aborted in the backoff: no second attempt');
  assert.equal(getEventListeners(ac.signal, 'abort').length, 0);
});

test("the signing proxy gives a page a fixed message for its credentials' failure, never the provider's", async () => {
  const secretPath = '/home/operator/.tencentcloud/credentials-CANARY';
  const handler = createSigningProxy({
    endpoint: 'http://api.invalid',
    region: 'ap-guangzhou',
    credentials: async () => {
      throw new TencentCloudError('ClientError.Credentials', `No credentials found. Tried: profile file: ${secretPath}: not found`);
    },
    fetch: async () => ok(),
  });
  const res = await handler(new Request('http://proxy.local/', { method: 'POST', headers: { 'X-TC-Action': 'DescribeInstances' }, body: '{}' }));
  const text = await res.text();
  assert.ok(!text.includes('CANARY'), text);
  assert.equal(JSON.parse(text).Response.Error.Code, 'ClientError.Credentials');
  assert.equal(JSON.parse(text).Response.Error.Message, 'The signing proxy could not get its credentials.');
});

test('Node entry: LighthouseClient forwards to the glue class (statics, own keys, new-only, subclassing)', () => {
  assert.throws(() => LighthouseClient({ credentials: KEY }), TypeError);
  assert.equal(LighthouseClient.name, 'LighthouseClient');
  assert.ok(Object.getOwnPropertyNames(LighthouseClient).includes('prototype'));
  assert.equal(Object.getOwnPropertyDescriptor(LighthouseClient, 'prototype').value, LighthouseClient.prototype);
  LighthouseClient.__testStatic = 42;
  assert.equal(LighthouseClient.__testStatic, 42);
  delete LighthouseClient.__testStatic;
  assert.equal(LighthouseClient.__testStatic, undefined);
  class Sub extends LighthouseClient {
    hello() {
      return typeof this.describeInstances;
    }
  }
  const s = new Sub({ credentials: KEY, region: 'ap-guangzhou' });
  assert.ok(s instanceof Sub && s instanceof LighthouseClient);
  assert.equal(s.hello(), 'function');
  assert.equal(typeof setRateLimit, 'function');
  assert.equal(setRateLimit.length, 2);
});

test('Node entry: a process that only signs never loads the client glue', async () => {
  const { execFileSync } = await import('node:child_process');
  const script = `
    const m = require('tc3-lighthouse');
    const loaded = () => Object.keys(require.cache).some((f) => f.endsWith('tc3_lighthouse_server.js'));
    m.signRequest({ secretId: 'AKID${'x'.repeat(32)}', secretKey: 'k', service: 'lighthouse', host: 'lighthouse.tencentcloudapi.com', action: 'DescribeInstances', version: '2020-03-24', timestamp: 1700000000, payload: '{}' });
    const before = loaded();
    new m.LighthouseClient({ credentials: { secretId: 'AKID${'x'.repeat(32)}', secretKey: 'k' } });
    console.log(JSON.stringify([before, loaded()]));`;
  const out = execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' });
  assert.deepEqual(JSON.parse(out), [false, true]);
});
