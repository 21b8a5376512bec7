// Hot-path glue for signRequest: one crossing to read a field by index (no key string decoded per
// call, no Reflect wrapper), and one to build the result with a fixed shape.

const SIGN_KEYS = ['secretId', 'secretKey', 'token', 'service', 'host', 'action', 'version', 'region',
  'language', 'timestamp', 'method', 'contentType', 'query', 'payload'];

// A unique value standing for "the getter threw".
const THREW = Symbol('threw');

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
    authorization: p[0], signature: p[1], canonicalRequest: p[2], stringToSign: p[3], credentialScope: p[4],
    timestamp, headers,
  };
}
