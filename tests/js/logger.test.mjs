// config.logger: one entry per attempt, retry, throttle wait, clock-skew correction and reconciliation, with
// names, codes and numbers only (never a secret, a token, a signature or a body); `console` works; a logger
// that throws or lacks a method never fails a call.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEMO_CREDENTIALS, startLighthouseApi } from '../../local-api/server.mjs';
import { LighthouseClient, TencentCloudError } from '../../pkg/node/index.mjs';

const TOKEN = 'tok-must-not-leak-0123456789';
const ID = 'lhins-ruy9d2tw';

async function setup(t, apiOptions = {}, config = {}) {
  const api = await startLighthouseApi({ operatingPolls: 1, credentials: [{ ...DEMO_CREDENTIALS, token: TOKEN }], ...apiOptions });
  t.after(() => api.close());
  const entries = [];
  const logger = {};
  for (const level of ['debug', 'info', 'warn', 'error']) logger[level] = (message, data) => entries.push({ level, message, ...data });
  const client = new LighthouseClient({ credentials: { ...DEMO_CREDENTIALS, token: TOKEN }, endpoint: api.url, region: 'ap-guangzhou', logger, ...config });
  return { api, client, entries };
}

function noSecrets(entries) {
  const text = JSON.stringify(entries);
  for (const secret of [DEMO_CREDENTIALS.secretKey, TOKEN, 'TC3-HMAC-SHA256', 'Signature=', '"InstanceId"']) {
    assert.ok(!text.includes(secret), `a log entry holds ${secret}: ${text}`);
  }
}

test('one entry per attempt: action, region, attempt, status, RequestId, milliseconds', async (t) => {
  const { client, entries } = await setup(t);
  const r = await client.describeInstances({ InstanceIds: [ID] });
  const attempts = entries.filter((e) => e.event === 'attempt');
  assert.equal(attempts.length, 1);
  const [a] = attempts;
  assert.equal(a.message, 'tc3-lighthouse: attempt');
  assert.deepEqual(
    { level: a.level, action: a.action, region: a.region, attempt: a.attempt, status: a.status, requestId: a.requestId },
    { level: 'debug', action: 'DescribeInstances', region: 'ap-guangzhou', attempt: 1, status: 200, requestId: r.RequestId },
  );
  assert.ok(Number.isInteger(a.ms) && a.ms >= 0);
  noSecrets(entries);
});

test('a retried failure: the failed attempt with its code, the retry with its backoff, then the attempt that worked', async (t) => {
  const { api, client, entries } = await setup(t);
  api.injectFault({ kind: 'serviceError', action: 'DescribeInstances', code: 'InternalError' });
  await client.describeInstances();
  const events = entries.map((e) => [e.event, e.attempt, e.code ?? null]);
  assert.deepEqual(
    events.filter(([e]) => e !== 'rateLimitWait'),
    [
      ['attempt', 1, 'InternalError'],
      ['retry', 1, 'InternalError'],
      ['attempt', 2, null],
    ],
  );
  const retry = entries.find((e) => e.event === 'retry');
  assert.ok(retry.ms > 0, 'the backoff');
  noSecrets(entries);
});

test('a clock-skew correction says by how much', async (t) => {
  const { client, entries } = await setup(t, { clockOffsetMs: 3_600_000 });
  await client.describeInstances();
  const skew = entries.find((e) => e.event === 'clockSkew');
  assert.ok(skew, JSON.stringify(entries));
  assert.equal(skew.level, 'warn');
  assert.ok(Math.abs(skew.ms - 3_600_000) < 5_000, `the offset: ${skew.ms}`);
  noSecrets(entries);
});

test('a lost reset answer: the reconciliation and what it found', async (t) => {
  const { api, client, entries } = await setup(t);
  api.injectFault({ kind: 'answerLost', action: 'ResetInstance', instanceId: ID });
  const r = await client.resetInstance({ InstanceId: ID });
  const events = entries.filter((e) => e.event !== 'rateLimitWait').map((e) => e.event);
  assert.deepEqual(events.slice(0, 2), ['attempt', 'reconcileStarted']);
  const found = entries.find((e) => e.event === 'reconciledHappened');
  assert.ok(found, events.join());
  assert.equal(found.requestId, r.RequestId);
  noSecrets(entries);
});

test('a logger that throws, lacks methods or is console never fails a call; a logger that is no object is refused', async (t) => {
  const api = await startLighthouseApi();
  t.after(() => api.close());
  const base = { credentials: DEMO_CREDENTIALS, endpoint: api.url };
  const throwing = {
    debug() {
      throw new Error('logger down');
    },
  };
  for (const logger of [throwing, {}, { info() {} }]) {
    const r = await new LighthouseClient({ ...base, logger }).describeInstances();
    assert.equal(typeof r.RequestId, 'string');
  }
  for (const logger of ['console', 42, true]) {
    assert.throws(
      () => new LighthouseClient({ ...base, logger }),
      (e) => TencentCloudError.isInstance(e) && e.code === 'ClientError.InvalidArgument' && e.message.includes('`config.logger`'),
    );
  }
  // `console` itself: quiet here (debug only), but it must be accepted as it is.
  const saved = console.debug;
  const seen = [];
  console.debug = (...args) => seen.push(args);
  try {
    await new LighthouseClient({ ...base, logger: console }).describeInstances();
  } finally {
    console.debug = saved;
  }
  const attempts = seen.filter(([, data]) => data.event === 'attempt');
  assert.equal(attempts.length, 1);
  assert.equal(attempts[0][1].action, 'DescribeInstances');
});
