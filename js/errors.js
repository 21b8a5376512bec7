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
  const o = { kind, retryable };
  if (requestId != null) o.requestId = requestId;
  if (httpStatus != null) o.httpStatus = httpStatus;
  if (action != null) o.action = action;
  if (cause !== undefined) o.cause = cause;
  if (extra != null) Object.assign(o, extra);
  const e = new TencentCloudError(code, message, o);
  return e;
}
