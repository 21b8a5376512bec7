// The web build's waiter in headless Chromium against the local Lighthouse API on another origin (CORS):
// resetInstanceAndWait with progress to SUCCESS, a FAILED reset, and a fleet of 5.
import test from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { startStaticServer } from '../helpers/static-server.mjs';
import { launch } from '../helpers/browser.mjs';
import { startLighthouseApi, makeFleet, DEMO_CREDENTIALS } from '../../local-api/server.mjs';
import { entries, effectiveResets } from '../helpers/waiter-log.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

test('web build in Chromium: the waiter against the local API over CORS', { timeout: 60_000 }, async (t) => {
  const fleet = makeFleet(5, { prefix: 'web' });
  const api = await startLighthouseApi({ operatingPolls: 2, instances: fleet });
  const server = await startStaticServer(root);
  const browser = await launch();
  t.after(async () => {
    await browser.close();
    await server.close();
    await api.close();
  });
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${server.url}/tests/browser/waiter-page.html`);
  await page.waitForFunction(() => window.__waiterReady === true);
  assert.notEqual(new URL(server.url).origin, new URL(api.url).origin, 'the API is cross-origin');
  const config = { credentials: { ...DEMO_CREDENTIALS }, endpoint: api.url };
  const ids = fleet.map((i) => i.InstanceId);

  await t.test('resetInstanceAndWait reaches SUCCESS with progress events', async () => {
    api.reset();
    const r = await page.evaluate(([c, id]) => window.__waiter.resetAndWait(c, id), [config, ids[0]]);
    assert.equal(r.ok, true, JSON.stringify(r.error));
    const [reset] = effectiveResets(api.log);
    assert.equal(effectiveResets(api.log).length, 1);
    assert.equal(r.instance.LatestOperationState, 'SUCCESS');
    assert.equal(r.instance.LatestOperationRequestId, reset.requestId);
    assert.deepEqual(
      r.events.map((e) => e.LatestOperationState),
      ['OPERATING', 'OPERATING', 'SUCCESS'],
    );
    assert.deepEqual(
      r.events.map((e) => e.attempt),
      [0, 1, 2],
    );
    assert.ok(r.events.every((e) => e.InstanceId === ids[0] && e.InstanceState === 'RUNNING'));
    assert.equal(r.events.at(-1).requestId, reset.requestId);
    assert.equal(entries(api.log, 'DescribeInstances').length, 3);
  });

  await t.test('a FAILED reset rejects with WaiterError.OperationFailed', async () => {
    api.reset();
    api.failNextReset(ids[1]);
    const r = await page.evaluate(([c, id]) => window.__waiter.resetAndWait(c, id), [config, ids[1]]);
    assert.equal(r.ok, false);
    const [reset] = effectiveResets(api.log);
    assert.equal(r.error.isClass, true);
    assert.equal(r.error.isInstance, true);
    assert.equal(r.error.name, 'TencentCloudError');
    assert.equal(r.error.code, 'WaiterError.OperationFailed');
    assert.equal(r.error.kind, 'waiter');
    assert.equal(r.error.requestId, reset.requestId);
    assert.equal(r.error.instance.LatestOperationState, 'FAILED');
    assert.equal(r.error.instance.LatestOperationRequestId, reset.requestId);
    assert.equal(typeof r.error.attempts, 'number');
    assert.equal(r.events.at(-1).LatestOperationState, 'FAILED');
  });

  await t.test('a fleet of 5 with one shared poller', async () => {
    api.reset();
    const results = await page.evaluate(([c, list]) => window.__waiter.fleet(c, list), [config, ids]);
    assert.equal(results.length, 5);
    const effective = effectiveResets(api.log);
    assert.equal(effective.length, 5);
    results.forEach((r, i) => {
      assert.equal(r.InstanceId, ids[i]);
      assert.equal(r.ok, true, JSON.stringify(r.error));
      assert.equal(r.instance.LatestOperationState, 'SUCCESS');
      assert.equal(r.instance.LatestOperationRequestId, r.RequestId);
      assert.equal(r.RequestId, effective.find((e) => e.params.InstanceId === ids[i]).requestId);
    });
    const polls = entries(api.log, 'DescribeInstances');
    assert.ok(polls.length < 15, `${polls.length} DescribeInstances for 5 instances`);
    assert.ok(
      polls.some((e) => e.params.InstanceIds.length > 1),
      'the waits share DescribeInstances calls',
    );
    assert.equal(api.stats().throttled, 0);
  });

  assert.deepEqual(errors, []);
});
