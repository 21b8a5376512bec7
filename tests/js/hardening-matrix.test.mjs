// Issue #7, the bad-input matrix: every export, every config, input and option field, against undefined,
// null, numbers (NaN, ±Infinity, negative, huge), empty / 5 MB / NUL / lone-surrogate strings, arrays,
// objects with throwing getters or toString, symbols, functions, BigInts, `__proto__` keys and hostile
// objects (revoked proxies, throwing traps, arrays whose elements or iterator throw, fake AbortSignals).
//
// For every case: the call settles within 2 s (the fetch spy answers at once); a failure, thrown or
// rejected, is a TencentCloudError (never a RuntimeError, a TypeError or a user's own exception); invalid
// input is refused before any request (a counting fetch spy); valid input is accepted; `Object.prototype` is
// never polluted. At the end the same module instance still signs the vectors and calls the local API.
import test, { describe, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import {
  LighthouseClient,
  TencentCloudError,
  createSigningProxy,
  resetInstance,
  resetInstanceAndWait,
  resetInstances,
  setRateLimit,
  signRequest,
  toNodeListener,
  waitUntilInstanceReset,
} from 'tc3-lighthouse';
import { startLighthouseApi, DEMO_CREDENTIALS } from '../../local-api/server.mjs';
import {
  PRE_REQUEST_CODES,
  RID,
  badValues,
  cleanPollution,
  fakeAbortSignal,
  makeFetchSpy,
  notAPackageError,
  polluted,
  protoKeyed,
  settle,
  sha256Utf8,
  show,
  signingVectors,
} from './hardening-helpers.mjs';

// ---------------------------------------------------------------------------------------------------------
// The environment: no call may reach the network. config.fetch is a counting spy; the global fetch is the
// same spy (configs without `fetch`); TENCENTCLOUD_* hold test values (configs without `credentials`).

const spy = makeFetchSpy();
const realFetch = globalThis.fetch;
globalThis.fetch = spy.fetch;
const savedEnv = {};
for (const [k, v] of Object.entries({
  TENCENTCLOUD_SECRET_ID: 'AKIDMatrixEnv00000000000000000000',
  TENCENTCLOUD_SECRET_KEY: 'matrix-env-key-0000000000000000',
  TENCENTCLOUD_SESSION_TOKEN: undefined,
})) {
  savedEnv[k] = process.env[k];
  if (v === undefined) delete process.env[k];
  else process.env[k] = v;
}
const unhandled = [];
const onUnhandled = (reason) => unhandled.push(reason);
process.on('unhandledRejection', onUnhandled);
// Clients opt out with `rateLimit: false`, but configs under test may turn it back on.
setRateLimit(false);

after(() => {
  globalThis.fetch = realFetch;
  for (const [k, v] of Object.entries(savedEnv))
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  process.off('unhandledRejection', onUnhandled);
  try {
    setRateLimit(10);
  } catch {
    /* reported by the last test */
  }
});

const ID = 'lhins-abcd1234';
const CREDS = () => ({ secretId: 'AKIDMatrix000000000000000000000001', secretKey: 'matrix-secret-key-00000000000001' });
const CONFIG = () => ({ credentials: CREDS(), endpoint: 'http://127.0.0.1:9', fetch: spy.fetch, rateLimit: false, maxAttempts: 1 });
const WAIT = () => ({ maxWaitSeconds: 0.3, minDelaySeconds: 0.01, maxDelaySeconds: 0.05 });
const SIGN = () => ({
  secretId: 'AKIDMatrix000000000000000000000001',
  secretKey: 'matrix-secret-key-00000000000001',
  action: 'DescribeInstances',
  timestamp: 1_700_000_000,
});
const client = () => new LighthouseClient(CONFIG());
// Waiting needs a region (DescribeInstances lists one): the waiters' clients and configs have one.
const WAIT_CONFIG = () => ({ ...CONFIG(), region: 'ap-guangzhou' });
const waiterClient = () => new LighthouseClient(WAIT_CONFIG());

// ---------------------------------------------------------------------------------------------------------
// Judges: what a field accepts. Each maps a bad value to 'valid' (must be accepted), 'invalid' (must be
// refused before any request) or 'either' (a value of the right type whose content the package may judge).

const HOSTILE_OBJECT = new Set(['revoked Proxy', 'Proxy with throwing traps']);

function str({ required = false, controls = false, latin1 = false, nonEmpty = required, any = false, closed = false } = {}) {
  return (v) => {
    if (v.t === 'absent') return required ? 'invalid' : 'valid';
    if (v.t !== 'str') return 'invalid';
    if (closed) return 'invalid'; // an enum or an ID: none of the bad strings is one
    if (any) return 'valid';
    if (v.s === '' && nonEmpty) return 'invalid';
    if (v.s === 'nul' && controls) return 'invalid';
    if (v.s === 'surrogate' && latin1) return 'invalid';
    return 'either';
  };
}
function num({ required = false, ok }) {
  return (v) => {
    if (v.t === 'absent') return required ? 'invalid' : 'valid';
    if (v.t !== 'num' || !Number.isFinite(v.n)) return 'invalid';
    return ok(v.n);
  };
}
const bool = () => (v) => (v.t === 'absent' || v.t === 'bool' ? 'valid' : 'invalid');
function obj({ required = false, fn = 'invalid', plain = 'either', absent = required ? 'invalid' : 'valid' } = {}) {
  return (v) => {
    if (v.t === 'absent') return absent;
    if (v.t === 'function') return fn;
    if (v.t === 'object' || v.t === 'boxed') return HOSTILE_OBJECT.has(v.label) ? 'invalid' : plain;
    return 'invalid';
  };
}
function arr({ required = false, strings = 'either', mixed = 'invalid' } = {}) {
  return (v) => {
    if (v.t === 'absent') return required ? 'invalid' : 'valid';
    if (v.t !== 'array' || v.hostile) return 'invalid';
    if (v.empty) return 'valid';
    // Read by index like JSON.stringify does: valid if its one ID is, refused by the service if not.
    if (v.label === 'array with a throwing iterator') return 'either';
    return v.label === "['a']" ? strings : mixed;
  };
}
const fn =
  ({ fnVerdict = 'either' } = {}) =>
  (v) =>
    v.t === 'absent' ? 'valid' : v.t === 'function' ? fnVerdict : 'invalid';
const intIn = (lo, hi) => (n) => (Number.isInteger(n) && n >= lo && n <= hi ? 'valid' : 'invalid');
const nonNeg = (n) => (n >= 0 ? 'either' : 'invalid');
const timeoutMs = num({ ok: (n) => (n <= 0 ? 'invalid' : n < 50 ? 'either' : 'valid') });
const signalJudge = (v) => {
  if (v.t === 'absent' || v.t === 'signal') return 'valid';
  if (v.t === 'signal-aborted') return 'either';
  return 'invalid';
};

/** Values only signal fields get: real, aborted and fake AbortSignals. */
const SIGNAL_VALUES = [
  { label: 'AbortSignal', t: 'signal', make: () => new AbortController().signal },
  { label: 'aborted AbortSignal', t: 'signal-aborted', make: () => AbortSignal.abort() },
  { label: 'fake AbortSignal (getters throw)', t: 'object', hostile: true, make: fakeAbortSignal },
];
/** Values only `params` of request() gets: nested content JSON.stringify drops, escapes or refuses. */
const PARAMS_VALUES = [
  { label: '{a: 5 MB string}', t: 'params-ok', make: () => ({ a: 'y'.repeat(5 * 1024 * 1024) }) },
  { label: '{a: NUL and lone surrogates}', t: 'params-ok', make: () => ({ a: 'a\u0000b\ud800c\udc00' }) },
  { label: '{a: Symbol, b: function}', t: 'params-ok', make: () => ({ a: Symbol('s'), b() {} }) },
  { label: '{a: BigInt}', t: 'params-bad', make: () => ({ a: 10n }) },
  {
    label: 'a cycle',
    t: 'params-bad',
    make: () => {
      const o = {};
      o.self = o;
      return o;
    },
  },
  {
    label: '{a: throwing toJSON}',
    t: 'params-bad',
    make: () => ({
      a: {
        toJSON() {
          throw new Error('hostile toJSON');
        },
      },
    }),
  },
];

// Field sets shared by several exports. Keys are paths below one argument.
const CONFIG_FIELDS = {
  credentials: (v) => (v.t === 'function' ? 'either' : obj({ plain: 'either' })(v)),
  'credentials.secretId': str({ required: true, controls: true, latin1: true }),
  'credentials.secretKey': str({ required: true }),
  'credentials.token': str({ controls: true, latin1: true }),
  'credentials.expiresAt': num({ ok: nonNeg }),
  region: str({ controls: true, latin1: true }),
  endpoint: str({ controls: true }),
  service: str({ controls: true, latin1: true }),
  language: str({ closed: true }),
  timeoutMs,
  maxAttempts: num({ ok: intIn(1, 20) }),
  fetch: fn(),
  unsigned: bool(),
  rateLimit: bool(),
};
const CALL_FIELDS = { signal: signalJudge, timeoutMs };
const WAIT_FIELDS = {
  ...CALL_FIELDS,
  maxWaitSeconds: num({ ok: nonNeg }),
  minDelaySeconds: num({ ok: nonNeg }),
  maxDelaySeconds: num({ ok: nonNeg }),
  onProgress: fn({ fnVerdict: 'valid' }),
};
const RESET_FIELDS = {
  InstanceId: str({ required: true, closed: true }),
  BlueprintId: str({ closed: true }),
  Containers: arr({ strings: 'invalid' }),
  LoginConfiguration: obj(),
  'LoginConfiguration.AutoGeneratePassword': str({ closed: true }),
  'LoginConfiguration.Password': str(),
  'LoginConfiguration.KeyIds': arr({ strings: 'either' }),
};
const FILTER_FIELDS = (ids) => ({
  [ids]: arr({ strings: 'invalid' }),
  Filters: arr({ strings: 'invalid' }),
  'Filters.0.Name': str({ required: true }),
  'Filters.0.Values': arr({ required: true, strings: 'valid' }),
  Offset: num({ ok: intIn(0, 1e9) }),
  Limit: num({ ok: intIn(1, 100) }),
});
const FILTERS_BASE = () => ({ Filters: [{ Name: 'instance-name', Values: ['web'] }] });

const under = (i, fields) => Object.fromEntries(Object.entries(fields).map(([k, j]) => [`${i}.${k}`, j]));
/** The base args a nested path needs (e.g. `LoginConfiguration.Password` needs a LoginConfiguration). */
const prepare = (args, path) => {
  if (/\.Filters\.0\./.test(path)) Object.assign(args[Number(path[0])], FILTERS_BASE());
  if (/\.LoginConfiguration\./.test(path)) args[Number(path[0])].LoginConfiguration = {};
  return args;
};

// ---------------------------------------------------------------------------------------------------------
// The exports under test.

/** resetInstances resolves even when items are bad: an item's error counts as that item's refusal. */
function fleetItemOutcome(out) {
  if (out.how !== 'resolved' || !Array.isArray(out.value) || out.value.length !== 1) return out;
  const [r] = out.value;
  return r.ok === false ? { how: 'rejected', error: r.error, item: true } : out;
}

function checkSigned(value, args) {
  assert.match(value?.signature ?? '', /^[0-9a-f]{64}$/);
  const input = args[0];
  let payload;
  try {
    payload = input.payload;
  } catch {
    return;
  }
  if (typeof payload === 'string' && (input.method ?? 'POST') === 'POST') {
    // The hash of exactly the UTF-8 bytes fetch will send (lone surrogates become U+FFFD).
    assert.ok(value.canonicalRequest.endsWith(`\n${sha256Utf8(payload)}`), 'canonicalRequest hashes the payload as sent');
  }
}

const EXPORTS = [
  {
    name: 'signRequest(input)',
    argNames: ['input'],
    args: () => [SIGN()],
    invoke: (a) => signRequest(a),
    onAccept: checkSigned,
    fields: {
      0: obj({ required: true }),
      ...under(0, {
        secretId: str({ required: true, controls: true, latin1: true }),
        secretKey: str({ required: true }),
        token: str({ controls: true }),
        service: str({ controls: true, latin1: true }),
        host: str({ controls: true, latin1: true }),
        action: str({ required: true, controls: true, latin1: true }),
        version: str({ controls: true, latin1: true }),
        region: str({ controls: true, latin1: true }),
        language: str({ closed: true }),
        timestamp: num({ ok: (n) => (Number.isInteger(n) && n >= 0 && n <= 2 ** 53 ? 'valid' : n > 2 ** 53 ? 'either' : 'invalid') }),
        method: str({ closed: true }),
        contentType: str({ controls: true }),
        query: str({ controls: true }),
        payload: str({ any: true }),
      }),
    },
  },
  {
    name: 'new LighthouseClient(config) + describeInstances',
    argNames: ['config'],
    args: () => [CONFIG()],
    invoke: (c) => new LighthouseClient(c).describeInstances({ InstanceIds: [ID] }),
    fields: { 0: obj({ absent: 'valid' }), ...under(0, CONFIG_FIELDS) },
  },
  {
    name: 'client.resetInstance(input, options)',
    argNames: ['input', 'options'],
    args: () => [{ InstanceId: ID }, undefined],
    invoke: (i, o) => client().resetInstance(i, o),
    fields: { 0: obj({ required: true }), ...under(0, RESET_FIELDS), 1: obj(), ...under(1, CALL_FIELDS) },
  },
  {
    name: 'client.describeInstances(input, options)',
    argNames: ['input', 'options'],
    args: () => [{}, {}],
    invoke: (i, o) => client().describeInstances(i, o),
    fields: { 0: obj(), ...under(0, FILTER_FIELDS('InstanceIds')), 1: obj(), ...under(1, CALL_FIELDS) },
  },
  {
    name: 'client.describeBlueprints(input, options)',
    argNames: ['input', 'options'],
    args: () => [{}, {}],
    invoke: (i, o) => client().describeBlueprints(i, o),
    fields: { 0: obj(), ...under(0, FILTER_FIELDS('BlueprintIds')), 1: obj(), ...under(1, CALL_FIELDS) },
  },
  {
    name: 'client.request(action, params, options)',
    argNames: ['action', 'params', 'options'],
    args: () => ['DescribeBundles', { Limit: 10 }, {}],
    invoke: (a, p, o) => client().request(a, p, o),
    fields: {
      0: str({ required: true, controls: true, latin1: true }),
      1: (v) => (v.t === 'params-ok' ? 'valid' : v.t === 'params-bad' ? 'invalid' : obj()(v)),
      2: obj(),
      ...under(2, CALL_FIELDS),
    },
    extraValues: { 1: PARAMS_VALUES },
  },
  {
    name: 'client.waitUntilInstanceReset(input, options)',
    argNames: ['input', 'options'],
    args: () => [{ InstanceId: ID, RequestId: RID }, WAIT()],
    invoke: (i, o) => waiterClient().waitUntilInstanceReset(i, o),
    fields: {
      0: obj({ required: true }),
      '0.InstanceId': str({ required: true, closed: true }),
      '0.RequestId': str({ nonEmpty: true }),
      1: obj(),
      ...under(1, WAIT_FIELDS),
    },
  },
  {
    name: 'client.resetInstanceAndWait(input, options)',
    argNames: ['input', 'options'],
    args: () => [{ InstanceId: ID }, WAIT()],
    invoke: (i, o) => waiterClient().resetInstanceAndWait(i, o),
    fields: { 0: obj({ required: true }), ...under(0, RESET_FIELDS), 1: obj(), ...under(1, { ...WAIT_FIELDS, waitForIdle: bool() }) },
  },
  {
    name: 'client.resetInstances(inputs, options)',
    argNames: ['inputs', 'options'],
    // Replacing the whole options drops the short waiter delays; an empty fleet still checks them.
    args: (path) => (path === '1' ? [[], WAIT()] : [[{ InstanceId: ID }], WAIT()]),
    invoke: (i, o) => waiterClient().resetInstances(i, o),
    outcome: (out, path) => (path.startsWith('0.0') ? fleetItemOutcome(out) : out),
    names: { '0.0': 'input' },
    fields: {
      // A non-empty array of bad items resolves with one error per item: accepted.
      0: (v) => (v.t === 'array' && !v.hostile ? 'valid' : 'invalid'),
      '0.0': (v) => 'invalid', // eslint-disable-line no-unused-vars
      '0.0.InstanceId': str({ required: true, closed: true }),
      '0.0.BlueprintId': str({ closed: true }),
      1: obj(),
      ...under(1, { ...WAIT_FIELDS, wait: bool(), concurrency: num({ ok: intIn(1, 1000) }) }),
    },
  },
  {
    name: 'resetInstance(input, config)',
    argNames: ['input', 'config'],
    args: () => [{ InstanceId: ID }, CONFIG()],
    invoke: (i, c) => resetInstance(i, c),
    fields: { 0: obj({ required: true }), ...under(0, RESET_FIELDS), 1: obj({ absent: 'valid' }), ...under(1, { ...CONFIG_FIELDS, ...CALL_FIELDS }) },
  },
  {
    name: 'waitUntilInstanceReset(input, config)',
    argNames: ['input', 'config'],
    args: () => [
      { InstanceId: ID, RequestId: RID },
      { ...WAIT_CONFIG(), ...WAIT() },
    ],
    invoke: (i, c) => waitUntilInstanceReset(i, c),
    fields: {
      0: obj({ required: true }),
      '0.InstanceId': str({ required: true, closed: true }),
      '0.RequestId': str({ nonEmpty: true }),
      1: obj({ absent: 'either' }),
      ...under(1, { ...CONFIG_FIELDS, region: str({ required: true, controls: true, latin1: true }), ...WAIT_FIELDS }),
    },
  },
  {
    name: 'resetInstanceAndWait(input, config)',
    argNames: ['input', 'config'],
    args: () => [{ InstanceId: ID }, { ...WAIT_CONFIG(), ...WAIT() }],
    invoke: (i, c) => resetInstanceAndWait(i, c),
    fields: {
      0: obj({ required: true }),
      ...under(0, RESET_FIELDS),
      1: obj({ absent: 'either' }),
      ...under(1, { ...CONFIG_FIELDS, region: str({ required: true, controls: true, latin1: true }), ...WAIT_FIELDS, waitForIdle: bool() }),
    },
  },
  {
    name: 'resetInstances(inputs, config)',
    argNames: ['inputs', 'config'],
    // As for the method: a whole config replaced is checked with an empty fleet.
    args: (path) => (path === '1' ? [[], undefined] : [[{ InstanceId: ID }], { ...WAIT_CONFIG(), ...WAIT() }]),
    invoke: (i, c) => resetInstances(i, c),
    outcome: (out, path) => (path.startsWith('0.0') ? fleetItemOutcome(out) : out),
    names: { '0.0': 'input' },
    fields: {
      0: (v) => (v.t === 'array' && !v.hostile ? 'valid' : 'invalid'),
      '0.0': (v) => 'invalid', // eslint-disable-line no-unused-vars
      '0.0.InstanceId': str({ required: true, closed: true }),
      '0.0.BlueprintId': str({ closed: true }),
      1: obj({ absent: 'either' }),
      ...under(1, {
        ...CONFIG_FIELDS,
        region: str({ required: true, controls: true, latin1: true }),
        ...WAIT_FIELDS,
        wait: bool(),
        concurrency: num({ ok: intIn(1, 1000) }),
      }),
    },
  },
  {
    name: 'setRateLimit(requestsPerSecond, action)',
    argNames: ['requestsPerSecond', 'action'],
    args: () => [false, undefined],
    invoke: (r, a) => {
      try {
        return setRateLimit(r, a);
      } finally {
        try {
          setRateLimit(false);
        } catch {
          /* judged above */
        }
      }
    },
    fields: {
      0: (v) => (v.label === 'false' ? 'valid' : v.t === 'num' ? (Number.isFinite(v.n) && v.n >= 0 ? 'valid' : 'invalid') : 'invalid'),
      1: str({ nonEmpty: false }),
    },
  },
  {
    name: 'createSigningProxy(config) + one request',
    argNames: ['config'],
    args: () => [CONFIG()],
    invoke: (c) => {
      const handler = createSigningProxy(c);
      return handler(
        new Request('http://proxy.local/', { method: 'POST', headers: { 'X-TC-Action': 'DescribeInstances', 'content-type': 'application/json' }, body: '{}' }),
      );
    },
    onAccept: (value) => assert.ok(value instanceof Response, 'the handler answers a Response'),
    fields: {
      0: obj({ absent: 'either' }),
      ...under(0, {
        ...CONFIG_FIELDS,
        allowActions: (v) => (v.t === 'array' && v.label === "['a']" ? 'valid' : arr({ strings: 'valid' })(v)),
        maxBodyBytes: num({ ok: (n) => (Number.isInteger(n) && n > 0 ? 'valid' : 'invalid') }),
      }),
    },
  },
];

// ---------------------------------------------------------------------------------------------------------
// The engine.

const boom = () => {
  throw new Error('hostile getter');
};

/** Sets `path` (e.g. `0.credentials.secretId`) in `args`, copying nothing: args are fresh per case. */
function setPath(args, path, value, asThrowingGetter = false) {
  const keys = path.split('.');
  let parent = args;
  for (const k of keys.slice(0, -1)) {
    if (parent[k] === undefined || parent[k] === null) parent[k] = {};
    parent = parent[k];
  }
  const last = keys[keys.length - 1];
  if (asThrowingGetter) Object.defineProperty(parent, last, { get: boom, enumerable: true, configurable: true });
  else parent[last] = value;
}

// Every call here is answered at once by the spy (waiters: maxWaitSeconds 0.3), so 2 s is a hang.
const CASE_MS = 2_000;
const stats = { cases: 0, exports: 0, fields: 0, refused: 0, accepted: 0 };

/** Runs one case and returns the problems found (empty when right). */
async function runCase(spec, path, judge, value, { getter = false, proto = false } = {}) {
  const args = prepare(spec.args(path), path);
  const argIndex = Number(path.split('.')[0]);
  let made;
  if (proto) {
    args[argIndex] = protoKeyed(args[argIndex] ?? {});
  } else if (getter) {
    setPath(args, path, undefined, true);
  } else {
    made = value.make();
    if (path.includes('.')) setPath(args, path, made);
    else args[argIndex] = made;
  }
  const verdict = proto ? 'valid' : getter ? 'invalid' : judge(value);
  const before = spy.calls;
  let out = await settle(() => spec.invoke(...args), CASE_MS);
  if (spec.outcome) out = spec.outcome(out, path);
  const sent = spy.calls - before;
  stats.cases++;
  const problems = [];
  const refused = out.how === 'threw' || out.how === 'rejected';
  if (out.how === 'hang') problems.push(`did not settle within ${CASE_MS / 1000} s (a hang)`);
  if (refused) {
    stats.refused++;
    const why = notAPackageError(out.error);
    if (why) problems.push(`failed with ${why}`);
    else {
      const { code, message } = out.error;
      if (verdict === 'valid') problems.push(`refused a valid value: ${code}: ${message}`);
      if (PRE_REQUEST_CODES.has(code) && sent > 0) problems.push(`${code} after ${sent} request(s): input checks must come first`);
      if (verdict === 'invalid' && !PRE_REQUEST_CODES.has(code))
        problems.push(`invalid input failed late (${code}) instead of being refused (${sent} request(s) sent)`);
      if (PRE_REQUEST_CODES.has(code) && verdict !== 'valid') {
        const keys = path.split('.').filter((k) => !/^\d+$/.test(k));
        const name = spec.names?.[path] ?? (keys.length ? keys[keys.length - 1] : spec.argNames[argIndex]);
        const root = spec.argNames[argIndex];
        // A whole argument replaced may be refused for any of its fields (e.g. `{}`: InstanceId is missing).
        const names = [name, root];
        for (const p of Object.keys(spec.fields)) if (p.startsWith(`${path}.`)) names.push(p.split('.').pop());
        if (!names.some((n) => message.includes(n))) problems.push(`the message does not name \`${name}\`: ${message}`);
      }
    }
  } else if (out.how !== 'hang') {
    stats.accepted++;
    if (verdict === 'invalid') problems.push(`accepted an invalid value (${sent} request(s) sent)`);
    else if (spec.onAccept) {
      try {
        spec.onAccept(out.value, args);
      } catch (e) {
        problems.push(`accepted, but: ${e.message}`);
      }
    }
  }
  if (polluted()) {
    problems.push('polluted Object.prototype');
    cleanPollution();
  }
  return problems;
}

const report = (failures) => failures.slice(0, 60).join('\n') + (failures.length > 60 ? `\n… and ${failures.length - 60} more` : '');

for (const spec of EXPORTS) {
  describe(spec.name, () => {
    stats.exports++;
    for (const [path, judge] of Object.entries(spec.fields)) {
      const argIndex = Number(path.split('.')[0]);
      const label = path.includes('.') ? `${spec.argNames[argIndex]}.${path.split('.').slice(1).join('.')}` : spec.argNames[argIndex];
      test(`${label}: every bad value`, async () => {
        stats.fields++;
        const values = [...badValues(), ...(spec.extraValues?.[path] ?? []), ...(/signal$/.test(path) ? SIGNAL_VALUES : [])];
        const failures = [];
        for (const value of values) {
          const problems = await runCase(spec, path, judge, value);
          for (const p of problems) failures.push(`${label} = ${value.label}: ${p}`);
        }
        if (path.includes('.')) {
          for (const p of await runCase(spec, path, judge, null, { getter: true })) failures.push(`${label} (a getter that throws): ${p}`);
        }
        assert.equal(failures.length, 0, `\n${report(failures)}`);
      });
    }
    const roots = new Set(Object.keys(spec.fields).map((p) => p.split('.')[0]));
    for (const r of roots) {
      const base = spec.args()[Number(r)];
      if (base === null || typeof base !== 'object' || Array.isArray(base)) continue;
      test(`${spec.argNames[Number(r)]} with an own "__proto__" key: accepted, no pollution`, async () => {
        const problems = await runCase(spec, r, null, null, { proto: true });
        assert.deepEqual(problems, []);
      });
    }
  });
}

// ---------------------------------------------------------------------------------------------------------
// The signing proxy's handler, given anything as its request.

describe('createSigningProxy handler(request)', () => {
  const make = (extra = {}) => createSigningProxy({ ...CONFIG(), maxBodyBytes: 1024, ...extra });
  const req = (init = {}, headers = {}) =>
    new Request('http://proxy.local/', {
      method: 'POST',
      ...init,
      headers: { 'content-type': 'application/json', 'X-TC-Action': 'DescribeInstances', ...headers },
    });
  const cases = [
    ...badValues().map((v) => ({ label: `request = ${v.label}`, make: v.make, forwards: false })),
    { label: 'a request whose headers.get throws', make: () => ({ method: 'POST', headers: { get: boom }, text: async () => '{}' }), forwards: false },
    {
      label: 'a request whose text() throws',
      make: () => ({ method: 'POST', headers: new Headers({ 'x-tc-action': 'DescribeInstances' }), text: boom }),
      forwards: false,
    },
    {
      label: 'a request whose text() rejects',
      make: () => ({
        method: 'POST',
        headers: new Headers({ 'x-tc-action': 'DescribeInstances' }),
        text: async () => {
          throw new Error('x');
        },
      }),
      forwards: false,
    },
    {
      label: 'a request whose text() is not a string',
      make: () => ({ method: 'POST', headers: new Headers({ 'x-tc-action': 'DescribeInstances' }), text: async () => 42 }),
      forwards: 'either',
    },
    {
      label: 'GET',
      make: () => new Request('http://proxy.local/?Action=DescribeInstances', { method: 'GET', headers: { 'X-TC-Action': 'DescribeInstances' } }),
      forwards: false,
    },
    { label: 'OPTIONS', make: () => new Request('http://proxy.local/', { method: 'OPTIONS' }), forwards: false },
    { label: 'no X-TC-Action', make: () => new Request('http://proxy.local/', { method: 'POST', body: '{}' }), forwards: false },
    { label: 'an action not allowed', make: () => req({ body: '{}' }, { 'X-TC-Action': 'TerminateInstances' }), forwards: false },
    { label: 'an action with Latin-1 and spaces', make: () => req({ body: '{}' }, { 'X-TC-Action': 'Describe Instancesé' }), forwards: false },
    { label: 'a 64 KB action', make: () => req({ body: '{}' }, { 'X-TC-Action': 'A'.repeat(65536) }), forwards: false },
    { label: 'a body that is not JSON', make: () => req({ body: '{"a":' }), forwards: false },
    { label: 'a JSON array body', make: () => req({ body: '[]' }), forwards: false },
    { label: 'a JSON null body', make: () => req({ body: 'null' }), forwards: false },
    { label: 'a JSON string body', make: () => req({ body: '"x"' }), forwards: false },
    { label: 'a body over maxBodyBytes', make: () => req({ body: JSON.stringify({ a: 'x'.repeat(2048) }) }), forwards: false },
    { label: 'a 5 MB body', make: () => req({ body: JSON.stringify({ a: 'x'.repeat(5 * 1024 * 1024) }) }), forwards: false },
    { label: 'content-length larger than maxBodyBytes', make: () => req({ body: '{}' }, { 'content-length': '999999' }), forwards: false },
    { label: 'a malformed content-length', make: () => req({ body: '{}' }, { 'content-length': '-1e9x' }), forwards: true },
    {
      label: 'a body with a "__proto__" key',
      make: () => req({ body: '{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}' }),
      forwards: true,
    },
    {
      label: 'a body with lone surrogates and NUL escapes',
      make: () => req({ body: '{"Filters":[{"Name":"instance-name","Values":["\\ud800\\u0000"]}]}' }),
      forwards: true,
    },
    {
      label: 'a ResetInstance with a malformed InstanceId',
      make: () => req({ body: '{"InstanceId":"lhins-BAD"}' }, { 'X-TC-Action': 'ResetInstance' }),
      forwards: 'either',
    },
    { label: 'an aborted request', make: () => req({ body: '{}', signal: AbortSignal.abort() }), forwards: 'either' },
    { label: 'a valid DescribeInstances', make: () => req({ body: '{}' }), forwards: true },
  ];
  test('always answers an API-shaped Response; refusals are not forwarded; no pollution', async () => {
    const handler = make();
    const failures = [];
    for (const c of cases) {
      const before = spy.calls;
      let value;
      try {
        value = c.make();
      } catch (e) {
        failures.push(`${c.label}: could not build (${e.message})`);
        continue;
      }
      const out = await settle(() => handler(value), CASE_MS);
      stats.cases++;
      const sent = spy.calls - before;
      if (out.how === 'hang') {
        failures.push(`${c.label}: no answer within 2 s`);
        continue;
      }
      if (out.how !== 'resolved') {
        failures.push(`${c.label}: ${out.how} ${notAPackageError(out.error) ?? out.error?.code}: the handler must answer a Response`);
        continue;
      }
      const res = out.value;
      if (!(res instanceof Response)) {
        failures.push(`${c.label}: answered ${show(res)}, not a Response`);
        continue;
      }
      if (![200, 204, 400, 405, 413].includes(res.status)) failures.push(`${c.label}: HTTP ${res.status}`);
      if (res.status !== 204) {
        const text = await res.text();
        let body;
        try {
          body = JSON.parse(text);
        } catch {
          failures.push(`${c.label}: a body that is not JSON`);
        }
        if (body && (typeof body.Response !== 'object' || typeof body.Response.RequestId !== 'string'))
          failures.push(`${c.label}: not the API's shape: ${text.slice(0, 120)}`);
        const refused = Boolean(body?.Response?.Error);
        if (refused && typeof body.Response.Error.Code !== 'string') failures.push(`${c.label}: Error without a Code`);
        if (c.forwards === true && (refused || sent === 0)) failures.push(`${c.label}: was not forwarded (${text.slice(0, 160)})`);
        if (c.forwards === false && sent > 0) failures.push(`${c.label}: forwarded ${sent} request(s) for a request the proxy must refuse`);
        if (c.forwards === false && !refused) failures.push(`${c.label}: answered without an error`);
      } else if (sent > 0) failures.push(`${c.label}: a preflight was forwarded`);
      if (polluted()) {
        failures.push(`${c.label}: polluted Object.prototype`);
        cleanPollution();
      }
    }
    assert.equal(failures.length, 0, `\n${report(failures)}`);
  });
});

// ---------------------------------------------------------------------------------------------------------
// toNodeListener (pkg/node/http.cjs), TencentCloudError.isInstance, misuse of a client object.

describe('toNodeListener(handler, options)', () => {
  const handler = () => Promise.resolve(new Response('{}'));
  test('handler: anything but a function is refused with a TencentCloudError', () => {
    const failures = [];
    for (const v of badValues()) {
      if (v.t === 'function') continue;
      const out = (() => {
        try {
          return { how: 'returned', value: toNodeListener(v.make()) };
        } catch (error) {
          return { how: 'threw', error };
        }
      })();
      stats.cases++;
      if (out.how !== 'threw') failures.push(`handler = ${v.label}: accepted`);
      else if (notAPackageError(out.error)) failures.push(`handler = ${v.label}: ${notAPackageError(out.error)}`);
      else if (!out.error.message.includes('handler')) failures.push(`handler = ${v.label}: the message does not name \`handler\``);
    }
    assert.equal(failures.length, 0, `\n${report(failures)}`);
  });

  test('options and options.maxBodyBytes: refused with a TencentCloudError unless valid (a bad limit must not turn the limit off)', () => {
    const failures = [];
    const judge = {
      options: (v) => (v.t === 'absent' ? 'valid' : 'either'),
      maxBodyBytes: num({ ok: (n) => (Number.isInteger(n) && n > 0 ? 'valid' : 'invalid') }),
    };
    for (const [field, j] of Object.entries(judge)) {
      for (const v of badValues()) {
        const made = v.make();
        const verdict = j(v);
        const out = (() => {
          try {
            return { how: 'returned', value: toNodeListener(handler, field === 'options' ? made : { maxBodyBytes: made }) };
          } catch (error) {
            return { how: 'threw', error };
          }
        })();
        stats.cases++;
        if (out.how === 'threw' && notAPackageError(out.error)) failures.push(`${field} = ${v.label}: ${notAPackageError(out.error)}`);
        else if (out.how === 'threw' && verdict === 'valid') failures.push(`${field} = ${v.label}: refused a valid value`);
        else if (out.how === 'returned' && verdict === 'invalid') failures.push(`${field} = ${v.label}: accepted an invalid value`);
      }
    }
    assert.equal(failures.length, 0, `\n${report(failures)}`);
  });

  describe('the listener, over node:http', () => {
    let server;
    let port;
    const proxy = createSigningProxy({ ...CONFIG(), maxBodyBytes: 1024 });
    test('starts', async () => {
      server = http.createServer(toNodeListener(proxy, { maxBodyBytes: 2048 }));
      await new Promise((r) => server.listen(0, '127.0.0.1', r));
      ({ port } = server.address());
    });
    after(() => new Promise((r) => (server ? server.close(r) : r())));
    const send = (body, headers = {}, agent = false) =>
      new Promise((resolve, reject) => {
        const req = http.request(
          {
            host: '127.0.0.1',
            port,
            method: 'POST',
            path: '/',
            agent,
            headers: { 'x-tc-action': 'DescribeInstances', 'content-type': 'application/json', ...headers },
          },
          (res) => {
            let text = '';
            res.on('data', (c) => {
              text += c;
            });
            res.on('end', () => resolve({ status: res.statusCode, text }));
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    test('a body over its maxBodyBytes: the caller gets RequestSizeLimitExceeded (not a reset connection), nothing forwarded', async () => {
      const before = spy.calls;
      const r = await send(JSON.stringify({ a: 'x'.repeat(4096) }));
      assert.equal(r.status, 413);
      assert.equal(JSON.parse(r.text).Response.Error.Code, 'RequestSizeLimitExceeded');
      assert.equal(spy.calls - before, 0);
    });
    test("a body over the proxy's maxBodyBytes: RequestSizeLimitExceeded, nothing forwarded", async () => {
      const before = spy.calls;
      const r = await send(JSON.stringify({ a: 'x'.repeat(1500) }));
      assert.equal(JSON.parse(r.text).Response.Error.Code, 'RequestSizeLimitExceeded');
      assert.equal(spy.calls - before, 0);
    });
    test('a Host header that is not a host: an API-shaped error, nothing forwarded', async () => {
      const before = spy.calls;
      const r = await send('{}', { host: 'a b:c:d' });
      assert.equal(typeof JSON.parse(r.text).Response.Error.Code, 'string');
      assert.equal(spy.calls - before, 0);
    });
    test('after a body over maxBodyBytes, the next request on the same keep-alive connection pool is answered', async (t) => {
      // Answering 413 and destroying the socket without `Connection: close` leaves a dead socket in the
      // caller's keep-alive pool (Node's agent, undici, browsers): the next request gets ECONNRESET.
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      t.after(() => agent.destroy());
      const outcomes = [];
      for (let i = 0; i < 5; i++) {
        outcomes.push(
          await send(JSON.stringify({ a: 'x'.repeat(4096) }), {}, agent).then(
            (r) => r.status,
            (e) => e.code,
          ),
        );
        outcomes.push(
          await send('{}', {}, agent).then(
            (r) => r.status,
            (e) => e.code,
          ),
        );
      }
      assert.deepEqual(outcomes, [413, 200, 413, 200, 413, 200, 413, 200, 413, 200]);
    });
    test('a valid request is forwarded and answered', async () => {
      const r = await send('{}');
      assert.equal(r.status, 200);
      assert.equal(JSON.parse(r.text).Response.RequestId, RID);
    });
  });
});

describe('TencentCloudError.isInstance(value)', () => {
  test('false for every non-error value, never a throw', () => {
    const failures = [];
    for (const v of badValues()) {
      if (v.hostile) continue;
      try {
        if (TencentCloudError.isInstance(v.make()) !== false) failures.push(`${v.label}: true`);
      } catch (e) {
        failures.push(`${v.label}: threw ${e?.message}`);
      }
    }
    assert.deepEqual(failures, []);
  });
  test('hostile objects (revoked proxies, throwing traps): false, never a throw', () => {
    const failures = [];
    for (const v of badValues()) {
      if (!v.hostile) continue;
      try {
        TencentCloudError.isInstance(v.make());
      } catch (e) {
        failures.push(`${v.label}: threw ${e?.constructor?.name}: ${e?.message}`);
      }
    }
    assert.deepEqual(failures, []);
  });
  test('constructing one with a "__proto__" options object pollutes nothing', () => {
    const e = new TencentCloudError('X', 'y', JSON.parse('{"__proto__":{"polluted":1},"kind":"other"}'));
    assert.equal(TencentCloudError.isInstance(e), true);
    assert.equal(polluted(), false);
  });
});

describe('misuse of a client object', () => {
  test('a method called unbound, or on a freed client, fails with a TencentCloudError', async () => {
    const c = client();
    const unbound = c.describeInstances;
    const a = await settle(() => unbound({}));
    assert.equal(notAPackageError(a.error), null, 'unbound');
    const d = client();
    d.free();
    const b = await settle(() => d.describeInstances({}));
    assert.equal(notAPackageError(b.error), null, 'after free()');
    // Every method, async ones rejecting and the others throwing, each naming the method.
    for (const name of [
      'resetInstance',
      'describeBlueprints',
      'request',
      'waitUntilInstanceReset',
      'resetInstanceAndWait',
      'resetInstances',
      'toString',
      'toJSON',
    ]) {
      for (const [how, call] of [
        ['unbound', () => c[name].call(undefined, {})],
        ['freed', () => d[name]({})],
      ]) {
        const r = await settle(call);
        assert.equal(r.how, name.startsWith('to') ? 'threw' : 'rejected', `${how} ${name}: ${r.how}`);
        assert.equal(notAPackageError(r.error), null, `${how} ${name}`);
        assert.equal(r.error.code, 'ClientError.InvalidArgument', `${how} ${name}`);
        assert.match(r.error.message, new RegExp(name), `${how} ${name}`);
      }
    }
    // A live client still works; free() and Symbol.dispose after free() are harmless.
    assert.match(String(c), /^LighthouseClient/);
    d.free();
    if (Symbol.dispose) d[Symbol.dispose]();
    const e = client();
    if (Symbol.dispose) e[Symbol.dispose]();
    assert.equal((await settle(() => e.describeInstances({}))).error?.code, 'ClientError.InvalidArgument');
  });
});

// ---------------------------------------------------------------------------------------------------------
// After everything: the same module instance still signs and calls.

describe('after the whole matrix', () => {
  test('no unhandled promise rejection during the matrix', async () => {
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(
      unhandled.length,
      0,
      `unhandled: ${unhandled
        .slice(0, 5)
        .map((r) => notAPackageError(r) ?? r.code)
        .join('; ')}`,
    );
  });

  test('signRequest still reproduces every signing vector', async (t) => {
    t.diagnostic(
      `matrix: ${stats.cases} cases over ${stats.fields} fields of ${stats.exports} exports (+ handler, toNodeListener, isInstance); ${stats.refused} refused, ${stats.accepted} accepted; fetch spy saw ${spy.calls} requests`,
    );
    for (const v of await signingVectors()) {
      const out = signRequest(v.input);
      assert.equal(out.signature, v.signature, v.name);
      assert.equal(out.authorization, v.authorization, v.name);
    }
  });

  test('a client still calls the local Lighthouse API (describe, reset, request) and the limiter still works', async (t) => {
    globalThis.fetch = realFetch;
    setRateLimit(10);
    const api = await startLighthouseApi({ port: 0 });
    t.after(() => api.close());
    const c = new LighthouseClient({ credentials: DEMO_CREDENTIALS, endpoint: api.url, region: 'ap-guangzhou' });
    const d = await c.describeInstances({ InstanceIds: ['lhins-ruy9d2tw'] });
    assert.equal(d.InstanceSet[0].InstanceId, 'lhins-ruy9d2tw');
    const r = await c.resetInstance({ InstanceId: 'lhins-ruy9d2tw' });
    assert.match(r.RequestId, /^[0-9a-f-]{36}$/);
    const b = await c.request('DescribeBlueprints', { Limit: 2 });
    assert.ok(Array.isArray(b.BlueprintSet));
    const started = Date.now();
    await Promise.all([1, 2, 3].map(() => c.describeBlueprints({ Limit: 1 })));
    assert.ok(Date.now() - started >= 150, 'three calls of one action are spaced by the 10/s limiter');
    assert.equal(api.stats().throttled, 0);
  });

  test('hostile input repeated 2,000 times does not corrupt the module instance', async () => {
    // A JS exception that unwinds through wasm frames leaks the shadow stack and leaves RefCell borrows
    // taken: after enough of them every later call fails with `RuntimeError: unreachable` / `memory
    // access out of bounds`. Each call below must be a TencentCloudError and the module must still work.
    const failures = new Map();
    const note = (k, e) => {
      const why = notAPackageError(e);
      if (why) failures.set(k, why);
    };
    const c = client();
    for (let i = 0; i < 2000; i++) {
      const { proxy, revoke } = Proxy.revocable({}, {});
      revoke();
      try {
        signRequest(proxy);
      } catch (e) {
        note('signRequest(revoked Proxy)', e);
      }
      try {
        await c.describeInstances({ InstanceIds: new Proxy([ID], { get: boom }) });
      } catch (e) {
        note('describeInstances({InstanceIds: throwing Proxy})', e);
      }
      try {
        setRateLimit(10, 5);
      } catch (e) {
        note('setRateLimit(10, 5)', e);
      }
    }
    try {
      setRateLimit(false);
    } catch (e) {
      note('setRateLimit(false) afterwards', e);
    }
    const [v] = await signingVectors();
    let after;
    try {
      after = signRequest(v.input).signature;
    } catch (e) {
      after = `${e?.constructor?.name}: ${e?.message}`;
    }
    const freed = (() => {
      try {
        c.free();
        return 'ok';
      } catch (e) {
        return e.message;
      }
    })();
    assert.deepEqual({ failures: Object.fromEntries(failures), signatureAfter: after, free: freed }, { failures: {}, signatureAfter: v.signature, free: 'ok' });
  });
});
