// The reset waiter, exactly-once resets, fleets and the client-side rate limiter, against the local
// Lighthouse API (local-api/server.mjs). Counts and states are asserted; timing only where timing is
// the behaviour (the limiter, promptness of an abort), with generous bounds.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { LighthouseClient, TencentCloudError, waitUntilInstanceReset, resetInstanceAndWait, resetInstances, setRateLimit } from 'tc3-lighthouse';
import { startLighthouseApi, makeFleet, DEMO_CREDENTIALS } from '../../local-api/server.mjs';
import { entries, effectiveResets, byAction, throttled, sleep, until } from '../helpers/waiter-log.mjs';

// No test may hang a whole run.
const it = (name, fn, options = {}) => test(name, { timeout: 40_000, ...options }, fn);

const FAST = { minDelaySeconds: 0.05, maxDelaySeconds: 0.2 };
const RUNNING = 'lhins-ruy9d2tw'; // demo seed: RUNNING Linux, no latest operation
const RUNNING2 = 'lhins-abcd1234'; // RUNNING, last reset SUCCESS (RequestId c6f2f8d2-...)
const OPERATING = 'lhins-m5t7w2eb'; // mid-reset (RequestId 9e4c2a61-...)
const OPERATING_RID = '9e4c2a61-5b3d-4f8e-a172-6c0d8e9b3a45';
const FAILED = 'lhins-f4i1ed0x'; // last reset FAILED
const FAILED_RID = '3f8b1e27-c4d9-4a0b-b6e5-7d2a9c1f0e83';
const STOPPED = 'lhins-s7h2u9tf';
const PENDING = 'lhins-p3n9x1ca';

async function setup(t, apiOptions = {}, clientConfig = {}) {
  const api = await startLighthouseApi({ operatingPolls: 2, ...apiOptions });
  t.after(() => api.close());
  const config = { credentials: DEMO_CREDENTIALS, endpoint: api.url, ...clientConfig };
  return { api, client: new LighthouseClient(config), config };
}

/** An `assert.rejects` validator: a TencentCloudError with `code` (and `kind`, and more fields). */
function tcError(code, kind, more = {}) {
  return (e) => {
    assert.ok(TencentCloudError.isInstance(e), `not a TencentCloudError: ${e}`);
    assert.ok(e instanceof TencentCloudError);
    assert.ok(e instanceof Error);
    assert.equal(e.name, 'TencentCloudError');
    assert.equal(e.code, code, e.message);
    if (kind) assert.equal(e.kind, kind);
    for (const [k, v] of Object.entries(more)) {
      if (v instanceof RegExp) assert.match(String(e[k]), v, k);
      else assert.equal(e[k], v, k);
    }
    return true;
  };
}

async function caught(promise) {
  try {
    const v = await promise;
    assert.fail(`resolved instead of rejecting: ${JSON.stringify(v)?.slice(0, 200)}`);
  } catch (e) {
    if (e?.code === 'ERR_ASSERTION') throw e;
    return e;
  }
}

/** One onProgress event per poll that listed the instance; `attempt` counts polls: 0, 1, 2, ... (`skipped`:
 *  polls that did not list the instance come first). */
function assertProgress(events, id, polls, skipped = 0) {
  assert.equal(events.length, polls, 'one progress event per poll that listed the instance');
  events.forEach((e, i) => {
    assert.equal(e.InstanceId, id);
    assert.equal(e.attempt, i + skipped, 'attempt increases by one per poll');
    assert.equal(typeof e.elapsedSeconds, 'number');
    assert.ok(e.elapsedSeconds >= 0);
    if (i > 0) assert.ok(e.elapsedSeconds >= events[i - 1].elapsedSeconds, 'elapsedSeconds never goes back');
    assert.equal(typeof e.InstanceState, 'string');
    assert.ok(e.LatestOperationState === null || typeof e.LatestOperationState === 'string');
    assert.equal(e.instance.InstanceId, id);
    assert.equal(e.instance.LatestOperationState ?? null, e.LatestOperationState);
    assert.equal(e.instance.InstanceState, e.InstanceState);
  });
}

// ---------------------------------------------------------------------------------------------------
// One instance

it('resetInstanceAndWait: SUCCESS with a progress event on every poll', async (t) => {
  const { api, client } = await setup(t);
  const events = [];
  const inst = await client.resetInstanceAndWait({ InstanceId: RUNNING }, { ...FAST, onProgress: (e) => events.push(e) });
  const resets = effectiveResets(api.log);
  assert.equal(resets.length, 1);
  assert.equal(entries(api.log, 'ResetInstance').length, 1);
  assert.equal(inst.InstanceId, RUNNING);
  assert.equal(inst.LatestOperation, 'ResetInstance');
  assert.equal(inst.LatestOperationState, 'SUCCESS');
  assert.equal(inst.InstanceState, 'RUNNING');
  assert.equal(inst.LatestOperationRequestId, resets[0].requestId);
  // operatingPolls 2: OPERATING, OPERATING, SUCCESS.
  const polls = entries(api.log, 'DescribeInstances').length;
  assert.equal(polls, 3);
  assertProgress(events, RUNNING, polls);
  assert.deepEqual(
    events.map((e) => e.LatestOperationState),
    ['OPERATING', 'OPERATING', 'SUCCESS'],
  );
  assert.equal(events.at(-1).instance.LatestOperationRequestId, resets[0].requestId);
});

it('waitUntilInstanceReset (client and module-level) with the RequestId of resetInstance', async (t) => {
  const { api, client, config } = await setup(t, { operatingPolls: 3 });
  const { RequestId } = await client.resetInstance({ InstanceId: RUNNING });
  assert.equal(RequestId, effectiveResets(api.log)[0].requestId);
  const events = [];
  const inst = await client.waitUntilInstanceReset({ InstanceId: RUNNING, RequestId }, { ...FAST, onProgress: (e) => events.push(e) });
  assert.equal(inst.LatestOperationState, 'SUCCESS');
  assert.equal(inst.LatestOperationRequestId, RequestId);
  assertProgress(events, RUNNING, 4);
  assert.deepEqual(
    events.map((e) => e.LatestOperationState),
    ['OPERATING', 'OPERATING', 'OPERATING', 'SUCCESS'],
  );

  const second = await client.resetInstance({ InstanceId: RUNNING2 });
  const viaModule = await waitUntilInstanceReset({ InstanceId: RUNNING2, RequestId: second.RequestId }, { ...config, ...FAST });
  assert.equal(viaModule.InstanceId, RUNNING2);
  assert.equal(viaModule.LatestOperationState, 'SUCCESS');
  assert.equal(viaModule.LatestOperationRequestId, second.RequestId);
  assert.equal(effectiveResets(api.log).length, 2);
});

it('onProgress is called on every poll with an increasing attempt; a throwing one does not break the wait', async (t) => {
  const { api, client } = await setup(t, { operatingPolls: 3 });
  const attempts = [];
  const inst = await client.resetInstanceAndWait(
    { InstanceId: RUNNING },
    {
      ...FAST,
      onProgress: (e) => {
        attempts.push(e.attempt);
        throw new Error('a buggy progress callback');
      },
    },
  );
  assert.equal(inst.LatestOperationState, 'SUCCESS');
  assert.equal(inst.LatestOperationRequestId, effectiveResets(api.log)[0].requestId);
  assert.deepEqual(attempts, [0, 1, 2, 3]);
  assert.equal(entries(api.log, 'DescribeInstances').length, 4);
});

it('a FAILED reset rejects with WaiterError.OperationFailed carrying instance, requestId, attempts, elapsedSeconds', async (t) => {
  const { api, client } = await setup(t);
  api.failNextReset(RUNNING);
  const events = [];
  const e = await caught(client.resetInstanceAndWait({ InstanceId: RUNNING }, { ...FAST, onProgress: (ev) => events.push(ev) }));
  const reset = effectiveResets(api.log);
  assert.equal(reset.length, 1);
  tcError('WaiterError.OperationFailed', 'waiter', { requestId: reset[0].requestId })(e);
  assert.equal(e.instance.InstanceId, RUNNING);
  assert.equal(e.instance.LatestOperationState, 'FAILED');
  assert.equal(e.instance.LatestOperationRequestId, reset[0].requestId);
  assert.equal(e.attempts, 3);
  assert.equal(typeof e.elapsedSeconds, 'number');
  assert.ok(e.elapsedSeconds >= 0);
  assert.equal(events.at(-1).LatestOperationState, 'FAILED');

  // An old FAILED reset: by its RequestId, and without one (any ResetInstance counts).
  const old = await caught(client.waitUntilInstanceReset({ InstanceId: FAILED, RequestId: FAILED_RID }, FAST));
  tcError('WaiterError.OperationFailed', 'waiter', { requestId: FAILED_RID })(old);
  assert.equal(old.instance.LatestOperationState, 'FAILED');
  const any = await caught(client.waitUntilInstanceReset({ InstanceId: FAILED }, FAST));
  tcError('WaiterError.OperationFailed', 'waiter')(any);
});

it('a reset that never finishes: WaiterError.Timeout with elapsedSeconds, attempts and the instance last seen', async (t) => {
  const { api, client } = await setup(t, { operatingPolls: 1_000_000 });
  const { RequestId } = await client.resetInstance({ InstanceId: RUNNING });
  const started = Date.now();
  const e = await caught(
    client.waitUntilInstanceReset({ InstanceId: RUNNING, RequestId }, { minDelaySeconds: 0.05, maxDelaySeconds: 0.1, maxWaitSeconds: 0.6 }),
  );
  const took = (Date.now() - started) / 1000;
  tcError('WaiterError.Timeout', 'waiter')(e);
  assert.ok(e.elapsedSeconds >= 0.5 && e.elapsedSeconds <= took + 0.1, `elapsedSeconds ${e.elapsedSeconds}, took ${took}`);
  assert.ok(took < 5, `gave up after ${took} s`);
  const polls = entries(api.log, 'DescribeInstances').length;
  assert.ok(polls >= 2);
  assert.equal(e.attempts, polls);
  assert.equal(e.instance.InstanceId, RUNNING);
  assert.equal(e.instance.LatestOperationState, 'OPERATING');
  assert.equal(e.instance.LatestOperationRequestId, RequestId);
});

it('a foreign RequestId is never success', async (t) => {
  const { api, client } = await setup(t);
  const opts = { minDelaySeconds: 0.05, maxDelaySeconds: 0.1, maxWaitSeconds: 0.5 };
  // The instance's latest reset is someone else's and SUCCESS.
  const foreign = '11111111-2222-4333-8444-555555555555';
  const e1 = await caught(client.waitUntilInstanceReset({ InstanceId: RUNNING2, RequestId: foreign }, opts));
  tcError('WaiterError.Timeout', 'waiter')(e1);
  assert.equal(e1.instance.LatestOperationState, 'SUCCESS');
  assert.notEqual(e1.instance.LatestOperationRequestId, foreign);

  // Our reset started, then someone else's reset replaced it and succeeded.
  const { RequestId } = await client.resetInstance({ InstanceId: RUNNING });
  api.setInstance(RUNNING, { LatestOperation: 'ResetInstance', LatestOperationState: 'SUCCESS', LatestOperationRequestId: foreign });
  const e2 = await caught(client.waitUntilInstanceReset({ InstanceId: RUNNING, RequestId }, opts));
  tcError('WaiterError.Timeout', 'waiter')(e2);
  assert.equal(e2.instance.LatestOperationRequestId, foreign);

  // Another operation that succeeded, even carrying our RequestId, is not our reset.
  api.setInstance(RUNNING, { LatestOperation: 'RebootInstances', LatestOperationState: 'SUCCESS', LatestOperationRequestId: RequestId });
  const e3 = await caught(client.waitUntilInstanceReset({ InstanceId: RUNNING, RequestId }, opts));
  tcError('WaiterError.Timeout', 'waiter')(e3);
});

it('abort mid-wait rejects promptly with ClientError.Aborted and stops polling', async (t) => {
  const { api, client } = await setup(t, { operatingPolls: 1_000_000 });
  const ac = new AbortController();
  let abortedAt = 0;
  const p = client.resetInstanceAndWait(
    { InstanceId: RUNNING },
    {
      minDelaySeconds: 5,
      maxDelaySeconds: 5,
      signal: ac.signal,
      onProgress: () =>
        setTimeout(() => {
          abortedAt = Date.now();
          ac.abort();
        }, 100),
    },
  );
  const e = await caught(p);
  const late = Date.now() - abortedAt;
  tcError('ClientError.Aborted', 'aborted')(e);
  assert.ok(abortedAt > 0, 'aborted during the sleep after the first poll');
  assert.ok(late < 1000, `settled ${late} ms after the abort, with 5 s between polls`);
  await sleep(200);
  assert.equal(entries(api.log, 'DescribeInstances').length, 1);
  assert.equal(effectiveResets(api.log).length, 1);

  // Aborted while a poll is in flight (a slow answer).
  api.reset();
  api.injectFault({ action: 'DescribeInstances', kind: 'slow', delayMs: 3000 });
  const ac2 = new AbortController();
  const p2 = client.resetInstanceAndWait({ InstanceId: RUNNING }, { ...FAST, signal: ac2.signal });
  await until(() => entries(api.log, 'DescribeInstances').length === 1, 3000, 'the slow poll');
  const t2 = Date.now();
  ac2.abort();
  tcError('ClientError.Aborted', 'aborted')(await caught(p2));
  assert.ok(Date.now() - t2 < 1000, 'an in-flight poll is abandoned at once');

  // Already aborted: nothing is sent.
  api.reset();
  const e3 = await caught(client.resetInstanceAndWait({ InstanceId: RUNNING }, { ...FAST, signal: AbortSignal.abort() }));
  tcError('ClientError.Aborted', 'aborted')(e3);
  assert.equal(api.log.length, 0);
});

it('throttled attempts are retried: ResetInstance and polls', async (t) => {
  const { api, client } = await setup(t);
  api.injectFault({ action: 'ResetInstance', kind: 'throttle', times: 2 });
  api.injectFault({ action: 'DescribeInstances', kind: 'throttle', times: 2 });
  const inst = await client.resetInstanceAndWait({ InstanceId: RUNNING }, FAST);
  const resets = entries(api.log, 'ResetInstance');
  assert.deepEqual(
    resets.map((e) => e.errorCode),
    ['RequestLimitExceeded', 'RequestLimitExceeded', null],
  );
  assert.equal(effectiveResets(api.log).length, 1);
  assert.equal(inst.LatestOperationState, 'SUCCESS');
  assert.equal(inst.LatestOperationRequestId, resets[2].requestId);
  assert.equal(api.stats().throttled, 4);
});

// ---------------------------------------------------------------------------------------------------
// Exactly-once resets

it('answerLost: exactly one reset in the server log, and its RequestId returned', async (t) => {
  const { api, client } = await setup(t);
  api.injectFault({ action: 'ResetInstance', kind: 'answerLost' });
  const { RequestId } = await client.resetInstance({ InstanceId: RUNNING });
  const resets = entries(api.log, 'ResetInstance');
  assert.equal(resets.length, 1, 'not resent');
  assert.equal(effectiveResets(api.log).length, 1);
  assert.equal(resets[0].fault, 'answerLost');
  assert.equal(RequestId, resets[0].requestId);

  // The same through resetInstanceAndWait: the waiter follows the reconciled RequestId.
  api.reset();
  api.injectFault({ action: 'ResetInstance', kind: 'answerLost' });
  const inst = await client.resetInstanceAndWait({ InstanceId: RUNNING }, FAST);
  assert.equal(entries(api.log, 'ResetInstance').length, 1);
  const [only] = effectiveResets(api.log);
  assert.equal(inst.LatestOperationState, 'SUCCESS');
  assert.equal(inst.LatestOperationRequestId, only.requestId);
});

it('connectionReset (not processed): resent safely, exactly one effective reset', async (t) => {
  const { api, client } = await setup(t);
  api.injectFault({ action: 'ResetInstance', kind: 'connectionReset' });
  const inst = await client.resetInstanceAndWait({ InstanceId: RUNNING }, FAST);
  const resets = entries(api.log, 'ResetInstance');
  assert.deepEqual(
    resets.map((e) => e.errorCode),
    ['Fault.connectionReset', null],
  );
  assert.equal(effectiveResets(api.log).length, 1);
  assert.equal(inst.LatestOperationState, 'SUCCESS');
  assert.equal(inst.LatestOperationRequestId, resets[1].requestId);
  // The resend came only after DescribeInstances said the first attempt had not taken effect.
  const firstReset = api.log.indexOf(resets[0]);
  const resend = api.log.indexOf(resets[1]);
  assert.ok(
    api.log.slice(firstReset, resend).some((e) => e.action === 'DescribeInstances'),
    'reconciled before resending',
  );
});

it('a ResetInstance that times out (slow server): exactly one effective reset once everything settles, right RequestId', async (t) => {
  // A reset lasts longer than the slow request's delay, as real resets (minutes) do.
  const { api, client } = await setup(t, { operatingMs: 2500 });
  api.injectFault({ action: 'ResetInstance', kind: 'slow', delayMs: 1200 });
  const inst = await client.resetInstanceAndWait({ InstanceId: RUNNING }, { ...FAST, maxDelaySeconds: 0.3, timeoutMs: 300 });
  const slow = entries(api.log, 'ResetInstance').find((e) => e.fault === 'slow');
  assert.ok(slow, 'the slow attempt was sent');
  await until(() => slow.status !== null, 5000, 'the slow request to be answered');
  const resets = effectiveResets(api.log);
  assert.equal(resets.length, 1, `effective resets: ${JSON.stringify(entries(api.log, 'ResetInstance').map((e) => [e.fault, e.errorCode]))}`);
  assert.equal(inst.LatestOperationState, 'SUCCESS');
  assert.equal(inst.LatestOperationRequestId, resets[0].requestId);
  assert.equal(api.getInstance(RUNNING).LatestOperationRequestId, resets[0].requestId);
});

it("resetInstance alone with a timeout on a slow server returns the effective reset's RequestId", async (t) => {
  const { api, client } = await setup(t, { operatingMs: 5000 });
  api.injectFault({ action: 'ResetInstance', kind: 'slow', delayMs: 800 });
  const { RequestId } = await client.resetInstance({ InstanceId: RUNNING }, { timeoutMs: 200 });
  const slow = entries(api.log, 'ResetInstance').find((e) => e.fault === 'slow');
  await until(() => slow.status !== null, 5000, 'the slow request to be answered');
  const resets = effectiveResets(api.log);
  assert.equal(resets.length, 1);
  assert.equal(RequestId, resets[0].requestId);
  assert.equal(api.getInstance(RUNNING).LatestOperationRequestId, RequestId);
});

// ---------------------------------------------------------------------------------------------------
// Missing instances and busy ones

it('an instance missing from 2 (and 3) consecutive polls is tolerated', async (t) => {
  const { api, client } = await setup(t);
  for (const times of [2, 3]) {
    api.reset();
    api.injectFault({ kind: 'hideInstance', instanceId: RUNNING, times });
    const events = [];
    const inst = await client.resetInstanceAndWait({ InstanceId: RUNNING }, { ...FAST, onProgress: (e) => events.push(e) });
    assert.equal(inst.LatestOperationState, 'SUCCESS');
    assert.equal(inst.LatestOperationRequestId, effectiveResets(api.log)[0].requestId);
    assert.equal(entries(api.log, 'DescribeInstances').length, times + 3, `hidden ${times}`);
    assertProgress(events, RUNNING, 3, times);
  }
});

it('an instance missing from more than 3 consecutive polls: ResourceNotFound.InstanceNotFound', async (t) => {
  const { api, client } = await setup(t);
  api.injectFault({ kind: 'hideInstance', instanceId: RUNNING, times: 10 });
  const events = [];
  const e = await caught(client.resetInstanceAndWait({ InstanceId: RUNNING }, { ...FAST, onProgress: (ev) => events.push(ev) }));
  tcError('ResourceNotFound.InstanceNotFound', 'notFound')(e);
  assert.equal(entries(api.log, 'DescribeInstances').length, 4, 'fails on the 4th consecutive miss');
  assert.equal(events.length, 0);
  assert.equal(effectiveResets(api.log).length, 1);
});

it('waitForIdle: an instance mid-operation is waited for, then reset once', async (t) => {
  const { api, client } = await setup(t);
  const events = [];
  const inst = await client.resetInstanceAndWait({ InstanceId: OPERATING }, { ...FAST, waitForIdle: true, onProgress: (e) => events.push(e) });
  const resets = entries(api.log, 'ResetInstance');
  assert.equal(resets.length, 1, 'no busy attempt: the reset was sent once idle');
  assert.equal(resets[0].errorCode, null);
  assert.equal(inst.LatestOperationState, 'SUCCESS');
  assert.equal(inst.LatestOperationRequestId, resets[0].requestId);
  assert.notEqual(inst.LatestOperationRequestId, OPERATING_RID);
  const before = api.log.slice(0, api.log.indexOf(resets[0]));
  assert.ok(before.length >= 2 && before.every((e) => e.action === 'DescribeInstances'), 'polled until idle before resetting');
  assert.ok(events.some((e) => e.LatestOperationState === 'OPERATING' && e.instance.LatestOperationRequestId === OPERATING_RID));

  // setInstance starts someone else's reset on a STOPPED instance; an idle one is reset after one look.
  api.reset();
  api.setInstance(STOPPED, { LatestOperation: 'ResetInstance', LatestOperationState: 'OPERATING', LatestOperationRequestId: OPERATING_RID });
  const started = await client.resetInstanceAndWait({ InstanceId: STOPPED }, { ...FAST, waitForIdle: true, maxWaitSeconds: 10 });
  assert.equal(started.LatestOperationState, 'SUCCESS');
  assert.equal(started.LatestOperationRequestId, effectiveResets(api.log)[0].requestId);
  assert.equal(entries(api.log, 'ResetInstance').length, 1);

  api.reset();
  const idle = await client.resetInstanceAndWait({ InstanceId: STOPPED }, { ...FAST, waitForIdle: true });
  assert.equal(idle.InstanceState, 'RUNNING');
  assert.equal(api.log[0].action, 'DescribeInstances');
  assert.equal(api.log[1].action, 'ResetInstance');
});

it('waitForIdle: one call, one progress sequence (attempt and elapsedSeconds never go back)', async (t) => {
  // The contract's onProgress event is per poll of the call: the idle polls and the reset's polls are
  // one sequence.
  const { client } = await setup(t);
  const events = [];
  await client.resetInstanceAndWait({ InstanceId: OPERATING }, { ...FAST, waitForIdle: true, onProgress: (e) => events.push(e) });
  assert.equal(events.length, 6);
  for (let i = 1; i < events.length; i++) {
    assert.ok(events[i].attempt > events[i - 1].attempt, `attempts ${events.map((e) => e.attempt)}`);
    assert.ok(events[i].elapsedSeconds >= events[i - 1].elapsedSeconds, `elapsed ${events.map((e) => e.elapsedSeconds)}`);
  }
});

it('without waitForIdle, a busy instance rejects with kind "busy" and is not reset', async (t) => {
  const { api, client } = await setup(t);
  const e = await caught(client.resetInstanceAndWait({ InstanceId: OPERATING }, FAST));
  tcError('UnsupportedOperation.LatestOperationUnfinished', 'busy', { action: 'ResetInstance' })(e);
  assert.equal(effectiveResets(api.log).length, 0);
  assert.equal(entries(api.log, 'ResetInstance').length, 1, 'a busy answer is not resent blindly');
  assert.equal(api.getInstance(OPERATING).LatestOperationRequestId, OPERATING_RID);
  const pending = await caught(client.resetInstanceAndWait({ InstanceId: PENDING }, FAST));
  tcError('OperationDenied.InstanceCreating', 'busy')(pending);
});

// ---------------------------------------------------------------------------------------------------
// Options

it('invalid waiter options: ClientError.InvalidArgument naming the field, before any request', async (t) => {
  const { api, client, config } = await setup(t);
  const input = { InstanceId: RUNNING };
  const bad = [
    [{ maxWaitSeconds: -1 }, /maxWaitSeconds/],
    [{ minDelaySeconds: -0.5 }, /minDelaySeconds/],
    [{ maxDelaySeconds: Number.NaN }, /maxDelaySeconds/],
    [{ maxWaitSeconds: Infinity }, /maxWaitSeconds/],
    [{ minDelaySeconds: 5, maxDelaySeconds: 1 }, /minDelaySeconds/],
    [{ onProgress: 'log it' }, /onProgress/],
    [{ onProgress: {} }, /onProgress/],
    [{ minDelaySeconds: '1' }, /minDelaySeconds/],
    [{ signal: {} }, /signal/],
    [{ timeoutMs: -5 }, /timeoutMs/],
  ];
  for (const [opts, field] of bad) {
    const what = JSON.stringify(opts);
    for (const call of [
      () => client.waitUntilInstanceReset(input, opts),
      () => client.resetInstanceAndWait(input, opts),
      () => client.resetInstances([input], opts),
      () => waitUntilInstanceReset(input, { ...config, ...opts }),
    ]) {
      await assert.rejects(call, tcError('ClientError.InvalidArgument', 'invalidInput', { message: field }), what);
    }
  }
  for (const concurrency of [0, -1, 1.5, Number.NaN, '3']) {
    await assert.rejects(
      () => client.resetInstances([input], { concurrency }),
      tcError('ClientError.InvalidArgument', 'invalidInput', { message: /concurrency/ }),
      String(concurrency),
    );
  }
  await assert.rejects(() => client.resetInstances([input], { wait: 'yes' }), tcError('ClientError.InvalidArgument', undefined, { message: /wait/ }));
  await assert.rejects(
    () => client.resetInstanceAndWait(input, { waitForIdle: 1 }),
    tcError('ClientError.InvalidArgument', undefined, { message: /waitForIdle/ }),
  );
  await assert.rejects(() => client.resetInstances({ InstanceId: RUNNING }), tcError('ClientError.InvalidArgument'));
  await assert.rejects(() => client.waitUntilInstanceReset(input, 5), tcError('ClientError.InvalidArgument'));
  // The wait input.
  await assert.rejects(() => client.waitUntilInstanceReset({}), tcError('MissingParameter'));
  await assert.rejects(() => client.waitUntilInstanceReset({ InstanceId: 'ins-123' }), tcError('InvalidParameterValue.InstanceIdMalformed'));
  await assert.rejects(
    () => client.waitUntilInstanceReset({ InstanceId: RUNNING, RequestId: '' }),
    tcError('ClientError.InvalidArgument', undefined, { message: /RequestId/ }),
  );
  await assert.rejects(() => client.waitUntilInstanceReset({ InstanceId: RUNNING, RequestId: 7 }), tcError('ClientError.InvalidArgument'));
  await assert.rejects(() => client.waitUntilInstanceReset(null), tcError('ClientError.InvalidArgument'));
  assert.equal(api.log.length, 0, 'nothing was sent');
});

it('unknown waiter option keys are refused, naming the key (and the nearest known one); nothing is sent', async (t) => {
  const { api, client, config } = await setup(t);
  const input = { InstanceId: RUNNING };
  const refused = [
    [() => client.waitUntilInstanceReset(input, { maxWaitSecond: 5 }), '`options.maxWaitSecond` is not a known option (did you mean `maxWaitSeconds`?).'],
    // waitForIdle belongs to resetInstanceAndWait only; concurrency and wait to resetInstances.
    [() => client.waitUntilInstanceReset(input, { waitForIdle: true }), '`options.waitForIdle` is not a known option.'],
    [() => client.resetInstanceAndWait(input, { ...FAST, onprogress() {} }), '`options.onprogress` is not a known option (did you mean `onProgress`?).'],
    [() => client.resetInstanceAndWait(input, { concurrency: 2 }), '`options.concurrency` is not a known option.'],
    [() => client.resetInstances([input], { waitForIdle: true }), '`options.waitForIdle` is not a known option.'],
    [() => client.resetInstances([input], { concurency: 2 }), '`options.concurency` is not a known option (did you mean `concurrency`?).'],
    [() => waitUntilInstanceReset(input, { ...config, ...FAST, regoin: 'ap-guangzhou' }), '`config.regoin` is not a known option (did you mean `region`?).'],
    [() => waitUntilInstanceReset(input, { ...config, wait: true }), '`config.wait` is not a known option.'],
    // A journal is an object with load() and append(entry): anything else would break its promise.
    [
      () => client.resetInstances([input], { journal: { load: async () => [] } }),
      '`options.journal` must be a journal: an object with load() and append(entry).',
    ],
    [() => client.resetInstances([input], { journal: 'reset.journal' }), '`options.journal` must be a journal: an object with load() and append(entry).'],
  ];
  for (const [call, message] of refused) {
    await assert.rejects(call, tcError('ClientError.InvalidArgument', 'invalidInput', { message, retryable: false }), message);
  }
  // `journal: undefined` is no journal.
  assert.deepEqual(await client.resetInstances([], { journal: undefined }), []);
  assert.equal(api.log.length, 0, 'nothing was sent');
});

// ---------------------------------------------------------------------------------------------------
// Fleets

it('resetInstances: bad items settle ok:false with typed errors, the others ok, results in input order', async (t) => {
  const { api, client } = await setup(t);
  const inputs = [
    { InstanceId: RUNNING },
    { InstanceId: 'not-an-id' },
    {},
    42,
    null,
    RUNNING2,
    { InstanceId: RUNNING2 },
    { InstanceId: PENDING },
    { InstanceId: 'lhins-zzzzzzzz' },
    { InstanceId: 'lhins-efgh5678', BlueprintId: 'ubuntu' },
    { InstanceId: OPERATING },
  ];
  const results = await client.resetInstances(inputs, FAST);
  assert.equal(results.length, inputs.length);
  const expectError = {
    1: 'InvalidParameterValue.InstanceIdMalformed',
    2: 'MissingParameter',
    3: 'ClientError.InvalidArgument',
    4: 'ClientError.InvalidArgument',
    5: 'ClientError.InvalidArgument',
    7: 'OperationDenied.InstanceCreating',
    8: 'ResourceNotFound.InstanceIdNotFound',
    9: 'InvalidParameterValue.BlueprintIdMalformed',
    10: 'UnsupportedOperation.LatestOperationUnfinished',
  };
  results.forEach((r, i) => {
    const input = inputs[i];
    assert.equal(typeof r.InstanceId, 'string', `item ${i}`);
    if (input && typeof input === 'object' && typeof input.InstanceId === 'string') assert.equal(r.InstanceId, input.InstanceId, `item ${i}`);
    if (expectError[i]) {
      assert.equal(r.ok, false, `item ${i}`);
      assert.equal(r.instance, undefined, `item ${i}`);
      tcError(expectError[i])(r.error);
    } else {
      assert.equal(r.ok, true, `item ${i}: ${r.error?.code} ${r.error?.message}`);
      assert.equal(r.error, undefined);
      assert.equal(r.instance.InstanceId, input.InstanceId);
      assert.equal(r.instance.LatestOperationState, 'SUCCESS');
      assert.equal(r.instance.LatestOperationRequestId, r.RequestId);
    }
  });
  const effective = effectiveResets(api.log);
  assert.deepEqual(effective.map((e) => e.params.InstanceId).sort(), [RUNNING, RUNNING2].sort());
  assert.deepEqual(effective.map((e) => e.requestId).sort(), [results[0].RequestId, results[6].RequestId].sort());
  // Only requests that passed the local checks were sent.
  assert.equal(entries(api.log, 'ResetInstance').length, 5);
  assert.equal(api.getInstance(OPERATING).LatestOperationRequestId, OPERATING_RID);
});

it('resetInstances with wait:false returns RequestIds without instances and never polls', async (t) => {
  const { api, client } = await setup(t, { instances: makeFleet(6, { prefix: 'nowait' }) });
  const ids = makeFleet(6, { prefix: 'nowait' }).map((i) => i.InstanceId);
  const results = await client.resetInstances(
    ids.map((InstanceId) => ({ InstanceId })),
    { wait: false },
  );
  assert.equal(results.length, 6);
  const effective = effectiveResets(api.log);
  results.forEach((r, i) => {
    assert.equal(r.InstanceId, ids[i]);
    assert.equal(r.ok, true);
    assert.equal(r.instance, undefined);
    assert.equal(r.error, undefined);
    assert.equal(r.RequestId, effective.find((e) => e.params.InstanceId === ids[i]).requestId);
  });
  assert.equal(entries(api.log, 'DescribeInstances').length, 0);
  assert.equal(effective.length, 6);
});

it('resetInstances: progress events per poll, a throwing onProgress, a failed and a vanished item', async (t) => {
  const fleet = makeFleet(5, { prefix: 'mixed' });
  const ids = fleet.map((i) => i.InstanceId);
  const { api, client } = await setup(t, { instances: fleet });
  api.failNextReset(ids[1]);
  api.injectFault({ kind: 'hideInstance', instanceId: ids[2], times: 50 });
  const events = [];
  const results = await client.resetInstances(
    ids.map((InstanceId) => ({ InstanceId })),
    {
      ...FAST,
      onProgress: (e) => {
        events.push(e);
        throw new Error('buggy callback');
      },
    },
  );
  assert.deepEqual(
    results.map((r) => r.ok),
    [true, false, false, true, true],
  );
  tcError('WaiterError.OperationFailed', 'waiter')(results[1].error);
  assert.equal(results[1].error.instance.LatestOperationState, 'FAILED');
  assert.equal(results[1].RequestId, effectiveResets(api.log).find((e) => e.params.InstanceId === ids[1]).requestId);
  tcError('ResourceNotFound.InstanceNotFound', 'notFound')(results[2].error);
  for (const i of [0, 3, 4]) {
    assert.equal(results[i].instance.LatestOperationRequestId, results[i].RequestId);
    const mine = events.filter((e) => e.InstanceId === ids[i]);
    assert.ok(mine.length >= 1);
    assert.equal(mine.at(-1).LatestOperationState, 'SUCCESS');
    for (let k = 1; k < mine.length; k++) assert.ok(mine[k].attempt > mine[k - 1].attempt, 'attempt increases');
  }
  assert.equal(events.filter((e) => e.InstanceId === ids[2]).length, 0);
  for (const e of entries(api.log, 'DescribeInstances')) assert.ok(e.params.InstanceIds.length >= 1);
});

it('resetInstances: lost answers and reset connections still give exactly one reset per instance', async (t) => {
  const fleet = makeFleet(6, { prefix: 'lost' });
  const ids = fleet.map((i) => i.InstanceId);
  const { api, client } = await setup(t, { instances: fleet });
  api.injectFault({ action: 'ResetInstance', kind: 'answerLost', instanceId: ids[1] });
  api.injectFault({ action: 'ResetInstance', kind: 'connectionReset', instanceId: ids[3] });
  api.injectFault({ action: 'ResetInstance', kind: 'throttle', instanceId: ids[4] });
  const results = await client.resetInstances(
    ids.map((InstanceId) => ({ InstanceId })),
    FAST,
  );
  const effective = effectiveResets(api.log);
  assert.deepEqual(effective.map((e) => e.params.InstanceId).sort(), [...ids].sort(), 'one effective reset per instance');
  results.forEach((r, i) => {
    assert.equal(r.ok, true, `${ids[i]}: ${r.error?.code}`);
    assert.equal(r.RequestId, effective.find((e) => e.params.InstanceId === ids[i]).requestId);
    assert.equal(r.instance.LatestOperationRequestId, r.RequestId);
  });
  assert.equal(entries(api.log, 'ResetInstance').filter((e) => e.params.InstanceId === ids[1]).length, 1, 'a lost answer is not resent');
});

it('resetInstances: each item has its own maxWaitSeconds deadline (WaiterError.Timeout with its RequestId)', async (t) => {
  const fleet = makeFleet(3, { prefix: 'slowfleet' });
  const { api, client } = await setup(t, { instances: fleet, operatingPolls: 1_000_000 });
  const results = await client.resetInstances(
    fleet.map((i) => ({ InstanceId: i.InstanceId })),
    { minDelaySeconds: 0.05, maxDelaySeconds: 0.1, maxWaitSeconds: 0.5 },
  );
  const effective = effectiveResets(api.log);
  results.forEach((r) => {
    assert.equal(r.ok, false);
    tcError('WaiterError.Timeout', 'waiter')(r.error);
    assert.equal(r.RequestId, effective.find((e) => e.params.InstanceId === r.InstanceId).requestId);
    assert.equal(r.error.instance?.LatestOperationState, 'OPERATING');
  });
});

it('abort mid-fleet settles every item with ClientError.Aborted, promptly, and sends nothing more', async (t) => {
  // Two moments: the poller still idle (nothing was accepted when it last looked, 2 s between looks),
  // and the poller busy with accepted items (short delays).
  const cases = {
    'poller not started yet': { minDelaySeconds: 2, maxDelaySeconds: 2 },
    'poller running': { minDelaySeconds: 0.05, maxDelaySeconds: 0.3 },
  };
  for (const [name, delays] of Object.entries(cases)) {
    await t.test(name, async (t) => {
      const fleet = makeFleet(30, { prefix: 'abort' });
      const { api, client } = await setup(t, { instances: fleet, operatingPolls: 1_000_000 });
      const ac = new AbortController();
      const p = client.resetInstances(
        fleet.map((i) => ({ InstanceId: i.InstanceId })),
        { ...delays, signal: ac.signal },
      );
      await until(() => effectiveResets(api.log).length >= 5, 5000, 'five resets');
      const abortedAt = Date.now();
      ac.abort();
      const results = await p;
      const late = Date.now() - abortedAt;
      assert.ok(late < 1000, `settled ${late} ms after the abort`);
      assert.equal(results.length, 30);
      const unsettled = results.filter((r) => r.error === undefined).map((r) => r.InstanceId);
      assert.deepEqual(unsettled, [], 'every item carries its error (items accepted before the abort included)');
      for (const r of results) {
        assert.equal(r.ok, false);
        tcError('ClientError.Aborted', 'aborted')(r.error);
      }
      const effective = effectiveResets(api.log);
      assert.ok(effective.length < 30, 'aborted before the end');
      // Items whose reset was accepted report its RequestId (one may have been in flight at the abort).
      const withId = results.filter((r) => r.RequestId !== undefined);
      assert.ok(withId.length >= effective.length - 1, `${withId.length} RequestIds for ${effective.length} resets`);
      for (const r of withId) assert.equal(r.RequestId, effective.find((e) => e.params.InstanceId === r.InstanceId)?.requestId);
      const sent = api.log.length;
      await sleep(400);
      assert.equal(api.log.length, sent, 'no request after the fleet settled');
    });
  }
});

it('100 instances reset and waited for: zero throttles, one reset each, few DescribeInstances', async (t) => {
  const fleet = makeFleet(100, { prefix: 'big' });
  const { api, client } = await setup(t, { instances: fleet, operatingPolls: 2, rateLimit: 10 });
  const started = Date.now();
  const results = await client.resetInstances(
    fleet.map((i) => ({ InstanceId: i.InstanceId })),
    { minDelaySeconds: 0.5, maxDelaySeconds: 1.5 },
  );
  const seconds = (Date.now() - started) / 1000;
  const counts = byAction(api.log);
  t.diagnostic(`fleet of 100: ${seconds.toFixed(1)} s, requests ${JSON.stringify(counts)}, throttles ${api.stats().throttled}`);
  assert.equal(results.length, 100);
  results.forEach((r, i) => {
    assert.equal(r.InstanceId, fleet[i].InstanceId);
    assert.equal(r.ok, true, `${r.InstanceId}: ${r.error?.code}`);
    assert.equal(r.instance.LatestOperationState, 'SUCCESS');
    assert.equal(r.instance.LatestOperationRequestId, r.RequestId);
  });
  assert.equal(throttled(api.log).length, 0);
  assert.equal(api.stats().throttled, 0);
  assert.equal(counts.ResetInstance, 100);
  assert.equal(effectiveResets(api.log).length, 100);
  assert.ok(counts.DescribeInstances < 40, `${counts.DescribeInstances} DescribeInstances`);
  for (const e of entries(api.log, 'DescribeInstances')) assert.ok(e.params.InstanceIds.length <= 100);
});

// ---------------------------------------------------------------------------------------------------
// The module functions: a one-off client from a config that carries the options too

it('resetInstanceAndWait(input, config): waitForIdle, progress and the waiter options from the config; one reset', async (t) => {
  const { api, config } = await setup(t);
  const events = [];
  const regions = [];
  const recording = (url, init) => {
    regions.push(init.headers['X-TC-Region']);
    return fetch(url, init);
  };
  const inst = await resetInstanceAndWait(
    { InstanceId: OPERATING },
    {
      ...config,
      region: 'ap-guangzhou',
      fetch: recording,
      ...FAST,
      maxWaitSeconds: 30,
      waitForIdle: true,
      onProgress: (e) => events.push(e),
    },
  );
  const resets = entries(api.log, 'ResetInstance');
  assert.equal(resets.length, 1, 'sent once, when the instance was idle');
  assert.equal(resets[0].errorCode, null);
  assert.equal(inst.InstanceId, OPERATING);
  assert.equal(inst.LatestOperation, 'ResetInstance');
  assert.equal(inst.LatestOperationState, 'SUCCESS');
  assert.equal(inst.LatestOperationRequestId, resets[0].requestId);
  assert.notEqual(inst.LatestOperationRequestId, OPERATING_RID);
  assert.ok(
    events.some((e) => e.instance.LatestOperationRequestId === OPERATING_RID),
    'progress while waiting for idle',
  );
  assert.ok(events.at(-1).instance.LatestOperationRequestId === resets[0].requestId && events.at(-1).LatestOperationState === 'SUCCESS');
  assert.equal(regions.length, api.log.length, "every request went through the config's fetch");
  assert.ok(
    regions.every((r) => r === 'ap-guangzhou'),
    "with the config's region",
  );

  // Without waitForIdle: busy, not reset.
  api.reset();
  const busy = await caught(resetInstanceAndWait({ InstanceId: OPERATING }, { ...config, ...FAST }));
  tcError('UnsupportedOperation.LatestOperationUnfinished', 'busy', { action: 'ResetInstance', retryable: true })(busy);
  assert.equal(effectiveResets(api.log).length, 0);
});

it('resetInstanceAndWait(input, config): bad input, config or options are refused before any request', async (t) => {
  const { api, config } = await setup(t);
  const refused = [
    [{ InstanceId: 'lhins-BAD' }, { ...config }, 'InvalidParameterValue.InstanceIdMalformed', /InstanceId/],
    [{}, { ...config }, 'MissingParameter', /InstanceId/],
    [
      { InstanceId: RUNNING },
      { ...config, waitForIdel: true },
      'ClientError.InvalidArgument',
      /^`config\.waitForIdel` is not a known option \(did you mean `waitForIdle`\?\)\.$/,
    ],
    [{ InstanceId: RUNNING }, { ...config, concurrency: 2 }, 'ClientError.InvalidArgument', /`config\.concurrency` is not a known option/],
    [{ InstanceId: RUNNING }, { ...config, endpoint: 'ftp://x' }, 'ClientError.InvalidArgument', /config\.endpoint/],
    [{ InstanceId: RUNNING }, { ...config, minDelaySeconds: -1 }, 'ClientError.InvalidArgument', /minDelaySeconds/],
    [{ InstanceId: RUNNING }, { ...config, waitForIdle: 'yes' }, 'ClientError.InvalidArgument', /config\.waitForIdle/],
    [{ InstanceId: RUNNING }, 'x', 'ClientError.InvalidArgument', /`config`/],
  ];
  for (const [input, cfg, code, message] of refused) {
    const e = await caught(resetInstanceAndWait(input, cfg));
    tcError(code, 'invalidInput', { action: 'ResetInstance', message })(e);
  }
  assert.equal(api.log.length, 0, 'nothing was sent');
});

it('resetInstances(inputs, config): results in input order, bad items settle alone, concurrency and wait from the config', async (t) => {
  const fleet = makeFleet(4, { prefix: 'modfleet' });
  const ids = fleet.map((i) => i.InstanceId);
  const { api, config } = await setup(t, { instances: fleet });
  const events = [];
  const inputs = [{ InstanceId: ids[0] }, { InstanceId: 'lhins-BAD' }, ...ids.slice(1).map((InstanceId) => ({ InstanceId }))];
  const results = await resetInstances(inputs, { ...config, ...FAST, concurrency: 2, onProgress: (e) => events.push(e) });
  assert.deepEqual(
    results.map((r) => r.InstanceId),
    inputs.map((i) => i.InstanceId),
  );
  assert.equal(results[1].ok, false);
  tcError('InvalidParameterValue.InstanceIdMalformed', 'invalidInput')(results[1].error);
  const effective = effectiveResets(api.log);
  assert.equal(effective.length, 4);
  for (const r of results.filter((x) => x.InstanceId !== 'lhins-BAD')) {
    assert.equal(r.ok, true, `${r.InstanceId}: ${r.error?.code}`);
    assert.equal(r.instance.LatestOperationState, 'SUCCESS');
    assert.equal(r.instance.LatestOperationRequestId, r.RequestId);
    assert.equal(r.RequestId, effective.find((e) => e.params.InstanceId === r.InstanceId).requestId);
  }
  assert.ok(events.length >= 4 && events.every((e) => ids.includes(e.InstanceId)));

  api.reset({ instances: makeFleet(3, { prefix: 'modnowait' }) });
  const noWait = makeFleet(3, { prefix: 'modnowait' }).map((i) => ({ InstanceId: i.InstanceId }));
  const started = await resetInstances(noWait, { ...config, wait: false });
  assert.ok(started.every((r) => r.ok && r.RequestId && r.instance === undefined));
  assert.equal(entries(api.log, 'DescribeInstances').length, 0, 'wait: false never polls');
  assert.equal(effectiveResets(api.log).length, 3);
});

it('resetInstances(inputs, config): a bad config or inputs rejects the whole call before any request', async (t) => {
  const { api, config } = await setup(t);
  const input = { InstanceId: RUNNING };
  const refused = [
    [[input], { ...config, concurency: 2 }, /^`config\.concurency` is not a known option \(did you mean `concurrency`\?\)\.$/],
    [[input], { ...config, concurrency: 0 }, /`config\.concurrency` must be an integer from 1 to 1000/],
    [[input], { ...config, wait: 'no' }, /config\.wait/],
    [[input], { ...config, waitForIdle: true }, /`config\.waitForIdle` is not a known option/],
    [[input], { ...config, journal: {} }, /`config\.journal` must be a journal: an object with load\(\) and append\(entry\)\./],
    [[input], { ...config, region: 'ap guangzhou' }, /config\.region/],
    ['lhins-ruy9d2tw', config, /`inputs` must be an array/],
  ];
  for (const [inputs, cfg, message] of refused) {
    await assert.rejects(() => resetInstances(inputs, cfg), tcError('ClientError.InvalidArgument', 'invalidInput', { message }), String(message));
  }
  assert.equal(api.log.length, 0, 'nothing was sent');
});

it('the module functions are the same through require, and on the package object', async () => {
  const required = createRequire(import.meta.url)('tc3-lighthouse');
  const all = await import('tc3-lighthouse');
  for (const name of ['resetInstanceAndWait', 'resetInstances']) {
    assert.equal(typeof required[name], 'function', name);
    assert.equal(required[name], all[name], name);
    assert.equal(all.default[name], all[name], name);
  }
  assert.equal(resetInstanceAndWait, required.resetInstanceAndWait);
  assert.equal(resetInstances, required.resetInstances);
});

// ---------------------------------------------------------------------------------------------------
// The client-side rate limiter

it('the limiter spaces 30 DescribeInstances to 10/s (zero throttles); setRateLimit(false) and rateLimit:false let them go at once', async (t) => {
  const { api, client, config } = await setup(t, { rateLimit: 10 });
  t.after(() => setRateLimit(10));
  const fire = (c) => Promise.allSettled(Array.from({ length: 30 }, () => c.describeInstances({ InstanceIds: [RUNNING] })));

  let started = Date.now();
  let settled = await fire(client);
  const limited = (Date.now() - started) / 1000;
  t.diagnostic(`limiter on: 30 calls in ${limited.toFixed(2)} s`);
  assert.ok(limited >= 2.7, `took ${limited} s`);
  assert.ok(limited < 10, `took ${limited} s`);
  assert.ok(settled.every((s) => s.status === 'fulfilled'));
  assert.equal(api.stats().throttled, 0);
  assert.equal(entries(api.log, 'DescribeInstances').length, 30);

  const arrivalSpread = (log) => log[29].time - log[0].time;
  setRateLimit(false);
  api.reset();
  started = Date.now();
  settled = await fire(client);
  t.diagnostic(`setRateLimit(false): first 30 arrivals within ${arrivalSpread(api.log)} ms, ${api.stats().throttled} throttled by the server`);
  assert.ok(arrivalSpread(api.log) < 1000);
  assert.ok(api.stats().throttled > 0, 'the server (10/s) throttled the burst');

  setRateLimit(10);
  api.reset();
  const bypass = new LighthouseClient({ ...config, rateLimit: false });
  await fire(bypass);
  assert.ok(arrivalSpread(api.log) < 1000, 'rateLimit:false in the config bypasses the limiter');
  assert.ok(api.stats().throttled > 0);

  // Restored: 12 calls need >= 1.1 s again.
  await sleep(1100); // let the server's bucket refill
  api.reset();
  started = Date.now();
  settled = await Promise.allSettled(Array.from({ length: 12 }, () => client.describeInstances({ InstanceIds: [RUNNING] })));
  assert.ok((Date.now() - started) / 1000 >= 1.0);
  assert.equal(api.stats().throttled, 0);

  for (const bad of [-1, Number.NaN, 'fast', Infinity]) {
    assert.throws(() => setRateLimit(bad), tcError('ClientError.InvalidArgument'), String(bad));
  }
});
