// Shared helpers of the hardening suites (issue #7): settling a call with a hang limit, classifying the
// outcome, hostile values, a fetch spy that answers like the API, and secret-canary scanning.
import util from 'node:util';
import { createHash } from 'node:crypto';
import { TencentCloudError } from 'tc3-lighthouse';

export const HANG_MS = 5_000;
export const RID = '6f7bd3d9-0000-4000-8000-00000000c0de';

/**
 * Calls `fn` and waits for it to settle, at most `ms`. Never throws. Returns
 * `{ how: 'threw' | 'returned' | 'rejected' | 'resolved' | 'hang', value?, error? }`.
 */
export async function settle(fn, ms = HANG_MS) {
  let r;
  try {
    r = fn();
  } catch (error) {
    return { how: 'threw', error };
  }
  if (r === null || (typeof r !== 'object' && typeof r !== 'function') || typeof r.then !== 'function') {
    return { how: 'returned', value: r };
  }
  let timer;
  const hang = new Promise((resolve) => {
    timer = setTimeout(() => resolve({ how: 'hang' }), ms);
  });
  const done = Promise.resolve(r).then(
    (value) => ({ how: 'resolved', value }),
    (error) => ({ how: 'rejected', error }),
  );
  try {
    return await Promise.race([done, hang]);
  } finally {
    clearTimeout(timer);
  }
}

/** Why `e` is not an acceptable failure of the package (null when it is a proper TencentCloudError). */
export function notAPackageError(e) {
  if (e instanceof WebAssembly.RuntimeError) return `a WebAssembly RuntimeError: ${e.message}`;
  let ok = false;
  try {
    ok = TencentCloudError.isInstance(e);
  } catch {
    ok = false;
  }
  if (!ok) {
    let name = '?';
    try {
      name = `${e?.constructor?.name ?? typeof e}: ${e?.message ?? String(e)}`;
    } catch {
      /* hostile */
    }
    return `not a TencentCloudError (${name.slice(0, 200)})`;
  }
  if (e.name !== 'TencentCloudError') return `name is ${e.name}`;
  if (typeof e.code !== 'string' || !e.code) return 'no code';
  if (typeof e.message !== 'string' || !e.message) return 'no message';
  if (typeof e.kind !== 'string' || typeof e.retryable !== 'boolean') return 'no kind/retryable';
  return null;
}

/** Codes a call may fail with before sending anything (input and config checks). */
export const PRE_REQUEST_CODES = new Set([
  'ClientError.InvalidArgument',
  'ClientError.Credentials',
  'MissingParameter',
  'InvalidParameterValue.InstanceIdMalformed',
  'InvalidParameterValue.BlueprintIdMalformed',
]);

export function polluted() {
  // eslint-disable-next-line no-proto
  const probes = [{}.polluted, [].polluted, (() => {}).polluted, Object.prototype.polluted, {}.evil];
  return probes.some((p) => p !== undefined) || Object.hasOwn(Object.prototype, 'polluted');
}

export function cleanPollution() {
  for (const proto of [Object.prototype, Array.prototype, Function.prototype]) {
    delete proto.polluted;
    delete proto.evil;
  }
}

/** A copy of `obj` with an own `__proto__` key, as `JSON.parse('{"__proto__": ...}')` makes. */
export function protoKeyed(obj) {
  const o = { ...obj };
  Object.defineProperty(o, '__proto__', { value: { polluted: 1, evil: 'yes' }, enumerable: true, writable: true, configurable: true });
  return o;
}

const FIVE_MB = 5 * 1024 * 1024;
let bigString;
function big() {
  bigString ??= 'x'.repeat(FIVE_MB);
  return bigString;
}

/**
 * The bad-input values. `t` is the type tag the field specs judge by.
 * Each `make()` returns a fresh value (some are single-use: revoked proxies, getters).
 */
export function badValues() {
  const boom = () => {
    throw new Error('hostile getter');
  };
  return [
    { label: 'undefined', t: 'absent', make: () => undefined },
    { label: 'null', t: 'absent', make: () => null },
    { label: 'true', t: 'bool', make: () => true },
    { label: 'false', t: 'bool', make: () => false },
    { label: '0', t: 'num', n: 0, make: () => 0 },
    { label: '-1', t: 'num', n: -1, make: () => -1 },
    { label: '1.5', t: 'num', n: 1.5, make: () => 1.5 },
    { label: 'NaN', t: 'num', n: NaN, make: () => NaN },
    { label: 'Infinity', t: 'num', n: Infinity, make: () => Infinity },
    { label: '-Infinity', t: 'num', n: -Infinity, make: () => -Infinity },
    { label: '1e308', t: 'num', n: 1e308, make: () => 1e308 },
    { label: '-1e308', t: 'num', n: -1e308, make: () => -1e308 },
    { label: '2**53+2', t: 'num', n: 2 ** 53 + 2, make: () => 2 ** 53 + 2 },
    { label: 'BigInt 10n', t: 'bigint', make: () => 10n },
    { label: "''", t: 'str', s: '', make: () => '' },
    { label: '5 MB string', t: 'str', s: 'big', make: () => big() },
    { label: 'string with NUL', t: 'str', s: 'nul', make: () => 'a\u0000b' },
    { label: 'lone high surrogate', t: 'str', s: 'surrogate', make: () => 'x\ud800y' },
    { label: 'lone low surrogate', t: 'str', s: 'surrogate', make: () => '\udc00' },
    { label: 'boxed String', t: 'boxed', make: () => new String('lhins-abcd1234') }, // eslint-disable-line no-new-wrappers
    { label: '[]', t: 'array', empty: true, make: () => [] },
    { label: "['a']", t: 'array', make: () => ['a'] },
    { label: '[1, null]', t: 'array', make: () => [1, null] },
    { label: '{}', t: 'object', empty: true, make: () => ({}) },
    { label: 'Object.create(null)', t: 'object', empty: true, make: () => Object.create(null) },
    {
      label: 'object with throwing getters',
      t: 'object',
      hostile: true,
      make: () => ({
        get toJSON() {
          return boom();
        },
        get then() {
          return boom();
        },
        get secretId() {
          return boom();
        },
        get InstanceId() {
          return boom();
        },
        get Name() {
          return boom();
        },
      }),
    },
    { label: 'object with throwing toString/valueOf', t: 'object', make: () => ({ toString: boom, valueOf: boom, [Symbol.toPrimitive]: boom }) },
    { label: '{"__proto__":{polluted}}', t: 'object', proto: true, make: () => JSON.parse('{"__proto__":{"polluted":1,"evil":"yes"}}') },
    { label: '{constructor:{prototype:{polluted}}}', t: 'object', proto: true, make: () => ({ constructor: { prototype: { polluted: 1 } } }) },
    { label: 'Date', t: 'object', make: () => new Date(0) },
    { label: 'Symbol', t: 'symbol', make: () => Symbol('hostile') },
    { label: 'function', t: 'function', make: () => function f() {} },
    { label: 'async function', t: 'function', make: () => async () => ({}) },
    // Hostile objects whose mere inspection throws: JS engines throw from Array.isArray, instanceof,
    // property reads or iteration; none of it may escape as anything but a TencentCloudError.
    {
      label: 'revoked Proxy',
      t: 'object',
      hostile: true,
      make: () => {
        const r = Proxy.revocable({}, {});
        r.revoke();
        return r.proxy;
      },
    },
    {
      label: 'Proxy with throwing traps',
      t: 'object',
      hostile: true,
      make: () => new Proxy({}, { get: boom, has: boom, ownKeys: boom, getPrototypeOf: boom, getOwnPropertyDescriptor: boom }),
    },
    {
      label: 'array with a throwing index getter',
      t: 'array',
      hostile: true,
      make: () => {
        const a = ['lhins-abcd1234'];
        Object.defineProperty(a, 0, { get: boom, enumerable: true });
        return a;
      },
    },
    // Not hostile to the package: it reads arrays by index, as JSON.stringify does, so this array is
    // as valid as any other (and is serialised the same).
    {
      label: 'array with a throwing iterator',
      t: 'array',
      make: () => {
        const a = ['lhins-abcd1234'];
        a[Symbol.iterator] = boom;
        return a;
      },
    },
    {
      label: 'Proxy of an array with throwing traps',
      t: 'array',
      hostile: true,
      make: () => new Proxy(['lhins-abcd1234'], { get: boom, getOwnPropertyDescriptor: boom, ownKeys: boom }),
    },
  ];
}

/** A fake AbortSignal: passes `instanceof AbortSignal`, but its getters throw. */
export function fakeAbortSignal() {
  return Object.create(AbortSignal.prototype);
}

/** JSON of the API's answer, with a Date header like the service's. */
export function apiResponse(inner, status = 200) {
  return new Response(JSON.stringify({ Response: inner }), {
    status,
    headers: { 'content-type': 'application/json', date: new Date().toUTCString() },
  });
}

function headerOf(init, name) {
  const h = init?.headers;
  if (!h) return undefined;
  if (typeof h.get === 'function') return h.get(name) ?? undefined;
  for (const [k, v] of Object.entries(h)) if (k.toLowerCase() === name.toLowerCase()) return v;
  return undefined;
}

/**
 * A fetch that never touches the network: it counts calls and answers like the API, with every
 * instance asked for RUNNING and its last ResetInstance (RequestId `RID`) in SUCCESS.
 */
export function makeFetchSpy() {
  const spy = {
    calls: 0,
    actions: [],
    fetch: async (url, init) => {
      spy.calls++;
      const action = headerOf(init, 'X-TC-Action') ?? 'unknown';
      spy.actions.push(action);
      let params = {};
      try {
        params = JSON.parse(typeof init?.body === 'string' ? init.body : '{}');
      } catch {
        params = {};
      }
      const started = new Date(Date.now() - 1000).toISOString().replace(/\.\d+Z$/, 'Z');
      switch (action) {
        case 'ResetInstance':
          return apiResponse({ RequestId: RID });
        case 'DescribeInstances': {
          const ids = Array.isArray(params.InstanceIds) ? params.InstanceIds : [];
          const set = ids.map((InstanceId) => ({
            InstanceId,
            InstanceName: 'spy',
            InstanceState: 'RUNNING',
            BlueprintId: 'lhbp-5e8807lo',
            LatestOperation: 'ResetInstance',
            LatestOperationState: 'SUCCESS',
            LatestOperationRequestId: RID,
            LatestOperationStartedTime: started,
          }));
          return apiResponse({ TotalCount: set.length, InstanceSet: set, RequestId: RID });
        }
        case 'DescribeBlueprints':
          return apiResponse({ TotalCount: 0, BlueprintSet: [], RequestId: RID });
        default:
          return apiResponse({ RequestId: RID });
      }
    },
  };
  return spy;
}

/** sha256 hex of a string's UTF-8 as Node (and fetch) would send it (lone surrogates become U+FFFD). */
export function sha256Utf8(s) {
  return createHash('sha256').update(Buffer.from(s, 'utf8')).digest('hex');
}

/** Everything a user or a logger may print of `v`, each rendering guarded. */
export function renderings(v, seen = new Set()) {
  const out = [];
  const add = (f) => {
    try {
      const s = f();
      if (s !== undefined) out.push(String(s));
    } catch {
      /* a hostile value */
    }
  };
  add(() => String(v));
  add(() => JSON.stringify(v));
  add(() => util.inspect(v, { depth: 10, showHidden: true, getters: true }));
  add(() => util.inspect(v, { depth: 10 }));
  add(() => util.format('%o %O %j', v, v, v));
  if (v !== null && (typeof v === 'object' || typeof v === 'function') && !seen.has(v)) {
    seen.add(v);
    add(() => v.message);
    add(() => v.stack);
    add(() => (typeof v.toString === 'function' ? v.toString() : undefined));
    add(() => (typeof v.toJSON === 'function' ? JSON.stringify(v.toJSON()) : undefined));
    let keys = [];
    try {
      keys = Reflect.ownKeys(v);
    } catch {
      keys = [];
    }
    for (const k of keys) {
      let x;
      try {
        x = v[k];
      } catch {
        continue;
      }
      add(() => (typeof x === 'string' ? x : JSON.stringify(x)));
      if (k === 'cause' && x !== undefined) out.push(...renderings(x, seen));
    }
  }
  return out;
}

/** The secrets found in `texts`, with redacted context (the secret itself is never printed). */
export function findSecrets(texts, secrets) {
  const hits = [];
  for (const t of texts) {
    for (const s of secrets) {
      const i = t.indexOf(s);
      if (i >= 0) {
        let context = t.slice(Math.max(0, i - 60), i);
        for (const other of secrets) context = context.split(other).join('<SECRET>');
        hits.push(`…${context.replace(/\n/g, '\\n')}<SECRET #${secrets.indexOf(s)}>`);
      }
    }
  }
  return hits;
}

/** Captures console.* and process.stdout/stderr writes while active (passing them through). */
export function captureOutput() {
  const chunks = [];
  const originals = {};
  for (const m of ['log', 'info', 'warn', 'error', 'debug', 'trace', 'dir']) {
    originals[m] = console[m];
    console[m] = (...args) => {
      try {
        chunks.push(util.format(...args));
      } catch {
        chunks.push('<unformattable>');
      }
      return originals[m].apply(console, args);
    };
  }
  const out = process.stdout.write;
  const err = process.stderr.write;
  process.stdout.write = function write(c, ...rest) {
    chunks.push(String(c));
    return out.call(this, c, ...rest);
  };
  process.stderr.write = function write(c, ...rest) {
    chunks.push(String(c));
    return err.call(this, c, ...rest);
  };
  return {
    chunks,
    stop() {
      for (const [m, f] of Object.entries(originals)) console[m] = f;
      process.stdout.write = out;
      process.stderr.write = err;
    },
  };
}

/** A short printable label of a value, for reports. */
export function show(v) {
  try {
    if (typeof v === 'string') return v.length > 40 ? `string(${v.length})` : JSON.stringify(v);
    if (typeof v === 'symbol' || typeof v === 'bigint') return String(v);
    return util.inspect(v, { depth: 1, breakLength: Infinity }).slice(0, 60);
  } catch {
    return '<hostile>';
  }
}

/** The project's signing vectors, as `signRequest` inputs with their expected signatures. */
export async function signingVectors() {
  const { readFile } = await import('node:fs/promises');
  const url = new URL('../vectors/tc3.json', import.meta.url);
  const { vectors } = JSON.parse(await readFile(url, 'utf8'));
  return vectors.map(({ name, inputs: i, outputs: o }) => {
    const input = {
      secretId: i.secret_id,
      secretKey: i.secret_key,
      service: i.service,
      host: i.host,
      action: i.action,
      version: i.version,
      region: i.region,
      timestamp: i.timestamp,
      method: i.method,
      contentType: i.content_type,
      query: i.query,
      payload: i.payload,
    };
    if (i.token) input.token = i.token;
    if (i.language) input.language = i.language;
    return { name, input, signature: o.signature, authorization: o.authorization };
  });
}

/**
 * Starts local Lighthouse APIs in their own process (hardening-api-server.mjs). Returns `{ urls, close }`;
 * each API's control endpoints (/__control/log, /stats, /reset ...) reach it from here.
 */
export async function startApiProcess(specs) {
  const { spawn } = await import('node:child_process');
  const { fileURLToPath } = await import('node:url');
  const server = spawn(process.execPath, [fileURLToPath(new URL('./hardening-api-server.mjs', import.meta.url)), JSON.stringify(specs)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise((r) => server.on('exit', r));
  const urls = await new Promise((resolve, reject) => {
    let buf = '';
    server.stdout.on('data', (c) => {
      buf += c;
      if (buf.includes('\n')) resolve(JSON.parse(buf));
    });
    server.on('exit', (code) => reject(new Error(`the API process exited (${code})`)));
  });
  return {
    urls,
    async close() {
      server.stdin.end();
      await exited;
    },
  };
}

/** A control call of a local API (no signature): GET with no body, POST with a JSON body. */
export async function control(url, path, body) {
  const res = await fetch(
    new URL(`/__control/${path}`, url),
    body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
  );
  if (!res.ok) throw new Error(`control ${path}: HTTP ${res.status}`);
  return res.json();
}
