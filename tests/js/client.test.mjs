// Issue #3, "Call the API", in Node: LighthouseClient and resetInstance against the local Lighthouse API
// (which verifies TC3 signatures itself), every service error, every client code, retries, abort, timeout,
// clock skew, credentials providers and the TENCENTCLOUD_* environment, and that no secret ever leaks.
import test, { describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import util from 'node:util';
import net from 'node:net';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { LighthouseClient, createSigningProxy, resetInstance, signRequest, toNodeListener, TencentCloudError } from 'tc3-lighthouse';
import { startLighthouseApi } from '../../local-api/server.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// Every secret below contains DO-NOT-LEAK, so a leak of any of them, even partial, is caught.
const KEY = { secretId: 'AKIDClientTestStatic000000000000000001', secretKey: 'ClientTest-static-key-DO-NOT-LEAK-0001' };
const TEMP = {
  secretId: 'AKIDClientTestTemporary0000000000000002',
  secretKey: 'ClientTest-temp-key-DO-NOT-LEAK-0002',
  token: 'ClientTest-temp-token-DO-NOT-LEAK-0003',
};
const WRONG_KEY = 'ClientTest-wrong-key-DO-NOT-LEAK-0004';
const WRONG_TOKEN = 'ClientTest-wrong-token-DO-NOT-LEAK-0005';
const SECRETS = [KEY.secretKey, TEMP.secretKey, TEMP.token, WRONG_KEY, WRONG_TOKEN, 'DO-NOT-LEAK'];

const LINUX = 'lhins-ruy9d2tw'; // RUNNING CentOS 7.9 in the demo seed
const UBUNTU = 'lhbp-5e8807lo';

// ---------------------------------------------------------------------------------------------------------
// Helpers

/** Everything a user or a logger may print of `v`. */
function renderings(v) {
  const out = [];
  const add = (f) => {
    try {
      out.push(String(f()));
    } catch (e) {
      out.push(`<threw ${e?.name}>`);
    }
  };
  add(() => String(v));
  add(() => JSON.stringify(v));
  add(() => util.inspect(v, { depth: 5 }));
  add(() => util.inspect(v, { depth: 5, showHidden: true }));
  if (v !== null && (typeof v === 'object' || typeof v === 'function')) {
    add(() => v.message);
    add(() => v.stack);
    for (const k of Object.getOwnPropertyNames(v)) add(() => JSON.stringify(v[k]) ?? String(v[k]));
  }
  return out;
}

function assertNoLeak(v, label = 'value') {
  const texts = renderings(v);
  if (v !== null && typeof v === 'object' && v.cause !== undefined) texts.push(...renderings(v.cause));
  for (const t of texts) {
    for (const s of SECRETS) {
      if (t.includes(s)) assert.fail(`a secret leaked in a rendering of ${label}: ...${t.slice(Math.max(0, t.indexOf(s) - 80), t.indexOf(s))}<secret>`);
    }
  }
}

/** The checks every failure must pass: the class, the brand, the shape, no secrets. */
function checkError(e, label) {
  assert.ok(e instanceof TencentCloudError, `${label}: not a TencentCloudError: ${util.inspect(e)}`);
  assert.ok(e instanceof Error, `${label}: not an Error`);
  assert.equal(TencentCloudError.isInstance(e), true, `${label}: isInstance`);
  assert.equal(e.name, 'TencentCloudError');
  assert.equal(typeof e.code, 'string');
  assert.ok(e.code.length > 0);
  assert.equal(typeof e.message, 'string');
  assert.ok(e.message.length > 0, `${label}: empty message`);
  assert.equal(typeof e.kind, 'string');
  assert.equal(typeof e.retryable, 'boolean');
  assertNoLeak(e, label);
  return e;
}

/** Calls `fn`, which must return a promise (never throw), and returns the TencentCloudError it rejects with. */
async function rejection(fn, label = 'call') {
  let p;
  try {
    p = fn();
  } catch (e) {
    assert.fail(`${label}: threw synchronously instead of returning a rejected promise: ${e?.code} ${e?.message}`);
  }
  assert.equal(typeof p?.then, 'function', `${label}: did not return a promise`);
  let value;
  try {
    value = await p;
  } catch (e) {
    return checkError(e, label);
  }
  assert.fail(`${label}: resolved instead of rejecting: ${JSON.stringify(value)}`);
}

/** The TencentCloudError `fn` throws synchronously (constructors). */
function thrown(fn, label = 'call') {
  try {
    fn();
  } catch (e) {
    return checkError(e, label);
  }
  assert.fail(`${label}: did not throw`);
}

function expectFields(e, want) {
  for (const [k, v] of Object.entries(want)) {
    if (v instanceof RegExp) assert.match(String(e[k]), v, `${k} of ${e.code}`);
    else assert.equal(e[k], v, `${k} of ${e.code}: ${e.message}`);
  }
}

async function freshApi(t, options = {}) {
  const api = await startLighthouseApi({ credentials: [KEY, TEMP], rateLimit: 0, ...options });
  t.after(() => api.close());
  return api;
}

// The local API is as strict as the service: DescribeInstances and the waiters need X-TC-Region, and messages are
// Chinese unless English is asked for (the regexes below are English).
const client = (api, extra = {}) =>
  new LighthouseClient({ credentials: KEY, endpoint: api.url, region: 'ap-guangzhou', language: 'en-US', rateLimit: false, ...extra });
const entries = (api, action) => api.log.filter((e) => !action || e.action === action);
/** Resets that took effect: action ResetInstance and no errorCode (local-api README). */
const effectiveResets = (api) => api.log.filter((e) => e.action === 'ResetInstance' && !e.errorCode);

async function closedPort() {
  const s = net.createServer();
  await new Promise((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address();
  await new Promise((resolve) => s.close(resolve));
  return port;
}

/** A fetch that records each call, then delegates to `inner` (default: the global fetch). */
function recordingFetch(inner = (url, init) => fetch(url, init)) {
  const calls = [];
  const f = (url, init) => {
    calls.push({ url, init, headers: { ...init?.headers }, body: init?.body });
    return inner(url, init);
  };
  return { fetch: f, calls };
}

/** Every ResetInstance resent after an unanswered one (not throttled, not a skew) was preceded by a DescribeInstances. */
function assertNoBlindResend(api) {
  const log = api.log;
  let last = -1;
  for (let i = 0; i < log.length; i++) {
    if (log[i].action !== 'ResetInstance') continue;
    const prev = log[last];
    const refused = prev && /^(RequestLimitExceeded|AuthFailure\.SignatureExpire)/.test(prev.errorCode ?? '');
    if (prev && !refused) {
      assert.ok(
        log.slice(last + 1, i).some((e) => e.action === 'DescribeInstances'),
        `ResetInstance resent without reconciling: ${JSON.stringify(log.map((e) => [e.action, e.errorCode]))}`,
      );
    }
    last = i;
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------------------
// Success

describe('success', () => {
  let api;
  before(async () => {
    api = await startLighthouseApi({ credentials: [KEY, TEMP], rateLimit: 0 });
  });
  after(() => api.close());
  beforeEach(() => api.reset());

  test('resetInstance (the function): RequestId, exactly one ResetInstance with it in the log', async () => {
    const out = await resetInstance(
      { InstanceId: LINUX, BlueprintId: UBUNTU },
      { credentials: KEY, endpoint: api.url, region: 'ap-guangzhou', rateLimit: false },
    );
    assert.equal(typeof out.RequestId, 'string');
    assert.match(out.RequestId, /^[0-9a-f-]{36}$/);
    const resets = entries(api, 'ResetInstance');
    assert.equal(resets.length, 1);
    assert.equal(resets[0].requestId, out.RequestId);
    assert.equal(resets[0].ok, true);
    assert.equal(resets[0].errorCode, null);
    assert.equal(resets[0].secretId, KEY.secretId);
    assert.deepEqual(resets[0].params, { InstanceId: LINUX, BlueprintId: UBUNTU });
    assert.equal(api.getInstance(LINUX).LatestOperationRequestId, out.RequestId);
    assert.equal(api.log.length, 1);
  });

  test('client.resetInstance: RequestId, exactly one ResetInstance with it; the body is sent as given', async () => {
    const c = client(api, { region: 'ap-guangzhou' });
    const input = { InstanceId: LINUX, BlueprintId: UBUNTU, LoginConfiguration: { KeyIds: ['lhkp-a1b2c3d4'] } };
    const out = await c.resetInstance(input);
    assert.equal(typeof out.RequestId, 'string');
    const resets = entries(api, 'ResetInstance');
    assert.equal(resets.length, 1);
    assert.equal(resets[0].requestId, out.RequestId);
    assert.deepEqual(resets[0].params, input);
    assert.deepEqual(
      effectiveResets(api).map((e) => e.requestId),
      [out.RequestId],
    );
  });

  test('client.resetInstance with options {} and a live signal', async () => {
    const c = client(api);
    const out = await c.resetInstance({ InstanceId: 'lhins-abcd1234' }, { signal: new AbortController().signal, timeoutMs: 5000 });
    assert.equal(effectiveResets(api).length, 1);
    assert.equal(effectiveResets(api)[0].requestId, out.RequestId);
  });

  test('describeInstances: no input, InstanceIds, Filters, Limit/Offset', async () => {
    const c = client(api);
    // The region's instances only (ap-guangzhou: 3 of the demo's 13).
    const all = await c.describeInstances();
    assert.equal(all.TotalCount, 3);
    assert.equal(all.InstanceSet.length, 3);
    assert.equal(typeof all.RequestId, 'string');

    const byId = await c.describeInstances({ InstanceIds: [LINUX, 'lhins-abcd1234'] });
    assert.equal(byId.TotalCount, 2);
    assert.deepEqual(byId.InstanceSet.map((i) => i.InstanceId).sort(), ['lhins-abcd1234', LINUX]);
    assert.equal(byId.InstanceSet.find((i) => i.InstanceId === LINUX).InstanceName, 'web-prod-gz-01');

    const byName = await c.describeInstances({ Filters: [{ Name: 'instance-name', Values: ['web-prod'] }] });
    assert.equal(byName.TotalCount, 1);
    assert.equal(byName.InstanceSet[0].InstanceId, LINUX);

    const page = await c.describeInstances({ Limit: 3, Offset: 2 });
    assert.equal(page.TotalCount, 3);
    assert.equal(page.InstanceSet.length, 1);
    assert.equal(page.InstanceSet[0].InstanceId, all.InstanceSet[2].InstanceId);

    const log = entries(api, 'DescribeInstances');
    assert.equal(log.length, 4);
    assert.deepEqual(
      log.map((e) => e.params),
      [{}, { InstanceIds: [LINUX, 'lhins-abcd1234'] }, { Filters: [{ Name: 'instance-name', Values: ['web-prod'] }] }, { Limit: 3, Offset: 2 }],
    );
    assert.ok(log.every((e) => e.ok));
  });

  test('describeBlueprints: no input, BlueprintIds, Filters', async () => {
    const c = client(api);
    const all = await c.describeBlueprints();
    assert.equal(all.TotalCount, 7);
    assert.equal(all.BlueprintSet.length, 7);
    assert.equal(typeof all.RequestId, 'string');
    const one = await c.describeBlueprints({ BlueprintIds: ['lhbp-deb12x64'] });
    assert.equal(one.TotalCount, 1);
    assert.equal(one.BlueprintSet[0].BlueprintId, 'lhbp-deb12x64');
    const win = await c.describeBlueprints({ Filters: [{ Name: 'platform-type', Values: ['WINDOWS'] }], Limit: 10 });
    assert.deepEqual(
      win.BlueprintSet.map((b) => b.BlueprintId),
      ['lhbp-win2022d'],
    );
    assert.equal(entries(api, 'DescribeBlueprints').length, 3);
  });

  test("request('DescribeInstances', ...) and request('DescribeBlueprints')", async () => {
    const c = client(api);
    const out = await c.request('DescribeInstances', { InstanceIds: [LINUX] });
    assert.equal(out.TotalCount, 1);
    assert.equal(out.InstanceSet[0].InstanceId, LINUX);
    assert.equal(typeof out.RequestId, 'string');
    const bps = await c.request('DescribeBlueprints');
    assert.equal(bps.TotalCount, 7);
    assert.deepEqual(
      api.log.map((e) => [e.action, e.ok]),
      [
        ['DescribeInstances', true],
        ['DescribeBlueprints', true],
      ],
    );
    assert.equal(api.log[0].requestId, out.RequestId);
  });

  test('request of another real action (StartInstances) works', async () => {
    const c = client(api, { region: 'ap-shanghai' }); // the STOPPED instance's region
    const out = await c.request('StartInstances', { InstanceIds: ['lhins-q8d2k7mz'] });
    assert.equal(typeof out.RequestId, 'string');
    assert.equal(entries(api, 'StartInstances').length, 1);
    assert.equal(api.getInstance('lhins-q8d2k7mz').LatestOperationRequestId, out.RequestId);
  });

  test('request of an unknown action -> InvalidAction, sent once', async () => {
    const c = client(api);
    const e = await rejection(() => c.request('NoSuchThing', { A: 1 }), 'request NoSuchThing');
    expectFields(e, { code: 'InvalidAction', kind: 'invalidInput', retryable: false, httpStatus: 200, action: 'NoSuchThing' });
    assert.match(e.message, /NoSuchThing/);
    assert.equal(api.log.length, 1);
    assert.equal(e.requestId, api.log[0].requestId);
    assert.equal(typeof e.requestId, 'string');
  });
});

// ---------------------------------------------------------------------------------------------------------
// Signing: Host with the port, service "lighthouse" whatever the endpoint host

describe('signing on the wire', () => {
  test('the signed Host is 127.0.0.1:PORT, service lighthouse; headers as documented', async (t) => {
    const api = await freshApi(t);
    const rec = recordingFetch();
    const c = client(api, { fetch: rec.fetch, region: 'ap-guangzhou', language: 'en-US' });
    await c.describeInstances({ Limit: 1 });
    assert.equal(rec.calls.length, 1);
    const { url, headers: h, body, init } = rec.calls[0];
    assert.equal(url.replace(/\/$/, ''), api.url);
    assert.equal(init.method, 'POST');
    assert.equal(body, '{"Limit":1}');
    assert.equal(h['X-TC-Action'], 'DescribeInstances');
    assert.equal(h['X-TC-Version'], '2020-03-24');
    assert.equal(h['X-TC-Region'], 'ap-guangzhou');
    assert.equal(h['X-TC-Language'], 'en-US');
    assert.equal(h['X-TC-Token'], undefined);
    assert.match(h['Content-Type'], /^application\/json/);
    assert.match(h['X-TC-Timestamp'], /^\d+$/);
    assert.match(
      h.Authorization,
      new RegExp(
        `^TC3-HMAC-SHA256 Credential=${KEY.secretId}/\\d{4}-\\d{2}-\\d{2}/lighthouse/tc3_request, SignedHeaders=content-type;host, Signature=[0-9a-f]{64}$`,
      ),
    );
    // The exact signature of Host "127.0.0.1:PORT" over the exact body.
    const expected = signRequest({
      ...KEY,
      host: `127.0.0.1:${api.port}`,
      action: 'DescribeInstances',
      region: 'ap-guangzhou',
      language: 'en-US',
      timestamp: Number(h['X-TC-Timestamp']),
      contentType: h['Content-Type'],
      payload: body,
    });
    assert.equal(h.Authorization, expected.authorization);
    assert.equal(api.log[0].ok, true);
  });

  test('endpoint http://localhost:PORT/ still signs service "lighthouse" (and Host localhost:PORT)', async (t) => {
    const api = await freshApi(t);
    const rec = recordingFetch();
    const c = client(api, { endpoint: `http://localhost:${api.port}/`, fetch: rec.fetch });
    const out = await c.describeBlueprints({ Limit: 1 });
    assert.equal(out.BlueprintSet.length, 1);
    const h = rec.calls[0].headers;
    assert.match(h.Authorization, /\/lighthouse\/tc3_request,/);
    const expected = signRequest({
      ...KEY,
      host: `localhost:${api.port}`,
      action: 'DescribeBlueprints',
      timestamp: Number(h['X-TC-Timestamp']),
      contentType: h['Content-Type'],
      payload: rec.calls[0].body,
    });
    assert.equal(h.Authorization, expected.authorization);
  });

  test('config.service is what is signed: "cvm" is refused by the lighthouse API', async (t) => {
    const api = await freshApi(t);
    const e = await rejection(() => client(api, { service: 'cvm' }).describeInstances(), 'service cvm');
    expectFields(e, { code: 'AuthFailure.SignatureFailure', kind: 'auth', retryable: false, httpStatus: 200 });
    assert.equal(api.log.length, 1);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Service errors: code verbatim, message, requestId, httpStatus 200, action, kind, retryable; nothing resent

describe('service errors of ResetInstance', () => {
  let api;
  before(async () => {
    api = await startLighthouseApi({ credentials: [KEY, TEMP], rateLimit: 0 });
  });
  after(() => api.close());
  beforeEach(() => api.reset());

  const cases = [
    ['ResourceNotFound.InstanceIdNotFound', { InstanceId: 'lhins-zzzzzzzz' }, 'notFound', false, /lhins-zzzzzzzz/],
    ['ResourceNotFound.BlueprintIdNotFound', { InstanceId: LINUX, BlueprintId: 'lhbp-zzzzzzzz' }, 'notFound', false, /lhbp-zzzzzzzz/],
    ['ResourceUnavailable.BlueprintUnavailable', { InstanceId: LINUX, BlueprintId: 'lhbp-cent76ol' }, 'notFound', false, /not available/],
    ['InvalidParameterValue.NotAllowToChangePlatformType', { InstanceId: LINUX, BlueprintId: 'lhbp-win2022d' }, 'invalidInput', false, /OS type/],
    ['InvalidParameterValue.BlueprintConfigNotMatch', { InstanceId: LINUX, Containers: [{ ContainerImage: 'nginx:latest' }] }, 'invalidInput', false, /Docker/],
    [
      'InvalidParameterValue.InvalidParameterCombination',
      { InstanceId: LINUX, LoginConfiguration: { Password: 'Abcdef12!x', KeyIds: ['lhkp-a1b2c3d4'] } },
      'invalidInput',
      false,
      /together/,
    ],
    [
      'InvalidParameterValue.InvalidParameterCombination',
      { InstanceId: LINUX, LoginConfiguration: { AutoGeneratePassword: 'YES', Password: 'Abcdef12!x' } },
      'invalidInput',
      false,
      /AutoGeneratePassword/,
    ],
    [
      'InvalidParameterValue.InvalidParameterCombination',
      { InstanceId: 'lhins-w1n2k3sv', LoginConfiguration: { KeyIds: ['lhkp-a1b2c3d4'] } },
      'invalidInput',
      false,
      /Windows/,
    ],
    [
      'InvalidParameterValue.Duplicated',
      { InstanceId: LINUX, LoginConfiguration: { KeyIds: ['lhkp-a1b2c3d4', 'lhkp-a1b2c3d4'] } },
      'invalidInput',
      false,
      /duplicate/,
    ],
    ['ResourceNotFound.KeyPairNotFound', { InstanceId: LINUX, LoginConfiguration: { KeyIds: ['lhkp-zzzzzzzz'] } }, 'notFound', false, /lhkp-zzzzzzzz/],
    ['InvalidParameterValue.InvalidPassword', { InstanceId: LINUX, LoginConfiguration: { Password: 'short' } }, 'invalidInput', false, /password/i],
    ['UnknownParameter', { InstanceId: LINUX, Colour: 'blue' }, 'invalidInput', false, /Colour/],
    ['OperationDenied.InstanceCreating', { InstanceId: 'lhins-p3n9x1ca' }, 'busy', true, /being created/],
    ['UnsupportedOperation.LatestOperationUnfinished', { InstanceId: 'lhins-m5t7w2eb' }, 'busy', true, /not been completed/],
    ['UnsupportedOperation.InvalidInstanceState', { InstanceId: 'lhins-r3b00tq1' }, 'other', false, /REBOOTING/],
    ['UnsupportedOperation.InvalidInstanceState', { InstanceId: 'lhins-x9v0l2ks' }, 'other', false, /SHUTDOWN/],
  ];
  for (const [code, input, kind, retryable, message] of cases) {
    test(`${code} (${JSON.stringify(input).slice(0, 90)})`, async () => {
      const e = await rejection(() => client(api).resetInstance(input), code);
      expectFields(e, { code, kind, retryable, httpStatus: 200, action: 'ResetInstance' });
      assert.match(e.message, message);
      const log = entries(api);
      assert.equal(log.length, 1, 'sent exactly once');
      assert.equal(log[0].errorCode, code);
      assert.equal(typeof e.requestId, 'string');
      assert.equal(e.requestId, log[0].requestId);
      assert.equal(effectiveResets(api).length, 0);
    });
  }

  test('the resetInstance function rejects the same way', async () => {
    const e = await rejection(() => resetInstance({ InstanceId: 'lhins-zzzzzzzz' }, { credentials: KEY, endpoint: api.url, rateLimit: false }));
    expectFields(e, { code: 'ResourceNotFound.InstanceIdNotFound', kind: 'notFound', retryable: false, httpStatus: 200, action: 'ResetInstance' });
    assert.equal(e.requestId, api.log[0].requestId);
    assert.equal(api.log.length, 1);
  });

  test('KeyIds > 5: refused client-side through resetInstance; the server says InvalidParameterValue.LimitExceeded through request()', async () => {
    const KeyIds = ['lhkp-a1b2c3d4', 'lhkp-k8sops01', 'lhkp-deploy99', 'lhkp-aaaaaaa1', 'lhkp-aaaaaaa2', 'lhkp-aaaaaaa3'];
    const input = { InstanceId: LINUX, LoginConfiguration: { KeyIds } };
    const local = await rejection(() => client(api).resetInstance(input), 'KeyIds > 5');
    expectFields(local, { code: 'ClientError.InvalidArgument', kind: 'invalidInput', retryable: false, action: 'ResetInstance' });
    assert.match(local.message, /input\.LoginConfiguration\.KeyIds/);
    assert.equal(api.log.length, 0);
    const remote = await rejection(() => client(api).request('ResetInstance', input), 'request KeyIds > 5');
    expectFields(remote, { code: 'InvalidParameterValue.LimitExceeded', kind: 'invalidInput', retryable: false, httpStatus: 200, action: 'ResetInstance' });
    assert.equal(remote.requestId, api.log[0].requestId);
    assert.equal(api.log.length, 1);
  });

  test('server-side MissingParameter and InstanceIdMalformed, through request() (the client checks them otherwise)', async () => {
    const c = client(api);
    const missing = await rejection(() => c.request('ResetInstance', {}));
    expectFields(missing, { code: 'MissingParameter', kind: 'invalidInput', retryable: false, httpStatus: 200 });
    const bad = await rejection(() => c.request('ResetInstance', { InstanceId: 'lhins-UPPER123' }));
    expectFields(bad, { code: 'InvalidParameterValue.InstanceIdMalformed', kind: 'invalidInput', httpStatus: 200 });
    assert.equal(api.log.length, 2);
    assert.equal(bad.requestId, api.log[1].requestId);
  });

  const auth = [
    ['AuthFailure.SecretIdNotFound', { secretId: 'AKIDUnknownToTheLocalApi000000000000', secretKey: KEY.secretKey }],
    ['AuthFailure.SignatureFailure', { secretId: KEY.secretId, secretKey: WRONG_KEY }],
    ['AuthFailure.TokenFailure', { secretId: TEMP.secretId, secretKey: TEMP.secretKey }],
    ['AuthFailure.TokenFailure', { ...TEMP, token: WRONG_TOKEN }],
  ];
  for (const [code, credentials] of auth) {
    test(`${code}${credentials.token ? ' (wrong token)' : ''}: terminal, sent once, no secret in the error`, async () => {
      const e = await rejection(() => client(api, { credentials }).resetInstance({ InstanceId: LINUX }), code);
      expectFields(e, { code, kind: 'auth', retryable: false, httpStatus: 200, action: 'ResetInstance' });
      assert.equal(api.log.length, 1);
      assert.equal(e.requestId, api.log[0].requestId);
      assert.equal(effectiveResets(api).length, 0);
      // The same for a read: auth failures are never retried.
      api.reset();
      const r = await rejection(() => client(api, { credentials }).describeInstances(), code);
      expectFields(r, { code, kind: 'auth', retryable: false, action: 'DescribeInstances' });
      assert.equal(api.log.length, 1);
    });
  }

  test('injected serviceError codes: kinds, and which are retried (transient reads only)', async () => {
    const c = client(api);
    // A transient answer to ResetInstance is surfaced, never resent (the service processed it).
    api.injectFault({ action: 'ResetInstance', kind: 'serviceError', code: 'InternalError', message: 'boom-internal', times: -1 });
    const e1 = await rejection(() => c.resetInstance({ InstanceId: LINUX }));
    expectFields(e1, { code: 'InternalError', message: 'boom-internal', kind: 'transient', retryable: true, httpStatus: 200, action: 'ResetInstance' });
    assert.equal(entries(api, 'ResetInstance').length, 1);
    assert.equal(e1.requestId, entries(api, 'ResetInstance')[0].requestId);
    // The same code on a read is retried up to maxAttempts.
    api.reset();
    api.injectFault({ action: 'DescribeInstances', kind: 'serviceError', code: 'InternalError.DescribeInstanceStatus', message: 'boom', times: -1 });
    const e2 = await rejection(() => client(api, { maxAttempts: 3 }).describeInstances());
    expectFields(e2, { code: 'InternalError.DescribeInstanceStatus', kind: 'transient', retryable: true, httpStatus: 200 });
    assert.equal(entries(api, 'DescribeInstances').length, 3);
    assert.equal(e2.requestId, entries(api, 'DescribeInstances')[2].requestId);
    // ...and succeeds when the failure passes.
    api.reset();
    api.injectFault({ action: 'DescribeInstances', kind: 'serviceError', code: 'UnsupportedOperation.SystemBusy', times: 1 });
    const ok = await c.describeInstances({ Limit: 1 });
    assert.equal(ok.InstanceSet.length, 1);
    assert.equal(entries(api, 'DescribeInstances').length, 2);
    // Terminal codes on a read are not retried.
    api.reset();
    api.injectFault({ action: 'DescribeInstances', kind: 'serviceError', code: 'UnauthorizedOperation.NoPermission', times: -1 });
    const e3 = await rejection(() => c.describeInstances());
    expectFields(e3, { code: 'UnauthorizedOperation.NoPermission', kind: 'auth', retryable: false });
    assert.equal(api.log.length, 1);
    api.reset();
    api.injectFault({ action: 'ResetInstance', kind: 'serviceError', code: 'OperationDenied.InstanceOperationInProgress', times: -1 });
    const e4 = await rejection(() => c.resetInstance({ InstanceId: LINUX }));
    expectFields(e4, { code: 'OperationDenied.InstanceOperationInProgress', kind: 'busy', retryable: true });
    assert.equal(api.log.length, 1);
    api.reset();
    api.injectFault({ action: 'ResetInstance', kind: 'serviceError', code: 'FailedOperation.InstanceOperationFailed', times: -1 });
    const e5 = await rejection(() => c.resetInstance({ InstanceId: LINUX }));
    expectFields(e5, { code: 'FailedOperation.InstanceOperationFailed', kind: 'other', retryable: false });
    assert.equal(api.log.length, 1);
  });

  test('X-TC-Language zh-CN: the service message is passed through verbatim', async () => {
    const e = await rejection(() => client(api, { language: 'zh-CN' }).resetInstance({ InstanceId: 'lhins-zzzzzzzz' }));
    assert.equal(e.code, 'ResourceNotFound.InstanceIdNotFound');
    assert.equal(e.message, '实例 ID `lhins-zzzzzzzz` 不存在。');
  });
});

// ---------------------------------------------------------------------------------------------------------
// Refused client-side, before any request

describe('client-side refusals (nothing sent)', () => {
  let api;
  before(async () => {
    api = await startLighthouseApi({ credentials: [KEY, TEMP], rateLimit: 0 });
  });
  after(() => {
    assert.equal(api.log.length, 0, `requests were sent: ${JSON.stringify(api.log.map((e) => e.action))}`);
    return api.close();
  });
  beforeEach(() => assert.equal(api.log.length, 0));

  const ids = [
    ['MissingParameter', {}, /InstanceId/],
    ['MissingParameter', { InstanceId: '' }, /InstanceId/],
    ['MissingParameter', { InstanceId: null }, /InstanceId/],
    ['InvalidParameterValue.InstanceIdMalformed', { InstanceId: 'lhins-ABCD1234' }, /InstanceId/],
    ['InvalidParameterValue.InstanceIdMalformed', { InstanceId: 'ins-12345678' }, /InstanceId/],
    ['InvalidParameterValue.InstanceIdMalformed', { InstanceId: 'lhins-abcd123' }, /InstanceId/],
    ['InvalidParameterValue.BlueprintIdMalformed', { InstanceId: LINUX, BlueprintId: 'ubuntu-22.04' }, /BlueprintId/],
    ['InvalidParameterValue.BlueprintIdMalformed', { InstanceId: LINUX, BlueprintId: '' }, /BlueprintId/],
  ];
  for (const [code, input, message] of ids) {
    test(`resetInstance ${JSON.stringify(input)} -> ${code}`, async () => {
      for (const call of [() => client(api).resetInstance(input), () => resetInstance(input, { credentials: KEY, endpoint: api.url })]) {
        const e = await rejection(call, code);
        expectFields(e, { code, kind: 'invalidInput', retryable: false, action: 'ResetInstance' });
        assert.match(e.message, message);
        assert.equal(e.requestId, undefined);
        assert.equal(e.httpStatus, undefined);
      }
    });
  }

  test('malformed ids in describeInstances / describeBlueprints', async () => {
    const c = client(api);
    const a = await rejection(() => c.describeInstances({ InstanceIds: [LINUX, 'lhins-BAD'] }));
    expectFields(a, { code: 'InvalidParameterValue.InstanceIdMalformed', kind: 'invalidInput', action: 'DescribeInstances' });
    const b = await rejection(() => c.describeBlueprints({ BlueprintIds: ['lhbp-NOPE'] }));
    expectFields(b, { code: 'InvalidParameterValue.BlueprintIdMalformed', kind: 'invalidInput', action: 'DescribeBlueprints' });
  });

  // [call, the field the message must name]
  const wrongTypes = [
    ['resetInstance input "lhins-ruy9d2tw"', (c) => c.resetInstance(LINUX), /`input`/],
    ['resetInstance input null', (c) => c.resetInstance(null), /`input`/],
    ['resetInstance input []', (c) => c.resetInstance([]), /`input`/],
    ['InstanceId 123', (c) => c.resetInstance({ InstanceId: 123 }), /input\.InstanceId/],
    ['InstanceId [id]', (c) => c.resetInstance({ InstanceId: [LINUX] }), /input\.InstanceId/],
    ['BlueprintId 5', (c) => c.resetInstance({ InstanceId: LINUX, BlueprintId: 5 }), /input\.BlueprintId/],
    ['Containers "nginx"', (c) => c.resetInstance({ InstanceId: LINUX, Containers: 'nginx' }), /input\.Containers/],
    ['Containers ["nginx"]', (c) => c.resetInstance({ InstanceId: LINUX, Containers: ['nginx'] }), /input\.Containers/],
    ['LoginConfiguration "x"', (c) => c.resetInstance({ InstanceId: LINUX, LoginConfiguration: 'x' }), /input\.LoginConfiguration/],
    [
      'AutoGeneratePassword "maybe"',
      (c) => c.resetInstance({ InstanceId: LINUX, LoginConfiguration: { AutoGeneratePassword: 'maybe' } }),
      /input\.LoginConfiguration\.AutoGeneratePassword/,
    ],
    [
      'AutoGeneratePassword true',
      (c) => c.resetInstance({ InstanceId: LINUX, LoginConfiguration: { AutoGeneratePassword: true } }),
      /input\.LoginConfiguration\.AutoGeneratePassword/,
    ],
    ['Password 12345678', (c) => c.resetInstance({ InstanceId: LINUX, LoginConfiguration: { Password: 12345678 } }), /input\.LoginConfiguration\.Password/],
    [
      'KeyIds "lhkp-a1b2c3d4"',
      (c) => c.resetInstance({ InstanceId: LINUX, LoginConfiguration: { KeyIds: 'lhkp-a1b2c3d4' } }),
      /input\.LoginConfiguration\.KeyIds/,
    ],
    ['KeyIds [1]', (c) => c.resetInstance({ InstanceId: LINUX, LoginConfiguration: { KeyIds: [1] } }), /input\.LoginConfiguration\.KeyIds/],
    ['describeInstances "x"', (c) => c.describeInstances('x'), /`input`/],
    ['InstanceIds "lhins-ruy9d2tw"', (c) => c.describeInstances({ InstanceIds: LINUX }), /input\.InstanceIds/],
    ['InstanceIds [1]', (c) => c.describeInstances({ InstanceIds: [1] }), /input\.InstanceIds/],
    [
      'InstanceIds with Filters',
      (c) => c.describeInstances({ InstanceIds: [LINUX], Filters: [{ Name: 'zone', Values: ['x'] }] }),
      /input\.InstanceIds.*input\.Filters|input\.Filters.*input\.InstanceIds/,
    ],
    ['Filters {}', (c) => c.describeInstances({ Filters: {} }), /input\.Filters/],
    ['Filters [{Name: 1}]', (c) => c.describeInstances({ Filters: [{ Name: 1, Values: [] }] }), /input\.Filters\[\]\.Name/],
    ['Filters [{Values: "x"}]', (c) => c.describeInstances({ Filters: [{ Name: 'zone', Values: 'x' }] }), /input\.Filters\[\]\.Values/],
    ['Filters [{Values: [1]}]', (c) => c.describeInstances({ Filters: [{ Name: 'zone', Values: [1] }] }), /input\.Filters\[\]\.Values/],
    ['Limit 0', (c) => c.describeInstances({ Limit: 0 }), /input\.Limit/],
    ['Limit 101', (c) => c.describeInstances({ Limit: 101 }), /input\.Limit/],
    ['Limit 1.5', (c) => c.describeInstances({ Limit: 1.5 }), /input\.Limit/],
    ['Limit "10"', (c) => c.describeInstances({ Limit: '10' }), /input\.Limit/],
    ['Offset -1', (c) => c.describeInstances({ Offset: -1 }), /input\.Offset/],
    ['BlueprintIds [1]', (c) => c.describeBlueprints({ BlueprintIds: [1] }), /input\.BlueprintIds/],
    ['BlueprintIds "x"', (c) => c.describeBlueprints({ BlueprintIds: 'lhbp-deb12x64' }), /input\.BlueprintIds/],
    ['describeBlueprints Limit NaN', (c) => c.describeBlueprints({ Limit: NaN }), /input\.Limit/],
    ['request action ""', (c) => c.request(''), /`action`/],
    ['request action 42', (c) => c.request(42), /`action`/],
    ['request action "Describe Instances"', (c) => c.request('Describe Instances'), /`action`/],
    ['request params "x"', (c) => c.request('DescribeInstances', 'x'), /`params`/],
    ['request params []', (c) => c.request('DescribeInstances', []), /`params`/],
    [
      'request params with a cycle',
      (c) => {
        const p = {};
        p.self = p;
        return c.request('DescribeInstances', p);
      },
      /`params`/,
    ],
    ['request params with a BigInt', (c) => c.request('DescribeInstances', { Limit: 10n }), /`params`/],
    ['options "x"', (c) => c.describeInstances({}, 'x'), /`options`/],
    ['options.signal "x"', (c) => c.describeInstances({}, { signal: 'x' }), /options\.signal/],
    ['options.signal {aborted: true}', (c) => c.resetInstance({ InstanceId: LINUX }, { signal: { aborted: true } }), /options\.signal/],
    ['options.timeoutMs 0', (c) => c.describeInstances({}, { timeoutMs: 0 }), /options\.timeoutMs/],
    ['options.timeoutMs -5', (c) => c.resetInstance({ InstanceId: LINUX }, { timeoutMs: -5 }), /options\.timeoutMs/],
    ['options.timeoutMs "100"', (c) => c.describeBlueprints({}, { timeoutMs: '100' }), /options\.timeoutMs/],
  ];
  for (const [label, call, message] of wrongTypes) {
    test(`InvalidArgument: ${label}`, async () => {
      const e = await rejection(() => call(client(api)), label);
      expectFields(e, { code: 'ClientError.InvalidArgument', kind: 'invalidInput', retryable: false });
      assert.match(e.message, message);
    });
  }

  const badConfigs = [
    ['config "x"', 'x', /`config`/],
    ['endpoint "not a url"', { endpoint: 'not a url' }, /config\.endpoint/],
    ['endpoint "ftp://x"', { endpoint: 'ftp://127.0.0.1/' }, /config\.endpoint/],
    ['endpoint "http://"', { endpoint: 'http://' }, /config\.endpoint/],
    ['endpoint port 99999', { endpoint: 'http://127.0.0.1:99999' }, /config\.endpoint/],
    ['endpoint 8080', { endpoint: 8080 }, /config\.endpoint/],
    ['timeoutMs 0', { timeoutMs: 0 }, /config\.timeoutMs/],
    ['timeoutMs -1', { timeoutMs: -1 }, /config\.timeoutMs/],
    ['timeoutMs NaN', { timeoutMs: NaN }, /config\.timeoutMs/],
    ['timeoutMs "1000"', { timeoutMs: '1000' }, /config\.timeoutMs/],
    ['maxAttempts 0', { maxAttempts: 0 }, /config\.maxAttempts/],
    ['maxAttempts 1.5', { maxAttempts: 1.5 }, /config\.maxAttempts/],
    ['maxAttempts "3"', { maxAttempts: '3' }, /config\.maxAttempts/],
    ['fetch "fetch"', { fetch: 'fetch' }, /config\.fetch/],
    ['fetch {}', { fetch: {} }, /config\.fetch/],
    ['credentials "AKID:key"', { credentials: `${KEY.secretId}:${KEY.secretKey}` }, /config\.credentials/],
    ['credentials {}', { credentials: {} }, /config\.credentials\.secretId/],
    ['credentials without secretKey', { credentials: { secretId: KEY.secretId } }, /config\.credentials\.secretKey/],
    ['credentials without secretId', { credentials: { secretKey: KEY.secretKey } }, /config\.credentials\.secretId/],
    ['credentials.secretId 1', { credentials: { secretId: 1, secretKey: KEY.secretKey } }, /config\.credentials\.secretId/],
    ['credentials.secretKey 1', { credentials: { secretId: KEY.secretId, secretKey: 1 } }, /config\.credentials\.secretKey/],
    ['credentials.secretId with a space', { credentials: { secretId: 'AKID with space', secretKey: KEY.secretKey } }, /config\.credentials\.secretId/],
    ['credentials.token 5', { credentials: { ...TEMP, token: 5 } }, /config\.credentials\.token/],
    ['credentials.expiresAt "soon"', { credentials: { ...TEMP, expiresAt: 'soon' } }, /config\.credentials\.expiresAt/],
    ['region "ap guangzhou"', { region: 'ap guangzhou' }, /config\.region/],
    ['region 1', { region: 1 }, /config\.region/],
    ['language "fr-FR"', { language: 'fr-FR' }, /config\.language/],
    ['service "Light House"', { service: 'Light House' }, /config\.service/],
    ['unsigned "yes"', { unsigned: 'yes' }, /config\.unsigned/],
    ['rateLimit "off"', { rateLimit: 'off' }, /config\.rateLimit/],
  ];
  for (const [label, patch, message] of badConfigs) {
    test(`config InvalidArgument: ${label} (constructor throws; resetInstance rejects)`, async () => {
      const config = typeof patch === 'string' ? patch : { credentials: KEY, endpoint: api.url, ...patch };
      const e = thrown(() => new LighthouseClient(config), label);
      expectFields(e, { code: 'ClientError.InvalidArgument', kind: 'invalidInput', retryable: false });
      assert.match(e.message, message);
      const r = await rejection(() => resetInstance({ InstanceId: LINUX }, config), `resetInstance ${label}`);
      expectFields(r, { code: 'ClientError.InvalidArgument', kind: 'invalidInput', retryable: false });
      assert.match(r.message, message);
    });
  }

  test('resetInstance function: config.signal and config.timeoutMs are checked like call options', async () => {
    const base = { credentials: KEY, endpoint: api.url };
    const a = await rejection(() => resetInstance({ InstanceId: LINUX }, { ...base, signal: 'x' }));
    expectFields(a, { code: 'ClientError.InvalidArgument', action: 'ResetInstance' });
    assert.match(a.message, /config\.signal/);
    const b = await rejection(() => resetInstance({ InstanceId: LINUX }, { ...base, timeoutMs: 0 }));
    expectFields(b, { code: 'ClientError.InvalidArgument' });
    assert.match(b.message, /config\.timeoutMs/);
  });

  test('an unknown config key is refused, naming it and the nearest known key; never its value', async () => {
    const base = { credentials: KEY, endpoint: api.url };
    const cases = [
      [{ ...base, regoin: 'ap-guangzhou' }, '`config.regoin` is not a known option (did you mean `region`?).'],
      [{ ...base, Region: 'ap-guangzhou' }, '`config.Region` is not a known option (did you mean `region`?).'],
      [{ ...base, timeout: 1000 }, '`config.timeout` is not a known option (did you mean `timeoutMs`?).'],
      [{ ...base, retries: 3 }, '`config.retries` is not a known option.'],
      // A key pasted at the top level: named, its value never shown (checkError looks for it).
      [{ endpoint: api.url, secretKey: KEY.secretKey }, '`config.secretKey` is not a known option.'],
      [{ ...base, [`x${'y'.repeat(100)}`]: 1 }, `\`config.x${'y'.repeat(63)}\` is not a known option.`],
    ];
    for (const [config, message] of cases) {
      const e = thrown(() => new LighthouseClient(config), message);
      expectFields(e, { code: 'ClientError.InvalidArgument', kind: 'invalidInput', retryable: false, message });
      const r = await rejection(() => resetInstance({ InstanceId: LINUX }, config), message);
      expectFields(r, { code: 'ClientError.InvalidArgument', action: 'ResetInstance', message });
    }
    // The resetInstance function takes ClientConfig and CallOptions keys, not the waiter's.
    const w = await rejection(() => resetInstance({ InstanceId: LINUX }, { ...base, signal: AbortSignal.abort(), maxWaitSeconds: 5 }));
    expectFields(w, { code: 'ClientError.InvalidArgument', message: '`config.maxWaitSeconds` is not a known option.' });
    // A Proxy whose ownKeys trap throws: a TencentCloudError naming the config, not the trap's error.
    const hostile = new Proxy(
      { ...base },
      {
        ownKeys() {
          throw new Error('trap');
        },
      },
    );
    expectFields(
      thrown(() => new LighthouseClient(hostile)),
      { code: 'ClientError.InvalidArgument', message: /^`config` could not be read/ },
    );
  });

  test("an unknown key in a method's options is refused (CallOptions: signal, timeoutMs)", async () => {
    const c = client(api);
    const calls = [
      [() => c.describeInstances({}, { timeout: 5 }), '`options.timeout` is not a known option (did you mean `timeoutMs`?).'],
      [() => c.describeBlueprints({}, { signl: AbortSignal.timeout(1000) }), '`options.signl` is not a known option (did you mean `signal`?).'],
      [() => c.resetInstance({ InstanceId: LINUX }, { onProgress() {} }), '`options.onProgress` is not a known option.'],
      [() => c.request('DescribeInstances', {}, { region: 'ap-guangzhou' }), '`options.region` is not a known option.'],
    ];
    for (const [call, message] of calls) {
      expectFields(await rejection(call, message), { code: 'ClientError.InvalidArgument', kind: 'invalidInput', message });
    }
  });

  test('createSigningProxy: ClientConfig and its own keys only', () => {
    const e = thrown(() => createSigningProxy({ credentials: KEY, endpoint: api.url, allowedActions: ['DescribeInstances'] }));
    expectFields(e, { code: 'ClientError.InvalidArgument', message: '`config.allowedActions` is not a known option (did you mean `allowActions`?).' });
    const handler = createSigningProxy({
      credentials: KEY,
      endpoint: api.url,
      region: 'ap-guangzhou',
      allowActions: ['DescribeInstances'],
      maxBodyBytes: 1024,
      logger: console,
    });
    assert.equal(typeof handler, 'function');
    // No config at all: every default, as the types allow.
    assert.equal(typeof createSigningProxy(), 'function');
  });

  test('toNodeListener: maxBodyBytes only', () => {
    const handler = createSigningProxy({ credentials: KEY, endpoint: api.url });
    const e = thrown(() => toNodeListener(handler, { maxBodyByte: 10 }));
    expectFields(e, {
      code: 'ClientError.InvalidArgument',
      kind: 'invalidInput',
      message: '`options.maxBodyByte` is not a known option (did you mean `maxBodyBytes`?).',
    });
    assert.equal(typeof toNodeListener(handler, { maxBodyBytes: 10 }), 'function');
    assert.equal(typeof toNodeListener(handler, JSON.parse('{"__proto__": {"x": 1}}')), 'function');
  });
});

describe('config and option keys that are accepted', () => {
  test('every documented key, the reserved `logger`, an own "__proto__" key (JSON.parse), inherited keys', async (t) => {
    const api = await freshApi(t);
    const all = {
      credentials: KEY,
      region: 'ap-guangzhou',
      endpoint: api.url,
      service: 'lighthouse',
      language: 'en-US',
      timeoutMs: 5000,
      maxAttempts: 2,
      fetch: (url, init) => fetch(url, init),
      unsigned: false,
      rateLimit: false,
      logger: console,
    };
    const c = new LighthouseClient(all);
    assert.equal((await c.describeInstances({ InstanceIds: [LINUX] }, { signal: new AbortController().signal, timeoutMs: 5000 })).InstanceSet.length, 1);
    const { RequestId } = await resetInstance({ InstanceId: LINUX }, { ...all, signal: new AbortController().signal, timeoutMs: 5000 });
    assert.deepEqual(
      effectiveResets(api).map((e) => e.requestId),
      [RequestId],
    );
    const parsed = JSON.parse(`{"__proto__": {"polluted": 1}, "endpoint": ${JSON.stringify(api.url)}, "region": "ap-guangzhou", "rateLimit": false}`);
    assert.equal((await new LighthouseClient({ ...parsed, credentials: KEY }).describeBlueprints({ Limit: 1 })).BlueprintSet.length, 1);
    assert.equal({}.polluted, undefined);
    // Only own enumerable keys are the config's: what it inherits is not judged.
    const inherited = Object.assign(Object.create({ notAnOption: true }), { credentials: KEY, endpoint: api.url, region: 'ap-guangzhou', rateLimit: false });
    assert.equal((await new LighthouseClient(inherited).describeInstances({ InstanceIds: [LINUX] })).InstanceSet.length, 1);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Client codes: Network, Timeout, Aborted, BadResponse; retries of reads, no blind resend of ResetInstance

describe('ClientError.Network', () => {
  test('endpoint on a closed port: a read is retried maxAttempts times, then Network with the fetch error as cause', async () => {
    const port = await closedPort();
    const rec = recordingFetch();
    const c = new LighthouseClient({ credentials: KEY, endpoint: `http://127.0.0.1:${port}`, rateLimit: false, fetch: rec.fetch });
    const e = await rejection(() => c.describeInstances());
    expectFields(e, { code: 'ClientError.Network', kind: 'network', retryable: true, action: 'DescribeInstances' });
    assert.equal(e.requestId, undefined);
    assert.equal(e.httpStatus, undefined);
    assert.ok(e.cause instanceof TypeError, `cause: ${util.inspect(e.cause)}`);
    assert.equal(rec.calls.length, 3);
    // The message names the endpoint and what fetch said (Node's undici: the cause's cause).
    assert.equal(e.message, `No answer from http://127.0.0.1:${port} (network error): fetch failed: connect ECONNREFUSED 127.0.0.1:${port}.`);
  });

  test('the message names the endpoint with its path, and the cause a custom fetch rejected with (its code when it has no message)', async () => {
    const port = await closedPort();
    const e = await rejection(() =>
      new LighthouseClient({ credentials: KEY, endpoint: `http://127.0.0.1:${port}/tc3/api`, rateLimit: false, maxAttempts: 1 }).describeInstances(),
    );
    assert.match(e.message, new RegExp(`^No answer from http://127\\.0\\.0\\.1:${port}/tc3/api \\(network error\\): fetch failed: connect ECONNREFUSED`));
    const own = new Error('');
    own.code = 'EHOSTUNREACH';
    const reason = new TypeError('Failed to fetch', { cause: own });
    const custom = await rejection(() =>
      new LighthouseClient({ endpoint: '/api', unsigned: true, maxAttempts: 1, fetch: () => Promise.reject(reason) }).describeInstances(),
    );
    expectFields(custom, {
      code: 'ClientError.Network',
      kind: 'network',
      retryable: true,
      message: 'No answer from /api (network error): Failed to fetch: EHOSTUNREACH.',
    });
    assert.equal(custom.cause, reason, 'cause is the original error');
    // A fetch that throws rather than rejects, with a string.
    const threw = await rejection(() =>
      new LighthouseClient({
        endpoint: '/api',
        unsigned: true,
        maxAttempts: 1,
        fetch: () => {
          throw 'no network here';
        },
      }).describeInstances(),
    );
    expectFields(threw, { code: 'ClientError.Network', message: 'fetch threw before sending the request to /api (network error): no network here.' });
    // Nothing at all to say: the endpoint alone; an endless message is cut.
    const bare = await rejection(() =>
      new LighthouseClient({ endpoint: '/api', unsigned: true, maxAttempts: 1, fetch: () => Promise.reject({}) }).describeInstances(),
    );
    assert.equal(bare.message, 'No answer from /api (network error).');
    const long = await rejection(() =>
      new LighthouseClient({ endpoint: '/api', unsigned: true, maxAttempts: 1, fetch: () => Promise.reject(new Error('x'.repeat(5000))) }).describeInstances(),
    );
    assert.ok(long.message.length < 300, `${long.message.length} characters`);
  });

  test('a fetch failure whose message quotes the session token: the details are withheld from the message', async () => {
    const e = await new LighthouseClient({
      credentials: TEMP,
      endpoint: 'http://127.0.0.1:9',
      rateLimit: false,
      maxAttempts: 1,
      fetch: (url, init) => Promise.reject(new TypeError(`bad header ${init.headers['X-TC-Token']}`)),
    })
      .describeInstances()
      .catch((x) => x);
    expectFields(e, { code: 'ClientError.Network', message: 'No answer from http://127.0.0.1:9 (network error): details withheld.' });
    assert.ok(!String(e.message).includes(TEMP.token) && !String(e.stack).includes(TEMP.token));
  });

  test('endpoint on a closed port: ResetInstance certainly never sent (ECONNREFUSED) is retried too', async () => {
    const port = await closedPort();
    const rec = recordingFetch();
    const c = new LighthouseClient({ credentials: KEY, endpoint: `http://127.0.0.1:${port}`, rateLimit: false, fetch: rec.fetch, maxAttempts: 2 });
    const e = await rejection(() => c.resetInstance({ InstanceId: LINUX }));
    expectFields(e, { code: 'ClientError.Network', kind: 'network', action: 'ResetInstance' });
    assert.equal(rec.calls.length, 2);
  });

  test('connectionReset on a read: retried, then Network after maxAttempts; succeeds when the fault passes', async (t) => {
    const api = await freshApi(t);
    api.injectFault({ action: 'DescribeInstances', kind: 'connectionReset', times: -1 });
    const e = await rejection(() => client(api, { maxAttempts: 3 }).describeInstances());
    expectFields(e, { code: 'ClientError.Network', kind: 'network', retryable: true, action: 'DescribeInstances' });
    assert.equal(entries(api, 'DescribeInstances').length, 3);
    api.reset();
    api.injectFault({ action: 'DescribeInstances', kind: 'connectionReset', times: 2 });
    const ok = await client(api).describeInstances({ InstanceIds: [LINUX] });
    assert.equal(ok.InstanceSet[0].InstanceId, LINUX);
    assert.deepEqual(
      entries(api, 'DescribeInstances').map((x) => x.errorCode),
      ['Fault.connectionReset', 'Fault.connectionReset', null],
    );
  });

  test('connectionReset on ResetInstance (never took effect): no blind resend, no effective reset, then Network', async (t) => {
    const api = await freshApi(t);
    api.injectFault({ action: 'ResetInstance', kind: 'connectionReset', times: -1 });
    const e = await rejection(() => client(api, { maxAttempts: 5 }).resetInstance({ InstanceId: LINUX }));
    expectFields(e, { code: 'ClientError.Network', kind: 'network', action: 'ResetInstance' });
    assertNoBlindResend(api);
    assert.equal(effectiveResets(api).length, 0);
    // config.maxAttempts bounds the reconciled resends too.
    assert.ok(entries(api, 'ResetInstance').length <= 5, `${entries(api, 'ResetInstance').length} ResetInstance requests`);
  });

  test('connectionReset once on ResetInstance: reconciled through DescribeInstances, resent, exactly one effective reset', async (t) => {
    const api = await freshApi(t);
    api.injectFault({ action: 'ResetInstance', kind: 'connectionReset', times: 1 });
    const out = await client(api).resetInstance({ InstanceId: LINUX });
    assertNoBlindResend(api);
    assert.deepEqual(
      effectiveResets(api).map((x) => x.requestId),
      [out.RequestId],
    );
    assert.equal(api.getInstance(LINUX).LatestOperationRequestId, out.RequestId);
  });

  test('config.maxAttempts 1 bounds ResetInstance too: one request, no reconciled resend', async (t) => {
    const api = await freshApi(t);
    api.injectFault({ action: 'ResetInstance', kind: 'connectionReset', times: -1 });
    const e = await rejection(() => client(api, { maxAttempts: 1 }).resetInstance({ InstanceId: LINUX }));
    expectFields(e, { code: 'ClientError.Network', action: 'ResetInstance' });
    assert.equal(entries(api, 'ResetInstance').length, 1, `maxAttempts 1 sent ResetInstance ${entries(api, 'ResetInstance').length} times`);
  });

  test('answerLost on ResetInstance (it took effect): not resent; resolves with the RequestId of the reset that happened', async (t) => {
    const api = await freshApi(t);
    api.injectFault({ action: 'ResetInstance', kind: 'answerLost' });
    const out = await client(api).resetInstance({ InstanceId: LINUX });
    assert.equal(entries(api, 'ResetInstance').length, 1, 'not resent');
    assert.deepEqual(
      effectiveResets(api).map((x) => x.requestId),
      [out.RequestId],
    );
  });

  test('answerLost on every attempt, resetInstance function: still exactly one ResetInstance request', async (t) => {
    const api = await freshApi(t);
    api.injectFault({ action: 'ResetInstance', kind: 'answerLost', times: -1 });
    // The region: reconciling the lost answer asks DescribeInstances, whose Region is required.
    const out = await resetInstance({ InstanceId: 'lhins-abcd1234' }, { credentials: KEY, endpoint: api.url, region: 'ap-guangzhou', rateLimit: false });
    assert.equal(entries(api, 'ResetInstance').length, 1);
    assert.equal(effectiveResets(api)[0].requestId, out.RequestId);
  });

  test('unknown actions are mutations: connectionReset on StartInstances is not resent', async (t) => {
    const api = await freshApi(t);
    api.injectFault({ action: 'StartInstances', kind: 'connectionReset', times: -1 });
    const e = await rejection(() => client(api).request('StartInstances', { InstanceIds: ['lhins-q8d2k7mz'] }));
    expectFields(e, { code: 'ClientError.Network', action: 'StartInstances' });
    assert.equal(api.log.length, 1);
  });
});

describe('ClientError.BadResponse', () => {
  const kinds = [
    ['html500', 500],
    ['badGateway', 502],
    ['nonJson', 200],
    ['truncated', 200],
    ['empty', 200],
  ];
  for (const [kind, status] of kinds) {
    test(`${kind}: a read is retried up to maxAttempts, then BadResponse httpStatus ${status}`, async (t) => {
      const api = await freshApi(t);
      api.injectFault({ action: 'DescribeInstances', kind, times: -1 });
      const e = await rejection(() => client(api, { maxAttempts: 2 }).describeInstances(), kind);
      expectFields(e, { code: 'ClientError.BadResponse', kind: 'transient', retryable: true, httpStatus: status, action: 'DescribeInstances' });
      assert.equal(entries(api, 'DescribeInstances').length, 2);
      // With the default maxAttempts (3) and one bad answer, the read succeeds on the second attempt.
      api.reset();
      api.injectFault({ action: 'DescribeInstances', kind, times: 1 });
      const ok = await client(api).describeInstances({ Limit: 2 });
      assert.equal(ok.InstanceSet.length, 2);
      assert.equal(entries(api, 'DescribeInstances').length, 2);
    });

    test(`${kind} on ResetInstance: never resent blindly; at most one effective reset`, async (t) => {
      const api = await freshApi(t);
      api.injectFault({ action: 'ResetInstance', kind, times: -1 });
      const c = client(api, { maxAttempts: 3 });
      if (kind === 'truncated') {
        // The reset took effect (the answer was cut): reconciled, not resent, its RequestId returned.
        const out = await c.resetInstance({ InstanceId: LINUX });
        assert.equal(entries(api, 'ResetInstance').length, 1);
        assert.deepEqual(
          effectiveResets(api).map((x) => x.requestId),
          [out.RequestId],
        );
      } else {
        const e = await rejection(() => c.resetInstance({ InstanceId: LINUX }), kind);
        expectFields(e, { code: 'ClientError.BadResponse', httpStatus: status, action: 'ResetInstance' });
        assertNoBlindResend(api);
        assert.equal(effectiveResets(api).length, 0);
      }
    });
  }

  test('html500 after the reset started (takesEffect): not resent, resolves with the RequestId of the reset that happened', async (t) => {
    const api = await freshApi(t);
    api.injectFault({ action: 'ResetInstance', kind: 'html500', takesEffect: true, times: -1 });
    const out = await client(api).resetInstance({ InstanceId: LINUX });
    assert.equal(entries(api, 'ResetInstance').length, 1);
    assert.deepEqual(
      effectiveResets(api).map((x) => x.requestId),
      [out.RequestId],
    );
  });

  test('unknown actions are mutations: html500 on StartInstances is not resent', async (t) => {
    const api = await freshApi(t);
    api.injectFault({ action: 'StartInstances', kind: 'html500', times: -1 });
    const e = await rejection(() => client(api).request('StartInstances', { InstanceIds: ['lhins-q8d2k7mz'] }));
    expectFields(e, { code: 'ClientError.BadResponse', httpStatus: 500, action: 'StartInstances' });
    assert.equal(api.log.length, 1);
  });

  test('default maxAttempts is 3; maxAttempts 1 sends once', async (t) => {
    const api = await freshApi(t);
    api.injectFault({ action: 'DescribeBlueprints', kind: 'html500', times: -1 });
    await rejection(() => client(api).describeBlueprints());
    assert.equal(entries(api, 'DescribeBlueprints').length, 3);
    api.reset();
    api.injectFault({ action: 'DescribeBlueprints', kind: 'html500', times: -1 });
    await rejection(() => client(api, { maxAttempts: 1 }).describeBlueprints());
    assert.equal(entries(api, 'DescribeBlueprints').length, 1);
  });

  test('a custom fetch answering JSON without Response, and a non-200 JSON: BadResponse', async () => {
    const wrong = async () => new Response('{"hello":1}', { status: 200, headers: { 'content-type': 'application/json' } });
    const c1 = new LighthouseClient({ credentials: KEY, endpoint: 'http://127.0.0.1:9', rateLimit: false, fetch: wrong, maxAttempts: 1 });
    expectFields(await rejection(() => c1.describeInstances()), { code: 'ClientError.BadResponse', httpStatus: 200 });
    const status403 = async () => new Response('{"Response":{"RequestId":"x"}}', { status: 403 });
    const c2 = new LighthouseClient({ credentials: KEY, endpoint: 'http://127.0.0.1:9', rateLimit: false, fetch: status403, maxAttempts: 1 });
    expectFields(await rejection(() => c2.describeInstances()), { code: 'ClientError.BadResponse', httpStatus: 403 });
  });
});

describe('ClientError.Timeout', () => {
  test('slow answer beyond config.timeoutMs: Timeout, promptly', async (t) => {
    const api = await freshApi(t);
    api.injectFault({ action: 'DescribeInstances', kind: 'slow', delayMs: 3000, times: -1 });
    const started = performance.now();
    const e = await rejection(() => client(api, { timeoutMs: 150, maxAttempts: 1 }).describeInstances());
    const elapsed = performance.now() - started;
    expectFields(e, { code: 'ClientError.Timeout', kind: 'timeout', retryable: true, action: 'DescribeInstances' });
    assert.match(e.message, /150/);
    assert.ok(elapsed >= 140 && elapsed < 2000, `elapsed ${elapsed}`); // the server holds it 3 s
    assert.equal(api.log.length, 1);
  });

  test('a read that timed out is retried and succeeds', async (t) => {
    const api = await freshApi(t);
    api.injectFault({ action: 'DescribeInstances', kind: 'slow', delayMs: 2000, times: 1 });
    const out = await client(api, { timeoutMs: 150, maxAttempts: 2 }).describeInstances({ Limit: 1 });
    assert.equal(out.InstanceSet.length, 1);
    assert.equal(entries(api, 'DescribeInstances').length, 2);
  });

  test('options.timeoutMs overrides config.timeoutMs', async (t) => {
    const api = await freshApi(t);
    api.injectFault({ action: 'DescribeBlueprints', kind: 'slow', delayMs: 3000, times: -1 });
    const started = performance.now();
    const e = await rejection(() => client(api, { timeoutMs: 60_000, maxAttempts: 1 }).describeBlueprints({}, { timeoutMs: 120 }));
    expectFields(e, { code: 'ClientError.Timeout', kind: 'timeout' });
    assert.ok(performance.now() - started < 2000); // the server holds it 3 s
  });

  test('the resetInstance function honours config.timeoutMs: a timed-out reset that lands later is found, not resent', async (t) => {
    // Every attempt is held 1.5 s and takes effect then; the client gives up after 150 ms, watches
    // DescribeInstances until the held request lands, and resolves with its RequestId.
    const api = await freshApi(t);
    api.injectFault({ action: 'ResetInstance', kind: 'slow', delayMs: 1500, times: -1 });
    const out = await resetInstance(
      { InstanceId: LINUX },
      { credentials: KEY, endpoint: api.url, region: 'ap-guangzhou', rateLimit: false, timeoutMs: 150, maxAttempts: 3 },
    );
    assert.equal(entries(api, 'ResetInstance').length, 1);
    assert.equal(effectiveResets(api).length, 1);
    assert.equal(out.RequestId, effectiveResets(api)[0].requestId);
  });

  test('a timed-out ResetInstance that never lands: Timeout, not resent blindly', async (t) => {
    const api = await freshApi(t);
    api.injectFault({ action: 'ResetInstance', kind: 'slow', delayMs: 60_000, times: -1 });
    const c = new LighthouseClient({ credentials: KEY, endpoint: api.url, region: 'ap-guangzhou', rateLimit: false, timeoutMs: 100, maxAttempts: 1 });
    const e = await rejection(() => c.resetInstance({ InstanceId: LINUX }));
    expectFields(e, { code: 'ClientError.Timeout', kind: 'timeout', action: 'ResetInstance' });
    assert.equal(entries(api, 'ResetInstance').length, 1);
  });

  test('a timed-out ResetInstance is not resent while it may still be in flight (exactly one effective reset)', async (t) => {
    // The first attempt is held 1 s by the server and takes effect then; the client gave up after 150 ms.
    // A resend in between would be a second reset once the first lands (here the operation finishes at once).
    const api = await freshApi(t, { operatingPolls: 0 });
    api.injectFault({ action: 'ResetInstance', kind: 'slow', delayMs: 1000, times: 1 });
    const c = client(api, { timeoutMs: 150 });
    let outcome;
    try {
      outcome = await c.resetInstance({ InstanceId: LINUX });
    } catch (e) {
      outcome = checkError(e, 'timed-out reset');
    }
    api.getInstance(LINUX); // lets a finished operation settle, as any poll would
    await sleep(1200); // the held request lands
    const resets = entries(api, 'ResetInstance');
    assert.equal(resets.length, 1, `ResetInstance sent ${resets.length} times after a timeout (${JSON.stringify(outcome)})`);
    assert.ok(effectiveResets(api).length <= 1, `${effectiveResets(api).length} effective resets`);
  });
});

describe('ClientError.Aborted', () => {
  test('aborted before the call: nothing sent; cause is the signal reason', async (t) => {
    const api = await freshApi(t);
    const ac = new AbortController();
    ac.abort(new Error('user went away'));
    const c = client(api);
    for (const call of [
      () => c.describeInstances({}, { signal: ac.signal }),
      () => c.resetInstance({ InstanceId: LINUX }, { signal: ac.signal }),
      () => resetInstance({ InstanceId: LINUX }, { credentials: KEY, endpoint: api.url, rateLimit: false, signal: ac.signal }),
    ]) {
      const e = await rejection(call);
      expectFields(e, { code: 'ClientError.Aborted', kind: 'aborted', retryable: false });
      assert.equal(e.cause, ac.signal.reason);
    }
    assert.equal(api.log.length, 0);
  });

  test('aborted during a slow read: settles at once after abort', async (t) => {
    const api = await freshApi(t);
    api.injectFault({ action: 'DescribeInstances', kind: 'slow', delayMs: 5000, times: -1 });
    const ac = new AbortController();
    const p = rejection(() => client(api).describeInstances({}, { signal: ac.signal }));
    await sleep(150);
    assert.equal(api.log.length, 1, 'the request reached the server');
    const at = performance.now();
    ac.abort();
    const e = await p;
    const after = performance.now() - at;
    expectFields(e, { code: 'ClientError.Aborted', kind: 'aborted', retryable: false, action: 'DescribeInstances' });
    assert.ok(after < 1000, `settled ${after.toFixed(0)} ms after abort (the server holds it 5 s)`);
    assert.equal(e.cause, ac.signal.reason);
    assert.equal(api.log.length, 1, 'not resent');
  });

  test('aborted during a slow ResetInstance: settles at once, not resent', async (t) => {
    const api = await freshApi(t);
    api.injectFault({ action: 'ResetInstance', kind: 'slow', delayMs: 5000, times: -1 });
    const ac = new AbortController();
    const p = rejection(() => client(api).resetInstance({ InstanceId: LINUX }, { signal: ac.signal }));
    await sleep(150);
    const at = performance.now();
    ac.abort();
    const e = await p;
    assert.ok(performance.now() - at < 1000); // the server holds it 5 s: anything near that is a wait
    expectFields(e, { code: 'ClientError.Aborted', action: 'ResetInstance' });
    assert.equal(entries(api, 'ResetInstance').length, 1);
  });

  test('aborted during retry backoff (throttled read): settles at once', async (t) => {
    const api = await freshApi(t);
    api.injectFault({ action: 'DescribeInstances', kind: 'throttle', times: -1 });
    const ac = new AbortController();
    const p = rejection(() => client(api, { maxAttempts: 20 }).describeInstances({}, { signal: ac.signal }));
    await sleep(300);
    const at = performance.now();
    ac.abort();
    const e = await p;
    assert.ok(performance.now() - at < 1000); // the server holds it 5 s: anything near that is a wait
    expectFields(e, { code: 'ClientError.Aborted' });
    const n = api.log.length;
    await sleep(300);
    assert.equal(api.log.length, n, 'no request after the abort');
  });

  test('aborted while the credentials provider is pending: settles at once', async (t) => {
    const api = await freshApi(t);
    const ac = new AbortController();
    const c = client(api, { credentials: () => new Promise(() => {}) });
    const p = rejection(() => c.describeInstances({}, { signal: ac.signal }));
    await sleep(50);
    const at = performance.now();
    ac.abort();
    const e = await p;
    assert.ok(performance.now() - at < 1000); // the server holds it 5 s: anything near that is a wait
    expectFields(e, { code: 'ClientError.Aborted', kind: 'aborted' });
    assert.equal(api.log.length, 0);
  });

  test('the resetInstance function honours config.signal during the call', async (t) => {
    const api = await freshApi(t);
    api.injectFault({ action: 'ResetInstance', kind: 'slow', delayMs: 5000 });
    const ac = new AbortController();
    const p = rejection(() => resetInstance({ InstanceId: LINUX }, { credentials: KEY, endpoint: api.url, rateLimit: false, signal: ac.signal }));
    await sleep(100);
    const at = performance.now();
    ac.abort();
    expectFields(await p, { code: 'ClientError.Aborted', action: 'ResetInstance' });
    assert.ok(performance.now() - at < 1000); // the server holds it 5 s: anything near that is a wait
  });
});

// ---------------------------------------------------------------------------------------------------------
// Throttling and the client's own limiter

describe('throttling', () => {
  test('a throttled read is retried and succeeds', async (t) => {
    const api = await freshApi(t);
    api.injectFault({ action: 'DescribeInstances', kind: 'throttle', times: 2 });
    const out = await client(api).describeInstances({ Limit: 1 });
    assert.equal(out.InstanceSet.length, 1);
    assert.deepEqual(
      entries(api, 'DescribeInstances').map((e) => e.errorCode),
      ['RequestLimitExceeded', 'RequestLimitExceeded', null],
    );
    assert.equal(api.stats().throttled, 2);
  });

  test('a throttled ResetInstance is retried (the service refused it) and succeeds: exactly one effective reset', async (t) => {
    const api = await freshApi(t);
    api.injectFault({ action: 'ResetInstance', kind: 'throttle', times: 2 });
    const out = await client(api).resetInstance({ InstanceId: LINUX, BlueprintId: UBUNTU });
    assert.equal(entries(api, 'ResetInstance').length, 3);
    assert.deepEqual(
      effectiveResets(api).map((e) => e.requestId),
      [out.RequestId],
    );
    assert.equal(api.getInstance(LINUX).LatestOperationRequestId, out.RequestId);
  });

  test('throttled on every attempt: RequestLimitExceeded, kind throttling, after maxAttempts', async (t) => {
    const api = await freshApi(t);
    api.injectFault({ action: 'ResetInstance', kind: 'throttle', times: -1 });
    const e = await rejection(() => client(api, { maxAttempts: 3 }).resetInstance({ InstanceId: LINUX }));
    expectFields(e, { code: 'RequestLimitExceeded', kind: 'throttling', retryable: true, httpStatus: 200, action: 'ResetInstance' });
    assert.equal(entries(api, 'ResetInstance').length, 3);
    assert.equal(e.requestId, entries(api, 'ResetInstance')[2].requestId);
    assert.equal(effectiveResets(api).length, 0);
  });

  test('rateLimit (default on): calls with one SecretId and action are spaced ~100 ms, across clients of the realm', async (t) => {
    const LIMITED = { secretId: 'AKIDClientTestLimiter00000000000000006', secretKey: 'ClientTest-limiter-key-DO-NOT-LEAK-0006' };
    const api = await freshApi(t, { credentials: [LIMITED] });
    const c1 = new LighthouseClient({ credentials: LIMITED, endpoint: api.url, region: 'ap-guangzhou' });
    const c2 = new LighthouseClient({ credentials: LIMITED, endpoint: api.url, region: 'ap-guangzhou' });
    await Promise.all([c1.describeBlueprints(), c2.describeBlueprints(), c1.describeBlueprints(), c2.describeBlueprints()]);
    const times = entries(api, 'DescribeBlueprints').map((e) => e.time);
    assert.equal(times.length, 4);
    const span = times[3] - times[0];
    assert.ok(span >= 250, `4 calls arrived within ${span} ms`);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Clock skew

describe('clock skew (AuthFailure.SignatureExpire)', () => {
  // The learnt offset is kept per endpoint host for the whole realm: teach it back to ~0 so a later API that
  // happens to get the same port is not affected.
  async function forgetSkew(api) {
    api.configure({ clockOffsetMs: 0 });
    await client(api).describeBlueprints({ Limit: 1 });
  }

  for (const offset of [3_600_000, -3_600_000]) {
    test(`server clock ${offset > 0 ? 'ahead' : 'behind'} by 1 h: one SignatureExpire, re-signed, then the offset is kept`, async (t) => {
      const api = await freshApi(t);
      api.configure({ clockOffsetMs: offset });
      const c = client(api);
      const first = await c.describeInstances({ Limit: 1 });
      assert.equal(first.InstanceSet.length, 1);
      assert.deepEqual(
        api.log.map((e) => e.errorCode),
        ['AuthFailure.SignatureExpire', null],
      );
      // Later calls (another action, another client of the same endpoint) sign with the learnt offset.
      const second = await client(api).describeBlueprints({ Limit: 1 });
      assert.equal(second.BlueprintSet.length, 1);
      const out = await c.resetInstance({ InstanceId: LINUX });
      assert.deepEqual(
        api.log.map((e) => e.errorCode),
        ['AuthFailure.SignatureExpire', null, null, null],
      );
      assert.deepEqual(
        effectiveResets(api).map((e) => e.requestId),
        [out.RequestId],
      );
      await forgetSkew(api);
    });
  }

  test('ResetInstance as the first call: SignatureExpire, re-signed once, exactly one effective reset', async (t) => {
    const api = await freshApi(t);
    api.configure({ clockOffsetMs: 2 * 3_600_000 });
    const out = await resetInstance({ InstanceId: LINUX }, { credentials: KEY, endpoint: api.url, rateLimit: false });
    assert.deepEqual(
      entries(api, 'ResetInstance').map((e) => e.errorCode),
      ['AuthFailure.SignatureExpire', null],
    );
    assert.deepEqual(
      effectiveResets(api).map((e) => e.requestId),
      [out.RequestId],
    );
    await forgetSkew(api);
  });

  test('no Date header to learn from: SignatureExpire surfaced (kind clockSkew) after at most one re-sign', async (t) => {
    const api = await freshApi(t);
    api.configure({ clockOffsetMs: -3 * 3_600_000 });
    const noDate = async (url, init) => {
      const r = await fetch(url, init);
      const headers = [...r.headers].filter(([k]) => k.toLowerCase() !== 'date');
      return new Response(await r.arrayBuffer(), { status: r.status, headers });
    };
    const e = await rejection(() => client(api, { fetch: noDate }).describeInstances());
    expectFields(e, { code: 'AuthFailure.SignatureExpire', kind: 'clockSkew', retryable: true, httpStatus: 200, action: 'DescribeInstances' });
    assert.ok(api.log.length >= 1 && api.log.length <= 2, `sent ${api.log.length} times`);
    assert.equal(e.requestId, api.log.at(-1).requestId);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Credentials

describe('credentials', () => {
  const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;

  test('async provider with token/expiresAt: accepted by the API; concurrent calls invoke it once', async (t) => {
    const api = await freshApi(t);
    let calls = 0;
    const provider = async () => {
      calls++;
      await sleep(30);
      return { ...TEMP, expiresAt: inAnHour() };
    };
    const c = client(api, { credentials: provider });
    const outs = await Promise.all([
      c.describeInstances({ Limit: 1 }),
      c.describeBlueprints({ Limit: 1 }),
      c.describeInstances({ InstanceIds: [LINUX] }),
      c.resetInstance({ InstanceId: LINUX }),
    ]);
    assert.equal(calls, 1);
    assert.equal(outs.length, 4);
    assert.ok(api.log.every((e) => e.ok && e.secretId === TEMP.secretId));
    await c.describeInstances({ Limit: 1 });
    assert.equal(calls, 1, 'cached while far from expiry');
  });

  test('refreshed when within 5 minutes of expiresAt', async (t) => {
    const api = await freshApi(t);
    const now = () => Math.floor(Date.now() / 1000);
    const plan = [now() + 200, now() + 3600]; // the first is already inside the 5-minute margin
    let calls = 0;
    const provider = async () => ({ ...TEMP, expiresAt: plan[Math.min(calls++, plan.length - 1)] });
    const c = client(api, { credentials: provider });
    await c.describeInstances({ Limit: 1 });
    assert.equal(calls, 1);
    await c.describeInstances({ Limit: 1 });
    assert.equal(calls, 2, 'refreshed: the cached credentials expire in < 5 min');
    await c.describeInstances({ Limit: 1 });
    await c.describeBlueprints({ Limit: 1 });
    assert.equal(calls, 2, 'not refreshed: expiry an hour away');
    assert.ok(api.log.every((e) => e.ok));
  });

  test('the refreshed credentials are the ones used (rotation to another key pair)', async (t) => {
    const api = await freshApi(t);
    const now = () => Math.floor(Date.now() / 1000);
    const seq = [
      { ...KEY, expiresAt: now() + 10 },
      { ...TEMP, expiresAt: now() + 3600 },
    ];
    let i = 0;
    const c = client(api, { credentials: async () => seq[Math.min(i++, 1)] });
    await c.describeInstances({ Limit: 1 });
    await c.describeInstances({ Limit: 1 });
    assert.deepEqual(
      api.log.map((e) => e.secretId),
      [KEY.secretId, TEMP.secretId],
    );
  });

  test('a provider that throws or rejects: ClientError.Credentials with the cause; not sent; retried on the next call', async (t) => {
    const api = await freshApi(t);
    const boom = new Error('vault unreachable');
    const syncThrow = () => {
      throw boom;
    };
    const e1 = await rejection(() => client(api, { credentials: syncThrow }).describeInstances());
    expectFields(e1, { code: 'ClientError.Credentials', kind: 'auth', retryable: false, action: 'DescribeInstances' });
    assert.equal(e1.cause, boom);

    let n = 0;
    const flaky = async () => {
      n++;
      if (n === 1) throw boom;
      return { ...KEY };
    };
    const c = client(api, { credentials: flaky });
    const e2 = await rejection(() => c.resetInstance({ InstanceId: LINUX }));
    expectFields(e2, { code: 'ClientError.Credentials', kind: 'auth', action: 'ResetInstance' });
    assert.equal(e2.cause, boom);
    assert.equal(api.log.length, 0);
    await c.resetInstance({ InstanceId: LINUX });
    assert.equal(n, 2, 'the failure was not cached');
    assert.equal(effectiveResets(api).length, 1);
  });

  const garbage = [
    ['42', 42],
    ['null', null],
    ['a string', 'AKID:secret'],
    ['{}', {}],
    ['no secretKey', { secretId: KEY.secretId }],
    ['secretKey a number', { secretId: KEY.secretId, secretKey: 5 }],
    ['secretId with a space (and a real key)', { secretId: 'AKID has space', secretKey: KEY.secretKey }],
    ['expiresAt "tomorrow"', { ...TEMP, expiresAt: 'tomorrow' }],
  ];
  for (const [label, value] of garbage) {
    test(`a provider returning garbage (${label}): ClientError.Credentials, nothing sent`, async (t) => {
      const api = await freshApi(t);
      const e = await rejection(() => client(api, { credentials: async () => value }).describeInstances(), label);
      expectFields(e, { code: 'ClientError.Credentials', kind: 'auth', retryable: false });
      assert.equal(api.log.length, 0);
    });
  }

  test('static temporary credentials with token are accepted; a wrong or missing token -> AuthFailure.TokenFailure', async (t) => {
    const api = await freshApi(t);
    const out = await client(api, { credentials: TEMP }).resetInstance({ InstanceId: LINUX });
    assert.equal(effectiveResets(api)[0].requestId, out.RequestId);
    const wrong = await rejection(() => client(api, { credentials: { ...TEMP, token: WRONG_TOKEN } }).describeInstances());
    expectFields(wrong, { code: 'AuthFailure.TokenFailure', kind: 'auth', retryable: false, httpStatus: 200 });
    const providerWrong = await rejection(() => client(api, { credentials: async () => ({ ...TEMP, token: WRONG_TOKEN }) }).describeInstances());
    expectFields(providerWrong, { code: 'AuthFailure.TokenFailure', kind: 'auth' });
    const missing = await rejection(() => client(api, { credentials: { secretId: TEMP.secretId, secretKey: TEMP.secretKey } }).describeInstances());
    expectFields(missing, { code: 'AuthFailure.TokenFailure', kind: 'auth' });
    assert.equal(api.log.length, 4);
  });
});

describe('Node env credentials (TENCENTCLOUD_*)', () => {
  const baseEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TENCENTCLOUD_')));
  const childCode = `
    import { LighthouseClient, TencentCloudError } from 'tc3-lighthouse';
    const c = new LighthouseClient({ endpoint: process.env.CLIENT_TEST_ENDPOINT, region: 'ap-guangzhou', rateLimit: false });
    try {
      const r = await c.describeInstances({ InstanceIds: ['${LINUX}'] });
      console.log(JSON.stringify({ ok: true, id: r.InstanceSet[0].InstanceId, requestId: r.RequestId }));
    } catch (e) {
      console.log(JSON.stringify({ ok: false, isError: TencentCloudError.isInstance(e), code: e.code, kind: e.kind, message: e.message,
        rendered: [String(e), e.stack, JSON.stringify(e)].join('\\n') }));
    }`;
  const runChild = (env) =>
    new Promise((resolve, reject) => {
      execFile(process.execPath, ['--input-type=module', '-e', childCode], { cwd: root, env, timeout: 20_000 }, (err, stdout, stderr) => {
        if (err) reject(new Error(`child failed: ${err.message}\n${stderr}`));
        else resolve(JSON.parse(stdout.trim().split('\n').at(-1)));
      });
    });

  test('a child process with TENCENTCLOUD_SECRET_ID/_SECRET_KEY and no config.credentials works', async (t) => {
    const api = await freshApi(t);
    const out = await runChild({ ...baseEnv, CLIENT_TEST_ENDPOINT: api.url, TENCENTCLOUD_SECRET_ID: KEY.secretId, TENCENTCLOUD_SECRET_KEY: KEY.secretKey });
    assert.equal(out.ok, true, JSON.stringify(out));
    assert.equal(out.id, LINUX);
    assert.equal(api.log.length, 1);
    assert.equal(api.log[0].secretId, KEY.secretId);
    assert.equal(api.log[0].requestId, out.requestId);
  });

  test('with TENCENTCLOUD_SESSION_TOKEN too (temporary credentials); a wrong one -> AuthFailure.TokenFailure', async (t) => {
    const api = await freshApi(t);
    const env = { ...baseEnv, CLIENT_TEST_ENDPOINT: api.url, TENCENTCLOUD_SECRET_ID: TEMP.secretId, TENCENTCLOUD_SECRET_KEY: TEMP.secretKey };
    const [good, bad] = await Promise.all([
      runChild({ ...env, TENCENTCLOUD_SESSION_TOKEN: TEMP.token }),
      runChild({ ...env, TENCENTCLOUD_SESSION_TOKEN: WRONG_TOKEN }),
    ]);
    assert.equal(good.ok, true, JSON.stringify(good));
    assert.equal(bad.ok, false);
    assert.equal(bad.code, 'AuthFailure.TokenFailure');
    for (const s of SECRETS) assert.ok(!bad.rendered.includes(s), 'secret leaked in the child error');
  });

  test('with none set: ClientError.Credentials naming the variables', async (t) => {
    const api = await freshApi(t);
    const out = await runChild({ ...baseEnv, CLIENT_TEST_ENDPOINT: api.url });
    assert.equal(out.ok, false);
    assert.equal(out.isError, true);
    assert.equal(out.code, 'ClientError.Credentials');
    assert.equal(out.kind, 'auth');
    assert.match(out.message, /TENCENTCLOUD_SECRET_ID/);
    assert.equal(api.log.length, 0);
  });

  test('in-process: the environment is read at call time', async (t) => {
    const api = await freshApi(t);
    const saved = { ...process.env };
    t.after(() => {
      for (const k of Object.keys(process.env)) if (k.startsWith('TENCENTCLOUD_')) delete process.env[k];
      for (const [k, v] of Object.entries(saved)) if (k.startsWith('TENCENTCLOUD_')) process.env[k] = v;
    });
    for (const k of Object.keys(process.env)) if (k.startsWith('TENCENTCLOUD_')) delete process.env[k];
    const c = new LighthouseClient({ endpoint: api.url, region: 'ap-guangzhou', rateLimit: false });
    const e = await rejection(() => c.describeInstances());
    expectFields(e, { code: 'ClientError.Credentials', kind: 'auth' });
    process.env.TENCENTCLOUD_SECRET_ID = KEY.secretId;
    process.env.TENCENTCLOUD_SECRET_KEY = KEY.secretKey;
    const out = await c.describeInstances({ Limit: 1 });
    assert.equal(out.InstanceSet.length, 1);
    assert.equal(api.log[0].secretId, KEY.secretId);
    assertNoLeak(c, 'env client');
  });
});

// ---------------------------------------------------------------------------------------------------------
// No secret leaks (every error above is also checked by rejection()/thrown())

describe('no secret leaks', () => {
  test('the leak detector itself catches a secret in a message, a property, or a cause', () => {
    const withMessage = new Error(`oops ${KEY.secretKey}`);
    assert.throws(() => assertNoLeak(withMessage), /secret leaked/);
    const withProp = Object.assign(new Error('fine'), { config: { credentials: { secretKey: TEMP.secretKey } } });
    assert.throws(() => assertNoLeak(withProp), /secret leaked/);
    const withCause = new Error('fine', { cause: { headers: { 'X-TC-Token': TEMP.token } } });
    assert.throws(() => assertNoLeak(withCause), /secret leaked/);
    const hidden = new Error('fine');
    Object.defineProperty(hidden, 'creds', { value: { k: KEY.secretKey }, enumerable: false });
    assert.throws(() => assertNoLeak(hidden), /secret leaked/);
    assertNoLeak(new Error('nothing here'));
  });

  test('String, JSON.stringify and util.inspect of clients (static, temporary, provider, env) show no secret', async (t) => {
    const api = await freshApi(t);
    const clients = [
      client(api),
      client(api, { credentials: TEMP }),
      client(api, { credentials: async () => ({ ...TEMP, expiresAt: Math.floor(Date.now() / 1000) + 3600 }) }),
      new LighthouseClient({ endpoint: api.url }),
    ];
    for (const c of clients) {
      assertNoLeak(c, 'client');
      assert.match(String(c), /LighthouseClient/);
      assert.ok(String(c).includes(api.url) || JSON.stringify(c).includes(api.url));
    }
    // ...also after calls, when credentials are cached.
    await clients[2].describeInstances({ Limit: 1 });
    await clients[1].describeInstances({ Limit: 1 });
    for (const c of clients) assertNoLeak(c, 'client after a call');
  });

  test('errors whose cause is a fetch TypeError, an abort reason, or a provider error show no secret', async (t) => {
    const api = await freshApi(t);
    const port = await closedPort();
    const net1 = await rejection(() =>
      new LighthouseClient({ credentials: TEMP, endpoint: `http://127.0.0.1:${port}`, rateLimit: false, maxAttempts: 1 }).resetInstance({ InstanceId: LINUX }),
    );
    assert.ok(net1.cause !== undefined, 'a network error carries its cause');
    assertNoLeak(net1, 'network error');
    api.injectFault({ action: 'DescribeInstances', kind: 'connectionReset', times: -1 });
    const net2 = await rejection(() => client(api, { credentials: TEMP, maxAttempts: 1 }).describeInstances());
    assertNoLeak(net2, 'reset error');
    // A custom fetch whose error echoes the request (headers include X-TC-Token): that is the user's fetch, but the
    // package's own message, String() and JSON must still be clean.
    const echo = async (url, init) => {
      throw new TypeError(`failed ${url}`);
    };
    const e3 = await rejection(() => client(api, { credentials: TEMP, fetch: echo, maxAttempts: 1 }).describeInstances());
    assert.equal(e3.code, 'ClientError.Network');
    assertNoLeak(e3, 'custom fetch error');
  });
});
