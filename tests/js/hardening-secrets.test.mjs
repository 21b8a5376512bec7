// Issue #7, secrets: across every fault of the local Lighthouse API, the server's auth failures, credentials
// providers and the bad-input matrix, no SecretKey and no token ever appears in an error's message, stack,
// String(), JSON.stringify, util.inspect (depth 10, showHidden), its `cause`, in anything a call returns
// (results, fleet results, the signing proxy's answers to a page), in console or stdout/stderr output, or in
// the printed forms of a client and of the proxy handler. Every secret is a distinctive canary.
import test, { describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import util from 'node:util';
import { LighthouseClient, createSigningProxy, resetInstance, setRateLimit, signRequest, toNodeListener, waitUntilInstanceReset } from 'tc3-lighthouse';
import { startLighthouseApi } from '../../local-api/server.mjs';
import { badValues, captureOutput, findSecrets, notAPackageError, renderings, settle } from './hardening-helpers.mjs';

const SK = 'SK-CANARY-q8Zt4mW2xR7vN3pLk5Jc'; // 30 characters, like a real SecretKey
const TOKEN = 'TOKEN-CANARY-9fG2hK4mP6rT8vX0zB3dF5jL7nQ1sU3wY5';
const SK_PROVIDED = 'SK-CANARY-PROVIDER-u7Yh3Gf5Dd1S';
const TOKEN_PROVIDED = 'TOKEN-CANARY-PROVIDER-e4R6t8Y0u2I4o6P8';
const SK_WRONG = 'SK-CANARY-WRONG-m3N5b7V9c1X3z5A';
const TOKEN_WRONG = 'TOKEN-CANARY-WRONG-k2J4h6G8f0D2s4A6';
const SK_ENV = 'SK-CANARY-ENV-p1O3i5U7y9T1r3E5';
const TOKEN_ENV = 'TOKEN-CANARY-ENV-w2Q4e6R8t0Y2u4I6o8';
// The prefixes catch a partial (truncated) secret too.
const SECRETS = [SK, TOKEN, SK_PROVIDED, TOKEN_PROVIDED, SK_WRONG, TOKEN_WRONG, SK_ENV, TOKEN_ENV, 'SK-CANARY', 'TOKEN-CANARY'];

const TEMP = { secretId: 'AKIDCanaryTemporary000000000000001', secretKey: SK, token: TOKEN };
const PROVIDED = { secretId: 'AKIDCanaryProvided0000000000000002', secretKey: SK_PROVIDED, token: TOKEN_PROVIDED };
const ENV = { secretId: 'AKIDCanaryEnvironment00000000000003', secretKey: SK_ENV, token: TOKEN_ENV };
const LINUX = 'lhins-ruy9d2tw';
const DONE = 'lhins-abcd1234'; // reset once before the matrix: its last ResetInstance is SUCCESS
const WAIT = { maxWaitSeconds: 0.3, minDelaySeconds: 0.02, maxDelaySeconds: 0.1 };

let api;
let proxyServer;
let proxyUrl;
const capture = captureOutput();
const saved = {};

before(async () => {
  setRateLimit(false);
  api = await startLighthouseApi({ credentials: [TEMP, PROVIDED, ENV], rateLimit: 0, operatingPolls: 1 });
  for (const [k, v] of Object.entries({ TENCENTCLOUD_SECRET_ID: ENV.secretId, TENCENTCLOUD_SECRET_KEY: SK_ENV, TENCENTCLOUD_SESSION_TOKEN: TOKEN_ENV })) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  const handler = createSigningProxy({ credentials: TEMP, endpoint: api.url, region: 'ap-guangzhou', maxAttempts: 2, rateLimit: false });
  proxyServer = http.createServer(toNodeListener(handler));
  await new Promise((r) => proxyServer.listen(0, '127.0.0.1', r));
  proxyUrl = `http://127.0.0.1:${proxyServer.address().port}`;
});

after(async () => {
  capture.stop();
  for (const [k, v] of Object.entries(saved))
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  setRateLimit(10);
  await new Promise((r) => proxyServer.close(r));
  proxyServer.closeAllConnections?.();
  await api.close();
});

/** Everything a scenario produced, to be scanned: errors, results, answers, printed forms. */
function collector() {
  const items = [];
  return {
    items,
    add(label, value) {
      items.push({ label, value });
    },
    /** Settles `fn` and keeps what came out (the error, or the value). */
    async run(label, fn, ms = 10_000) {
      const out = await settle(fn, ms);
      if (out.how === 'hang') items.push({ label: `${label} (hang)`, value: undefined });
      else items.push({ label, value: out.error ?? out.value, out });
      return out;
    },
  };
}

function assertClean(c, { allowTokenIn = () => false } = {}) {
  const problems = [];
  let errors = 0;
  for (const { label, value, out } of c.items) {
    if (out && (out.how === 'threw' || out.how === 'rejected')) {
      errors++;
      const why = notAPackageError(out.error);
      if (why) problems.push(`${label}: ${why}`);
    }
    const secrets = allowTokenIn(label) ? SECRETS.filter((s) => !s.startsWith('TOKEN')) : SECRETS;
    const [hit] = findSecrets(renderings(value), secrets); // the first hit per call is enough
    if (hit) problems.push(`${label}: ${hit}`);
  }
  assert.deepEqual(problems.slice(0, 40), [], `${problems.length} problem(s)`);
  return errors;
}

const signed = (extra = {}) =>
  new LighthouseClient({ credentials: TEMP, endpoint: api.url, region: 'ap-guangzhou', rateLimit: false, maxAttempts: 2, ...extra });

/** Every way of calling the API, each with a fresh client. */
const CALLS = {
  describeInstances: () => signed().describeInstances({ InstanceIds: [LINUX] }),
  describeBlueprints: () => signed().describeBlueprints({ Limit: 5 }),
  resetInstance: () => signed().resetInstance({ InstanceId: LINUX }),
  request: () => signed().request('DescribeInstances', { Limit: 1 }),
  'module resetInstance': () =>
    resetInstance({ InstanceId: LINUX }, { credentials: TEMP, endpoint: api.url, region: 'ap-guangzhou', rateLimit: false, maxAttempts: 2 }),
  waitUntilInstanceReset: () => signed().waitUntilInstanceReset({ InstanceId: LINUX }, WAIT),
  resetInstanceAndWait: () => signed().resetInstanceAndWait({ InstanceId: LINUX }, WAIT),
  resetInstances: () => signed().resetInstances([{ InstanceId: LINUX }, { InstanceId: 'lhins-abcd1234' }], WAIT),
  'module waitUntilInstanceReset': () =>
    waitUntilInstanceReset({ InstanceId: LINUX }, { credentials: TEMP, endpoint: api.url, region: 'ap-guangzhou', rateLimit: false, maxAttempts: 2, ...WAIT }),
  'credentials provider': () =>
    new LighthouseClient({ credentials: async () => PROVIDED, endpoint: api.url, region: 'ap-guangzhou', rateLimit: false, maxAttempts: 2 }).describeInstances(
      {},
    ),
  'TENCENTCLOUD_* environment': () =>
    new LighthouseClient({ endpoint: api.url, region: 'ap-guangzhou', rateLimit: false, maxAttempts: 2 }).resetInstance({ InstanceId: LINUX }),
  'page -> signing proxy (client)': () =>
    new LighthouseClient({ endpoint: proxyUrl, unsigned: true, region: 'ap-guangzhou', rateLimit: false, maxAttempts: 2 }).describeInstances({
      InstanceIds: [LINUX],
    }),
  'page -> signing proxy (raw answer)': async () => {
    const res = await fetch(proxyUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'X-TC-Action': 'ResetInstance' },
      body: JSON.stringify({ InstanceId: LINUX }),
    });
    return { status: res.status, headers: Object.fromEntries(res.headers), body: await res.text() };
  },
};

const FAULTS = [
  { kind: 'html500' },
  { kind: 'badGateway' },
  { kind: 'nonJson' },
  { kind: 'empty' },
  { kind: 'truncated' },
  { kind: 'slow', delayMs: 150, timeoutMs: 50 },
  { kind: 'connectionReset' },
  { kind: 'answerLost' },
  { kind: 'throttle' },
  { kind: 'serviceError', code: 'AuthFailure.UnauthorizedOperation', message: 'You are not authorized.' },
  { kind: 'serviceError', code: 'InternalError' },
  { kind: 'hideInstance', instanceId: LINUX },
];

describe('every fault of the local API, through every call', () => {
  for (const f of FAULTS) {
    test(`${f.kind}${f.code ? ` ${f.code}` : ''}`, async (t) => {
      const c = collector();
      for (const [name, call] of Object.entries(CALLS)) {
        api.reset();
        api.injectFault({ times: -1, ...f });
        await c.run(`${f.kind} / ${name}`, call);
        api.clearFaults();
      }
      if (f.timeoutMs) {
        api.injectFault({ times: -1, ...f });
        await c.run(`${f.kind} / describeInstances with timeoutMs`, () => signed({ timeoutMs: f.timeoutMs }).describeInstances({ InstanceIds: [LINUX] }));
        await c.run(`${f.kind} / resetInstance with timeoutMs`, () => signed({ timeoutMs: f.timeoutMs }).resetInstance({ InstanceId: LINUX }));
        api.clearFaults();
      }
      const errors = assertClean(c);
      t.diagnostic(`${c.items.length} calls, ${errors} failed with an error; no canary anywhere`);
    });
  }
});

describe("the service's own auth failures", () => {
  const cases = {
    'wrong SecretKey (SignatureFailure)': { credentials: { ...TEMP, secretKey: SK_WRONG } },
    'wrong token (TokenFailure)': { credentials: { ...TEMP, token: TOKEN_WRONG } },
    'unknown SecretId (SecretIdNotFound)': { credentials: { secretId: 'AKIDCanaryUnknown0000000000000009', secretKey: SK_WRONG, token: TOKEN_WRONG } },
    'provider with a wrong key': { credentials: async () => ({ ...PROVIDED, secretKey: SK_WRONG }) },
  };
  for (const [label, cfg] of Object.entries(cases)) {
    test(label, async () => {
      const c = collector();
      const client = new LighthouseClient({ endpoint: api.url, region: 'ap-guangzhou', rateLimit: false, maxAttempts: 2, ...cfg });
      await c.run('describeInstances', () => client.describeInstances({}));
      await c.run('resetInstance', () => client.resetInstance({ InstanceId: LINUX }));
      await c.run('resetInstanceAndWait', () => client.resetInstanceAndWait({ InstanceId: LINUX }, WAIT));
      await c.run('resetInstances', () => client.resetInstances([{ InstanceId: LINUX }], WAIT));
      c.add('client', client);
      const codes = c.items.map((i) => i.out?.error?.code ?? i.out?.value?.[0]?.error?.code).filter(Boolean);
      assert.ok(
        codes.some((x) => x.startsWith('AuthFailure')),
        `an auth failure was seen: ${codes}`,
      );
      assertClean(c);
    });
  }

  test('clock skew: the server 10 minutes ahead (SignatureExpire, corrected, or refused)', async () => {
    api.configure({ clockOffsetMs: 10 * 60_000 });
    try {
      const c = collector();
      await c.run('describeInstances', () => signed().describeInstances({}));
      await c.run('resetInstance', () => signed().resetInstance({ InstanceId: LINUX }));
      assertClean(c);
    } finally {
      api.configure({ clockOffsetMs: 0 });
    }
  });
});

describe('credentials providers that fail', () => {
  const cases = {
    'returns a key with a malformed secretId': async () => ({ secretId: 'AKID with spaces', secretKey: SK_PROVIDED, token: TOKEN_PROVIDED }),
    'returns a token with control characters': async () => ({ secretId: PROVIDED.secretId, secretKey: SK_PROVIDED, token: `${TOKEN_PROVIDED}\r\nX-Evil: 1` }),
    'returns a negative expiresAt': async () => ({ ...PROVIDED, expiresAt: -1 }),
    'returns an empty secretKey and a token': async () => ({ secretId: PROVIDED.secretId, secretKey: '', token: TOKEN_PROVIDED }),
    'returns a string': async () => `${PROVIDED.secretId}:${SK_PROVIDED}`,
    'returns credentials with a throwing getter': async () => ({
      ...PROVIDED,
      get expiresAt() {
        throw new Error('getter');
      },
    }),
    'never settles (aborted after 100 ms)': () => new Promise(() => {}),
  };
  for (const [label, provider] of Object.entries(cases)) {
    test(label, async () => {
      const c = collector();
      const client = new LighthouseClient({ credentials: provider, endpoint: api.url, region: 'ap-guangzhou', rateLimit: false });
      await c.run('describeInstances', () => client.describeInstances({}, { signal: AbortSignal.timeout(100) }));
      await c.run('resetInstance', () => client.resetInstance({ InstanceId: LINUX }, { signal: AbortSignal.timeout(100) }));
      c.add('client', client);
      assert.ok(
        c.items.some((i) => i.out?.how === 'rejected'),
        'the calls failed',
      );
      assertClean(c);
    });
  }
});

describe('the bad-input matrix, with canary credentials', () => {
  before(async () => {
    api.reset();
    const client = signed();
    const { RequestId } = await client.resetInstance({ InstanceId: DONE });
    await client.waitUntilInstanceReset({ InstanceId: DONE, RequestId }, { minDelaySeconds: 0.01, maxDelaySeconds: 0.05 });
  });
  const CONFIG_FIELDS = [
    'credentials',
    'credentials.secretId',
    'credentials.token',
    'credentials.expiresAt',
    'region',
    'endpoint',
    'service',
    'language',
    'timeoutMs',
    'maxAttempts',
    'fetch',
    'unsigned',
    'rateLimit',
  ];
  const set = (o, path, v) => {
    const keys = path.split('.');
    let p = o;
    for (const k of keys.slice(0, -1)) p = p[k];
    p[keys[keys.length - 1]] = v;
  };
  test('every config field of LighthouseClient, resetInstance, waitUntilInstanceReset and createSigningProxy', async (t) => {
    const c = collector();
    for (const field of CONFIG_FIELDS) {
      for (const v of badValues()) {
        const config = () => {
          const o = { credentials: { ...TEMP }, endpoint: api.url, region: 'ap-guangzhou', rateLimit: false, maxAttempts: 1 };
          set(o, field, v.make());
          return o;
        };
        await c.run(`new LighthouseClient({${field}: ${v.label}})`, () => new LighthouseClient(config()).describeInstances({}), 3000);
        await c.run(`resetInstance(..., {${field}: ${v.label}})`, () => resetInstance({ InstanceId: LINUX }, config()), 3000);
        await c.run(`waitUntilInstanceReset(..., {${field}: ${v.label}})`, () => waitUntilInstanceReset({ InstanceId: DONE }, { ...config(), ...WAIT }), 3000);
        await c.run(`createSigningProxy({${field}: ${v.label}})`, () => createSigningProxy(config()), 3000);
      }
    }
    const errors = assertClean(c);
    t.diagnostic(`${c.items.length} calls, ${errors} errors; no canary anywhere`);
  });

  test('every input and option field of the client methods', async (t) => {
    const c = collector();
    const client = signed({ maxAttempts: 1 });
    for (const v of badValues()) {
      const x = () => v.make();
      await c.run(`resetInstance(${v.label})`, () => client.resetInstance(x()), 3000);
      await c.run(`resetInstance({InstanceId: ${v.label}})`, () => client.resetInstance({ InstanceId: x() }), 3000);
      await c.run(
        `resetInstance({LoginConfiguration: {Password: ${v.label}}})`,
        () => client.resetInstance({ InstanceId: LINUX, LoginConfiguration: { Password: x() } }),
        3000,
      );
      await c.run(`describeInstances({InstanceIds: [${v.label}]})`, () => client.describeInstances({ InstanceIds: [x()] }), 3000);
      await c.run(`describeInstances({}, {timeoutMs: ${v.label}})`, () => client.describeInstances({}, { timeoutMs: x() }), 3000);
      await c.run(`request(${v.label})`, () => client.request(x(), {}), 3000);
      await c.run(`waitUntilInstanceReset({RequestId: ${v.label}})`, () => client.waitUntilInstanceReset({ InstanceId: DONE, RequestId: x() }, WAIT), 3000);
      await c.run(`resetInstances([${v.label}])`, () => client.resetInstances([x()], WAIT), 3000);
      await c.run(
        `signRequest({secretKey: SK, timestamp: ${v.label}})`,
        () => signRequest({ secretId: TEMP.secretId, secretKey: SK, token: TOKEN, action: 'A', timestamp: x() }),
        3000,
      );
      await c.run(
        `signRequest({secretKey: SK, region: ${v.label}})`,
        () => signRequest({ secretId: TEMP.secretId, secretKey: SK, token: TOKEN, action: 'A', region: x() }),
        3000,
      );
    }
    // A successful signRequest returns the token in headers['X-TC-Token'] by design; its key must not be there.
    const errors = assertClean(c, { allowTokenIn: (label) => label.startsWith('signRequest') });
    t.diagnostic(`${c.items.length} calls, ${errors} errors; no canary anywhere`);
  });

  test('a SecretKey or token pasted into the wrong field is not echoed back', async () => {
    // Messages "are built from field names and codes, never from values" (README).
    const c = collector();
    const client = signed({ maxAttempts: 1 });
    for (const s of [SK, TOKEN]) {
      const tag = s === SK ? 'SK' : 'TOKEN';
      await c.run(`resetInstance({InstanceId: ${tag}})`, () => client.resetInstance({ InstanceId: s }));
      await c.run(`resetInstance({BlueprintId: ${tag}})`, () => client.resetInstance({ InstanceId: LINUX, BlueprintId: s }));
      await c.run(`describeInstances({InstanceIds: [${tag}]})`, () => client.describeInstances({ InstanceIds: [s] }));
      await c.run(`describeBlueprints({BlueprintIds: [${tag}]})`, () => client.describeBlueprints({ BlueprintIds: [s] }));
      await c.run(`waitUntilInstanceReset({InstanceId: ${tag}})`, () => client.waitUntilInstanceReset({ InstanceId: s }, WAIT));
      // A fleet result's own `InstanceId` is the caller's input handed back; its `error` is the package's.
      await c.run(`resetInstances([{InstanceId: ${tag}}])`, () => client.resetInstances([{ InstanceId: s }], WAIT).then((rs) => rs.map((r) => r.error)));
      await c.run(`request(${tag})`, () => client.request(s, {}));
      await c.run(`signRequest({secretId: ${tag}})`, () => signRequest({ secretId: `${s} `, secretKey: SK, action: 'A' }));
      await c.run(`signRequest({action: ${tag}})`, () => signRequest({ secretId: 'AKID1', secretKey: SK, action: s }));
      await c.run(`signRequest({region: ${tag}})`, () => signRequest({ secretId: 'AKID1', secretKey: SK, action: 'A', region: `${s} ` }));
      await c.run(`signRequest({language: ${tag}})`, () => signRequest({ secretId: 'AKID1', secretKey: SK, action: 'A', language: s }));
      await c.run(`signRequest({method: ${tag}})`, () => signRequest({ secretId: 'AKID1', secretKey: SK, action: 'A', method: s }));
      await c.run(`new LighthouseClient({credentials: {secretId: ${tag}}})`, () => new LighthouseClient({ credentials: { secretId: `${s} `, secretKey: SK } }));
      await c.run(`new LighthouseClient({region: ${tag}})`, () => new LighthouseClient({ credentials: TEMP, region: `${s}!` }));
      await c.run(`new LighthouseClient({endpoint: ${tag}})`, () => new LighthouseClient({ credentials: TEMP, endpoint: s }));
      await c.run(`new LighthouseClient({language: ${tag}})`, () => new LighthouseClient({ credentials: TEMP, language: s }));
      await c.run(`createSigningProxy({allowActions: [${tag}-]})`, () => createSigningProxy({ credentials: TEMP, allowActions: [`${s}-`] }));
    }
    for (const { label, out } of c.items) {
      const refused = out.how === 'threw' || out.how === 'rejected' || (out.how === 'resolved' && out.value?.[0] instanceof Error);
      assert.ok(refused, `${label} was refused`);
    }
    assertClean(c);
  });
});

describe('redirects', () => {
  test('an endpoint that redirects to another origin never gets the token sent there, nor its answer trusted', async (t) => {
    // The API never redirects. Following a 307 re-sends the signed request, X-TC-Token included (fetch
    // drops only Authorization across origins), to whatever host the Location names.
    const seen = [];
    const other = http.createServer((req, res) => {
      seen.push(req.headers);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"Response":{"RequestId":"from-the-other-origin","TotalCount":0,"InstanceSet":[]}}');
    });
    await new Promise((r) => other.listen(0, '127.0.0.1', r));
    const redirector = http.createServer((req, res) => {
      res.writeHead(307, { location: `http://localhost:${other.address().port}/` });
      res.end();
    });
    await new Promise((r) => redirector.listen(0, '127.0.0.1', r));
    t.after(() => {
      other.close();
      redirector.close();
      other.closeAllConnections?.();
      redirector.closeAllConnections?.();
    });
    const c = collector();
    const client = new LighthouseClient({ credentials: TEMP, endpoint: `http://127.0.0.1:${redirector.address().port}`, rateLimit: false, maxAttempts: 1 });
    const out = await c.run('describeInstances via a redirect', () => client.describeInstances({}));
    assertClean(c);
    assert.deepEqual(
      findSecrets(
        seen.map((h) => JSON.stringify(h)),
        SECRETS,
      ),
      [],
      'the other origin received a secret',
    );
    assert.equal(seen.length, 0, 'the request was re-sent to another origin');
    assert.equal(out.how, 'rejected', "a redirect is not the API's answer");
    assert.equal(out.error.code, 'ClientError.BadResponse');
  });
});

describe('printed forms', () => {
  test('a client, its config after use, and the proxy handler print no secret', async () => {
    const c = collector();
    const config = { credentials: { ...TEMP }, endpoint: api.url, region: 'ap-guangzhou', rateLimit: false };
    const before = JSON.stringify(config);
    const client = new LighthouseClient(config);
    await client.describeInstances({});
    const provider = new LighthouseClient({ credentials: async () => PROVIDED, endpoint: api.url, region: 'ap-guangzhou', rateLimit: false });
    await provider.describeInstances({});
    const env = new LighthouseClient({ endpoint: api.url, region: 'ap-guangzhou', rateLimit: false });
    await env.describeInstances({});
    for (const [label, v] of Object.entries({ client, provider, env })) {
      c.add(label, v);
      c.add(`${label}.toString()`, v.toString());
      c.add(`${label}.toJSON()`, v.toJSON());
      c.add(
        `${label} own and inherited keys`,
        Object.fromEntries([...Reflect.ownKeys(v), ...Reflect.ownKeys(Object.getPrototypeOf(v))].map((k) => [String(k), String(typeof v[k])])),
      );
    }
    const handler = createSigningProxy({ credentials: TEMP, endpoint: api.url });
    c.add('handler', handler);
    c.add('String(handler)', String(handler));
    c.add('handler own keys', Reflect.ownKeys(handler).map(String));
    assertClean(c);
    assert.equal(JSON.stringify(config), before, 'the package did not write to the config object');
    assert.ok(util.inspect(client).length < 500);
  });

  test("signRequest's result holds the token only in headers['X-TC-Token'], and never the SecretKey", () => {
    const out = signRequest({ secretId: TEMP.secretId, secretKey: SK, token: TOKEN, action: 'DescribeInstances', timestamp: 1_700_000_000 });
    assert.deepEqual(findSecrets(renderings(out), [SK, 'SK-CANARY']), []);
    const { 'X-TC-Token': tok, ...rest } = out.headers;
    assert.equal(tok, TOKEN);
    assert.deepEqual(findSecrets(renderings({ ...out, headers: rest }), [TOKEN]), []);
  });
});

describe('console and process output', () => {
  test('no canary was written to console.* or process.stdout/stderr during the whole file', async () => {
    await new Promise((r) => setTimeout(r, 100));
    const text = capture.chunks.join('\n');
    // Our own test names and diagnostics never contain a canary, so any hit is the package's (or the
    // local API's) doing.
    assert.deepEqual(findSecrets([text], SECRETS), []);
  });
});
