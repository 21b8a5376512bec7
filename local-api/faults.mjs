// Fault injection: the pending faults of one server, which request a fault fires on, and what it answers.

import { ZH } from './errors.mjs';
import { isPlainObject } from './json.mjs';

// The English words of the codes a fault answers with when the test gave no message.
const EN_FAULT = {
  RequestLimitExceeded: 'Your current request frequency exceeds the limit. Please reduce the frequency of calls.',
  InternalError: 'An internal error has occurred. Retry your request, but if the problem persists, contact us.',
};

const FAULT_KINDS = [
  'html500',
  'badGateway',
  'nonJson',
  'truncated',
  'empty',
  'slow',
  'connectionReset',
  'answerLost',
  'throttle',
  'serviceError',
  'hideInstance',
];
// Whether the request's action takes effect when the fault fires (overridable per fault with `takesEffect`).
const FAULT_TAKES_EFFECT = { slow: true, answerLost: true, truncated: true };

function requestMentions(params, instanceId) {
  if (!instanceId) return true;
  if (!isPlainObject(params)) return false;
  return params.InstanceId === instanceId || (Array.isArray(params.InstanceIds) && params.InstanceIds.includes(instanceId));
}

export class FaultList {
  constructor() {
    this.pending = []; // in injection order: the first match fires
    this.seq = 0; // not reset by clear(), so fault ids stay unique for the server's life
  }

  inject(spec = {}) {
    if (!isPlainObject(spec) || !FAULT_KINDS.includes(spec.kind)) {
      throw new TypeError(`injectFault: kind must be one of ${FAULT_KINDS.join(', ')}`);
    }
    if (spec.kind === 'hideInstance' && typeof spec.instanceId !== 'string') {
      throw new TypeError('injectFault: hideInstance needs instanceId');
    }
    const times = spec.times === undefined ? 1 : spec.times;
    if (!(times === Infinity || times === -1 || (Number.isInteger(times) && times > 0))) {
      throw new TypeError('injectFault: times must be a positive integer, or Infinity / -1 for "until cleared"');
    }
    const fault = {
      id: ++this.seq,
      kind: spec.kind,
      action: spec.action ?? null,
      instanceId: spec.instanceId ?? null,
      remaining: times === -1 ? Infinity : times,
      delayMs: spec.delayMs ?? 1000,
      code: spec.code ?? 'InternalError',
      // null: the service's own words for the code, in the request's language.
      message: spec.message ?? null,
      takesEffect: spec.takesEffect ?? Boolean(FAULT_TAKES_EFFECT[spec.kind]),
    };
    this.pending.push(fault);
    return { ...fault };
  }

  clear() {
    this.pending = [];
  }

  /** Copies of the pending faults. */
  list() {
    return this.pending.map((f) => ({ ...f }));
  }

  /** The fault that fires on this request (consumes one of its `times`), or null. */
  take(action, params) {
    for (const f of this.pending) {
      if (f.kind === 'hideInstance') continue;
      if (f.action && f.action !== action) continue;
      if (!requestMentions(params, f.instanceId)) continue;
      this.consume(f);
      return f;
    }
    return null;
  }

  /** Whether a hideInstance fault removes this instance from this DescribeInstances answer (consumes one). */
  hides(instanceId) {
    const f = this.pending.find((x) => x.kind === 'hideInstance' && x.instanceId === instanceId);
    if (!f) return false;
    this.consume(f);
    return true;
  }

  consume(f) {
    f.remaining--;
    if (f.remaining <= 0) this.pending.splice(this.pending.indexOf(f), 1);
  }
}

const HTML = (status, title) =>
  `<html>\r\n<head><title>${status} ${title}</title></head>\r\n<body>\r\n` +
  `<center><h1>${status} ${title}</h1></center>\r\n<hr><center>stgw</center>\r\n</body>\r\n</html>\r\n`;

/**
 * What a fired fault answers: `{ status, contentType, body, errorCode? }` (`errorCode` for an API error it
 * answers in place of the action's), or null to destroy the socket without an answer. `text` is the real
 * answer when the action was processed, else null.
 */
export function faultAnswer(fault, requestId, text, lang = 'zh') {
  switch (fault.kind) {
    case 'connectionReset':
    case 'answerLost':
      return null;
    case 'html500':
      return { status: 500, contentType: 'text/html', body: HTML(500, 'Internal Server Error') };
    case 'badGateway':
      return { status: 502, contentType: 'text/html', body: HTML(502, 'Bad Gateway') };
    case 'nonJson':
      return { status: 200, contentType: 'text/plain; charset=utf-8', body: 'upstream answered: service temporarily unavailable' };
    case 'empty':
      return { status: 200, contentType: 'application/json', body: '' };
    case 'truncated': {
      const full = text ?? JSON.stringify({ Response: { RequestId: requestId } });
      return { status: 200, contentType: 'application/json', body: full.slice(0, Math.floor(full.length / 2)) };
    }
    case 'throttle':
    case 'serviceError': {
      const code = fault.kind === 'throttle' ? 'RequestLimitExceeded' : fault.code;
      const own = fault.kind === 'throttle' ? null : fault.message;
      const message = own ?? (lang === 'en' ? (EN_FAULT[code] ?? EN_FAULT.InternalError) : (ZH[code] ?? ZH[code.split('.')[0]] ?? ZH.InternalError));
      const body = JSON.stringify({ Response: { Error: { Code: code, Message: message }, RequestId: requestId } });
      return { status: 200, contentType: 'application/json', body, errorCode: code };
    }
    default: // slow: answer normally
      return { status: 200, contentType: 'application/json', body: text };
  }
}
