// The one error class of tc3-lighthouse. Rust builds every instance through `makeError`, so the
// shape is the same whatever failed; users catch it by class or with TencentCloudError.isInstance.

const BRAND = Symbol.for('tc3-lighthouse.TencentCloudError');

export class TencentCloudError extends Error {
  constructor(code, message, options) {
    const o = options || {};
    super(message, 'cause' in o ? { cause: o.cause } : undefined);
    Object.defineProperty(this, BRAND, { value: true });
    this.name = 'TencentCloudError';
    this.code = String(code);
    this.kind = o.kind || 'other';
    this.retryable = Boolean(o.retryable);
    if (o.requestId !== undefined) this.requestId = o.requestId;
    if (o.httpStatus !== undefined) this.httpStatus = o.httpStatus;
    if (o.action !== undefined) this.action = o.action;
    // Waiter errors carry what the waiter last saw.
    if (o.instance !== undefined) this.instance = o.instance;
    if (o.elapsedSeconds !== undefined) this.elapsedSeconds = o.elapsedSeconds;
    if (o.attempts !== undefined) this.attempts = o.attempts;
  }

  // True for errors from any copy of the package (two bundles, two versions), where instanceof is not.
  static isInstance(value) {
    try {
      return value instanceof TencentCloudError || (value != null && typeof value === 'object' && value[BRAND] === true);
    } catch {
      // A revoked Proxy throws on any question: it is no error of ours.
      return false;
    }
  }

  toJSON() {
    const out = { name: this.name, code: this.code, message: this.message, kind: this.kind, retryable: this.retryable };
    for (const k of ['requestId', 'httpStatus', 'action', 'elapsedSeconds', 'attempts']) {
      if (this[k] !== undefined) out[k] = this[k];
    }
    return out;
  }
}

export function errorClass() {
  return TencentCloudError;
}

export function makeError(code, message, kind, retryable, requestId, httpStatus, action, cause, extra) {
  // Our providers' messages say what they tried, never a secret: kept.
  if (code === 'ClientError.Credentials' && cause?.code === code && TencentCloudError.isInstance(cause)) message = cause.message;
  const o = { kind, retryable };
  if (requestId != null) o.requestId = requestId;
  if (httpStatus != null) o.httpStatus = httpStatus;
  if (action != null) o.action = action;
  if (cause !== undefined) o.cause = cause;
  if (extra != null) Object.assign(o, extra);
  const e = new TencentCloudError(code, message, o);
  return e;
}

// The package's entries call this on LighthouseClient: a method called unbound (`const f = client.describeInstances`)
// or on a freed client (free(), Symbol.dispose) would otherwise fail in wasm-bindgen's glue with a TypeError or
// "null pointer passed to rust". It fails with a TencentCloudError instead: async methods reject, the rest throw.
// The paginators return an iterator, not a promise: they throw too.
const SYNC = new Set(['toString', 'toJSON', 'free', 'paginateDescribeInstances', 'paginateDescribeBlueprints']);

export function guardClient(cls) {
  const proto = cls.prototype;
  const free = proto.free;
  for (const name of Object.getOwnPropertyNames(proto)) {
    const method = Object.getOwnPropertyDescriptor(proto, name).value;
    if (name === 'constructor' || typeof method !== 'function') continue;
    proto[name] = {
      [name](...args) {
        const live = this instanceof cls && typeof this.__wbg_ptr === 'number';
        if (live && this.__wbg_ptr !== 0) return method.apply(this, args);
        // Freeing twice is harmless, as disposing twice should be.
        if (live && name === 'free') return undefined;
        const message = live
          ? `This LighthouseClient was freed (free() or Symbol.dispose): \`${name}\` needs a new client.`
          : `\`LighthouseClient.prototype.${name}\` was called without a client: call \`client.${name}(...)\`, or bind it first.`;
        const e = new TencentCloudError('ClientError.InvalidArgument', message, { kind: 'invalidInput', retryable: false });
        if (SYNC.has(name)) throw e;
        return Promise.reject(e);
      },
    }[name];
  }
  // The glue made Symbol.dispose the unguarded free: `using` a client freed by hand must not trap either.
  if (typeof Symbol.dispose === 'symbol' && proto[Symbol.dispose] === free) proto[Symbol.dispose] = proto.free;
}

// Paginators: async iterators of every page, Offset advanced by the page size until TotalCount is reached.
// Installed before guardClient, which then answers an unbound or freed call (by throwing: SYNC).
const PAGES = {
  paginateDescribeInstances: ['describeInstances', 'DescribeInstances', 'InstanceSet'],
  paginateDescribeBlueprints: ['describeBlueprints', 'DescribeBlueprints', 'BlueprintSet'],
};
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

export function installPaginators(cls) {
  for (const [name, [method, action, key]] of Object.entries(PAGES)) {
    cls.prototype[name] = function (input, options) {
      const bad = (field, rule) => {
        throw new TencentCloudError('ClientError.InvalidArgument', `\`${field}\` must be ${rule}.`, { kind: 'invalidInput', action });
      };
      const int = (v, field, min, max) => v === undefined || (Number.isInteger(v) && v >= min && v <= max) || bad(field, `an integer from ${min} to ${max}`);
      const given = input ?? {};
      if (!isObject(given)) bad('input', 'an object');
      if (options != null && !isObject(options)) bad('options', 'an object');
      const { pageSize, ...callOptions } = options ?? {};
      int(given.Offset, 'input.Offset', 0, 1e9);
      int(given.Limit, 'input.Limit', 1, 100);
      int(pageSize, 'options.pageSize', 1, 100);
      const limit = pageSize ?? given.Limit ?? 100;
      return (async function* (client, offset) {
        for (;;) {
          const page = await client[method]({ ...given, Offset: offset, Limit: limit }, callOptions);
          yield page;
          offset += limit;
          // An empty page ends it too: a listing that shrank while paging must not loop.
          if (!page[key]?.length || offset >= page.TotalCount) return;
        }
      })(this, given.Offset ?? 0);
    };
  }
}

// An export of the server build that the page build leaves out (the signing proxy holds keys, which a page must
// never have): calling it fails with a TencentCloudError saying where it runs.
export function serverOnly(name) {
  return {
    [name]() {
      throw new TencentCloudError(
        'ClientError.Unsupported',
        `\`${name}\` runs on a server (Node, Deno, Bun, Cloudflare Workers), not in the browser build: a page must never hold the keys it signs with.`,
        { kind: 'other', retryable: false },
      );
    },
  }[name];
}
