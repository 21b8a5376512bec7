// Hot-path glue for signRequest: one crossing to read every field, one to build the result with a
// fixed shape (each crossing costs more than the hashing of a small request).

const SIGN_KEYS = [
  'secretId',
  'secretKey',
  'token',
  'service',
  'host',
  'action',
  'version',
  'region',
  'language',
  'timestamp',
  'method',
  'contentType',
  'query',
  'payload',
];

let payload;

const MAX_TIMESTAMP = 253402300799;
const INLINE_PAYLOAD = 8192;

// Reads every field of a SignInput in one crossing. Returns the fields NUL-separated, in the order of
// SIGN_KEYS, each preceded by a flag character: '1' present, '0' absent; the timestamp as digits, '2'
// when it is not an integer Unix time. The payload comes last (so it alone may hold NULs): inline when
// small, or '2' when it is kept aside for `signPayload` (no copy of a large body). A bad input comes
// back as '\u0001' and a code: 1000 + i when a getter threw, 100 + i when a field has the wrong type,
// 200 when a field other than the payload holds a NUL (then the caller reads field by field with
// `signField`), 300 when the input is not an object. Always a string, so it crosses as one.
export function packSignInput(input) {
  // A body kept aside by an earlier call that failed before taking it is not kept any longer.
  payload = undefined;
  if (input === null || typeof input !== 'object') return '\u0001300';
  try {
    if (Array.isArray(input)) return '\u0001300';
  } catch {
    return '\u0001300';
  }
  let out = '';
  for (let i = 0; i < SIGN_KEYS.length; i++) {
    let v;
    try {
      v = input[SIGN_KEYS[i]];
    } catch {
      return '\u0001' + (1000 + i);
    }
    if (v === undefined || v === null) {
      out += i === 13 ? '0' : '0\0';
    } else if (i === 9) {
      out += Number.isInteger(v) && v >= 0 && v <= MAX_TIMESTAMP ? '1' + v + '\0' : '2\0';
    } else if (typeof v !== 'string') {
      return '\u0001' + (100 + i);
    } else if (i === 13) {
      if (v.length <= INLINE_PAYLOAD) {
        out += '1' + v;
      } else {
        payload = v;
        out += '2';
      }
    } else if (v.includes('\0')) {
      return '\u0001200';
    } else {
      out += '1' + v + '\0';
    }
  }
  return out;
}

// The scratch area in wasm memory that `packSignInputInto` writes to (set once by the wasm).
let scratchMemory;
let scratchPtr = 0;
let scratchLen = 0;
let scratchView;
const encoder = new TextEncoder();

export function setScratch(memory, ptr, len) {
  scratchMemory = memory;
  scratchPtr = ptr;
  scratchLen = len;
  scratchView = undefined;
}

// `packSignInput`, UTF-8 encoded straight into the scratch area: the number of bytes written, or
// -1 when it does not fit (then the wasm takes the string from `takePacked`: the input is read once).
let pendingPacked = '';
export function packSignInputInto(input) {
  const packed = packSignInput(input);
  // UTF-8 takes at least a byte per UTF-16 unit: longer strings cannot fit, so are not written at all.
  if (scratchMemory === undefined || packed.length > scratchLen) {
    pendingPacked = packed;
    return -1;
  }
  // A grown memory detaches the old buffer: take a fresh view of the new one.
  if (scratchView === undefined || scratchView.buffer !== scratchMemory.buffer) {
    scratchView = new Uint8Array(scratchMemory.buffer, scratchPtr, scratchLen);
  }
  const { read, written } = encoder.encodeInto(packed, scratchView);
  if (read !== packed.length) {
    // It did not fit after all (multi-byte characters): wipe the part written, which holds the key.
    scratchView.fill(0, 0, written);
    pendingPacked = packed;
    return -1;
  }
  return written;
}

export function takePacked() {
  const p = pendingPacked;
  pendingPacked = '';
  return p;
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
    authorization: p[0],
    signature: p[1],
    canonicalRequest: p[2],
    stringToSign: p[3],
    credentialScope: p[4],
    timestamp,
    headers,
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
