// Hot-path glue for signRequest: one crossing to read every field, one to build the result with a
// fixed shape (each crossing costs more than the hashing of a small request).

const SIGN_KEYS = ['secretId', 'secretKey', 'token', 'service', 'host', 'action', 'version', 'region',
  'language', 'timestamp', 'method', 'contentType', 'query', 'payload'];

let timestamp;
let payload;

// Reads every field of a SignInput in one crossing. Returns the string fields NUL-separated, in the
// order of SIGN_KEYS, each preceded by a flag character ('1' present, '0' absent). The timestamp and
// the payload (which may be large, and may hold NULs) are kept aside for `signTimestamp` and
// `signPayload`. A number instead of a string means a bad field: -1 - i when its getter threw,
// 100 + i when it has the wrong type; 200 when a field holds a NUL (then the caller reads field by
// field with `signField`).
export function packSignInput(input) {
  let out = '';
  for (let i = 0; i < SIGN_KEYS.length; i++) {
    let v;
    try {
      v = input[SIGN_KEYS[i]];
    } catch {
      return -1 - i;
    }
    if (i === 9) {
      timestamp = v;
    } else if (i === 13) {
      if (v !== undefined && v !== null && typeof v !== 'string') return 113;
      payload = v;
    } else if (v === undefined || v === null) {
      out += '0\0';
    } else if (typeof v !== 'string') {
      return 100 + i;
    } else if (v.includes('\0')) {
      return 200;
    } else {
      out += '1' + v + '\0';
    }
  }
  return out;
}

// The payload read by the last `packSignInput` (undefined when absent).
export function signPayload() {
  const p = payload;
  payload = undefined;
  return p ?? undefined;
}

// A unique value standing for "the getter threw".
const THREW = Symbol('threw');

// One field by index (the slow path, for inputs with NUL characters).
export function signField(input, index) {
  try {
    return input[SIGN_KEYS[index]];
  } catch {
    return THREW;
  }
}

export function isThrew(value) {
  return value === THREW;
}

// The timestamp read by the last `packSignInput`: undefined/null absent, NaN for a non-number.
export function signTimestamp() {
  const t = timestamp;
  timestamp = undefined;
  if (t === undefined || t === null) return undefined;
  return typeof t === 'number' ? t : NaN;
}

// `packed` is the NUL-separated parts (see bindings/sign.rs); `present` flags region, token, language.
export function signedResult(packed, timestamp, present) {
  const p = packed.split('\0');
  const headers = {
    Authorization: p[0],
    'Content-Type': p[5],
    Host: p[6],
    'X-TC-Action': p[7],
    'X-TC-Version': p[8],
    'X-TC-Timestamp': String(timestamp),
  };
  if (present & 1) headers['X-TC-Region'] = p[9];
  if (present & 2) headers['X-TC-Token'] = p[10];
  if (present & 4) headers['X-TC-Language'] = p[11];
  return {
    authorization: p[0], signature: p[1], canonicalRequest: p[2], stringToSign: p[3], credentialScope: p[4],
    timestamp, headers,
  };
}

// JSON without exceptions crossing into wasm: `undefined` when the text is not JSON or the value
// cannot be serialised (a cycle, a BigInt, a throwing toJSON or getter).
export function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function stringifyJson(value) {
  try {
    const s = JSON.stringify(value);
    return typeof s === 'string' ? s : undefined;
  } catch {
    return undefined;
  }
}
