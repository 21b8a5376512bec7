// TC3-HMAC-SHA256 verification with its own node:crypto code: it never imports the package's signer, so the
// package is tested against an independent implementation.

import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { fail } from './errors.mjs';

export const SERVICE = 'lighthouse';

const sha256Hex = (data) => createHash('sha256').update(data).digest('hex');
const hmac = (key, data) => createHmac('sha256', key).update(data).digest();
const utcDate = (unixSeconds) => new Date(unixSeconds * 1000).toISOString().slice(0, 10);

/** The Authorization header's fields, or null when it is not a well-formed TC3-HMAC-SHA256 one. */
export function parseAuthorization(value) {
  if (typeof value !== 'string') return null;
  const m = /^\s*TC3-HMAC-SHA256\s+(.+)$/.exec(value);
  if (!m) return null;
  const fields = {};
  for (const part of m[1].split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) return null;
    fields[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  const { Credential: credential, SignedHeaders: signedHeaders, Signature: signature } = fields;
  if (!credential || !signedHeaders || !signature) return null;
  const scope = credential.split('/');
  if (scope.length !== 4 || scope[3] !== 'tc3_request' || !scope[0]) return null;
  if (!/^[0-9a-f]{64}$/.test(signature)) return null;
  return { secretId: scope[0], date: scope[1], service: scope[2], signedHeaders, signature };
}

/** Checks requests against one server's credentials (SecretId -> { secretKey, token }). */
export class Tc3Verifier {
  constructor(credentials) {
    this.credentials = credentials;
    this.keyCache = new Map(); // per server, so the derived keys go with it
  }

  signingKey(secretKey, date, service = SERVICE) {
    const k = `${date}\n${service}\n${secretKey}`;
    let key = this.keyCache.get(k);
    if (!key) {
      key = hmac(hmac(hmac(`TC3${secretKey}`, date), service), 'tc3_request');
      if (this.keyCache.size > 1000) this.keyCache.clear();
      this.keyCache.set(k, key);
    }
    return key;
  }

  /**
   * Throws the ApiError a request fails with (see the README's order of checks); `nowMs` is the server clock.
   * `service`: the scope's service (`sts` for local-api/sts.mjs). Returns the credential that signed.
   */
  verify(ctx, nowMs, maxSkewSeconds, service = SERVICE) {
    const { headers } = ctx;
    if (!headers.authorization) {
      fail('AuthFailure.InvalidAuthorization', 'The Authorization header is missing.');
    }
    const auth = ctx.auth;
    if (!auth) {
      fail(
        'AuthFailure.InvalidAuthorization',
        'The Authorization header is malformed: expected ' +
          '"TC3-HMAC-SHA256 Credential=SecretId/YYYY-MM-DD/service/tc3_request, SignedHeaders=content-type;host, Signature=<64 hex>".',
      );
    }
    const cred = this.credentials.get(auth.secretId);
    if (!cred) fail('AuthFailure.SecretIdNotFound', 'The SecretId is not found, please ensure that your SecretId is correct.');
    const tsHeader = headers['x-tc-timestamp'];
    if (tsHeader === undefined) fail('MissingParameter', 'The request is missing the required header `X-TC-Timestamp`.');
    if (!/^\d{1,12}$/.test(String(tsHeader).trim())) {
      fail('InvalidParameter', `X-TC-Timestamp must be an integer number of Unix seconds, got "${tsHeader}".`);
    }
    const ts = Number(String(tsHeader).trim());
    const nowS = nowMs / 1000;
    if (Math.abs(ts - nowS) > maxSkewSeconds) {
      fail(
        'AuthFailure.SignatureExpire',
        `Signature expire. Timestamp is ${ts}, server time is ${Math.floor(nowS)}: they must not ` +
          `differ by more than ${maxSkewSeconds} seconds. Please check whether the local time is synchronized with the standard time.`,
      );
    }
    if (auth.service !== service) {
      fail('AuthFailure.SignatureFailure', `The service in the credential scope must be "${service}", got "${auth.service}".`);
    }
    if (auth.date !== utcDate(ts)) {
      fail('AuthFailure.SignatureFailure', `The date in the credential scope (${auth.date}) is not the UTC date of X-TC-Timestamp (${utcDate(ts)}).`);
    }
    const names = auth.signedHeaders.split(';');
    if (!names.includes('content-type') || !names.includes('host') || names.some((n) => !n || n !== n.toLowerCase())) {
      fail('AuthFailure.InvalidAuthorization', 'SignedHeaders must be lower-case names and include content-type and host.');
    }
    const canonicalHeaders = names
      .map(
        (n) =>
          `${n}:${String(headers[n] ?? '')
            .trim()
            .toLowerCase()}\n`,
      )
      .join('');
    const canonicalRequest = `${ctx.method}\n/\n${ctx.rawQuery}\n${canonicalHeaders}\n${auth.signedHeaders}\n${sha256Hex(ctx.body)}`;
    const stringToSign = `TC3-HMAC-SHA256\n${ts}\n${auth.date}/${service}/tc3_request\n${sha256Hex(canonicalRequest)}`;
    const expected = createHmac('sha256', this.signingKey(cred.secretKey, auth.date, service))
      .update(stringToSign)
      .digest();
    if (!timingSafeEqual(expected, Buffer.from(auth.signature, 'hex'))) {
      fail('AuthFailure.SignatureFailure', 'The provided credentials could not be validated. Please check your signature is correct.');
    }
    if (cred.token !== null) {
      const token = headers['x-tc-token'];
      if (token === undefined || token === '') fail('AuthFailure.TokenFailure', 'The X-TC-Token header is required for temporary credentials.');
      if (token !== cred.token) fail('AuthFailure.TokenFailure', 'The token in X-TC-Token is invalid or expired.');
    }
    // Temporary credentials minted by local-api/sts.mjs or metadata.mjs stop working at their ExpiredTime.
    if (cred.expiresAtMs != null && nowMs >= cred.expiresAtMs) fail('AuthFailure.TokenFailure', 'The temporary credentials have expired.');
    return cred;
  }
}
