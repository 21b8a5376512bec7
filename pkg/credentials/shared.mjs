// What every entry shares (Node, pages, workers, workerd): the cache every provider is built on, and fromHttp.
// No imports and no Node APIs, so it can sit in the browser payload; the entries hand in their
// TencentCloudError class (one class per entry's glue, so `instanceof` holds).

/** Refresh this long before `expiresAt` (as the core's REFRESH_MARGIN_S). */
export const REFRESH_MARGIN_S = 300;
// Repeated failures wait before the next try: 1 s, 2 s, 4 s ... up to 60 s. The first failure does not.
const BACKOFF_START_S = 1;
const BACKOFF_MAX_S = 60;

export function credentialsError(E, message, cause) {
  return new E('ClientError.Credentials', message, cause === undefined ? { kind: 'auth', retryable: false } : { kind: 'auth', retryable: false, cause });
}

export function invalidArgument(E, message) {
  return new E('ClientError.InvalidArgument', message, { kind: 'invalidInput', retryable: false });
}

/** Checks `options` is absent or an object with only `known` keys; `label` names it in the message. */
export function checkOptions(E, options, label, known) {
  if (options === undefined || options === null) return {};
  if (typeof options !== 'object' || Array.isArray(options)) throw invalidArgument(E, `\`${label}\` must be an object.`);
  for (const k of Object.keys(options)) {
    if (!known.includes(k)) throw invalidArgument(E, `\`${label}.${k}\` is not a known option (known: ${known.join(', ')}).`);
  }
  return options;
}

export function optionalString(E, value, label) {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value === '') throw invalidArgument(E, `\`${label}\` must be a non-empty string.`);
  return value;
}

export function positiveInteger(E, value, label, max = Number.MAX_SAFE_INTEGER) {
  if (value === undefined || value === null) return undefined;
  if (!Number.isInteger(value) || value <= 0 || value > max)
    throw invalidArgument(E, `\`${label}\` must be a positive integer${max < Number.MAX_SAFE_INTEGER ? ` up to ${max}` : ''}.`);
  return value;
}

/**
 * `{ secretId, secretKey, token?, expiresAt? }` checked; `what` names the source in messages. Values are
 * never quoted: the caller's message must not carry a key.
 */
export function checkCredentials(E, c, what) {
  if (!c || typeof c !== 'object') throw credentialsError(E, `${what} gave no credentials object.`);
  const { secretId, secretKey, token, expiresAt } = c;
  if (typeof secretId !== 'string' || secretId === '') throw credentialsError(E, `${what} gave no SecretId.`);
  if (typeof secretKey !== 'string' || secretKey === '') throw credentialsError(E, `${what} gave no SecretKey.`);
  if (token !== undefined && token !== null && typeof token !== 'string') throw credentialsError(E, `${what} gave a token that is not a string.`);
  const out = { secretId, secretKey };
  if (token) out.token = token;
  if (expiresAt !== undefined && expiresAt !== null) {
    if (typeof expiresAt !== 'number' || !Number.isFinite(expiresAt) || expiresAt < 0) {
      throw credentialsError(E, `${what} gave an expiry that is not Unix seconds.`);
    }
    // The official SDK's OIDC path compared seconds with milliseconds; refuse the mix-up instead of caching forever.
    if (expiresAt > 1e11) throw credentialsError(E, `${what} gave an expiry in milliseconds (${expiresAt}); it must be Unix seconds.`);
    out.expiresAt = expiresAt;
  }
  return out;
}

/**
 * A provider around `fetchOnce` (async, resolves to raw credentials): cached until REFRESH_MARGIN_S before
 * `expiresAt` (shorter-lived ones until they expire), one fetch shared by concurrent calls, a failure retried
 * by the next call, with backoff once failures repeat. While a refresh fails, credentials that have not yet
 * expired are still handed out. `now()` is Unix seconds (tests pass a fake clock).
 */
export function memoize(E, fetchOnce, what, { now = () => Date.now() / 1000 } = {}) {
  let creds = null;
  let refreshAt = 0;
  let inflight = null;
  let failures = 0;
  let retryAt = 0;
  let lastError = null;
  const usable = (t) => creds !== null && (creds.expiresAt === undefined || t < creds.expiresAt);
  const settle = (value) => {
    const t = now();
    const c = checkCredentials(E, value, what);
    creds = Object.freeze(c);
    if (c.expiresAt === undefined) refreshAt = Number.POSITIVE_INFINITY;
    else refreshAt = c.expiresAt - REFRESH_MARGIN_S > t ? c.expiresAt - REFRESH_MARGIN_S : c.expiresAt;
    failures = 0;
    lastError = null;
    return creds;
  };
  const failed = (e) => {
    const err = TencentCloudErrorLike(e) ? e : credentialsError(E, `${what} failed.`, e);
    failures++;
    lastError = err;
    retryAt = now() + (failures > 1 ? Math.min(BACKOFF_START_S * 2 ** (failures - 2), BACKOFF_MAX_S) : 0);
    if (usable(now())) return creds;
    throw err;
  };
  return function provider() {
    const t = now();
    if (creds !== null && t < refreshAt) return Promise.resolve(creds);
    if (inflight) return inflight;
    if (lastError !== null && t < retryAt) return usable(t) ? Promise.resolve(creds) : Promise.reject(lastError);
    inflight = Promise.resolve()
      .then(fetchOnce)
      .then(settle, failed)
      .finally(() => {
        inflight = null;
      });
    return inflight;
  };
}

function TencentCloudErrorLike(e) {
  return e !== null && typeof e === 'object' && e[Symbol.for('tc3-lighthouse.TencentCloudError')] === true;
}

/** The URL for messages: origin and path, never a query string or user info (either may hold a secret). */
export function describeUrl(url) {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return '(an invalid URL)';
  }
}

/** fetch with a timeout; rejects with a ClientError.Credentials naming `what`. */
export async function fetchWithTimeout(E, fetchFn, url, init, timeoutMs, what) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const res = await fetchFn(url, { ...init, signal: controller.signal });
    const text = await res.text();
    return { status: res.status, ok: res.ok, text };
  } catch (e) {
    if (controller.signal.aborted) throw credentialsError(E, `${what}: no answer within ${timeoutMs} ms.`);
    throw credentialsError(E, `${what}: the request failed (${e?.cause?.code ?? e?.name ?? 'network error'}).`, e);
  } finally {
    clearTimeout(timer);
  }
}

/** Parses JSON without ever quoting the text in an error (it may hold a key). */
export function parseJson(E, text, what) {
  try {
    return JSON.parse(text);
  } catch {
    throw credentialsError(E, `${what}: the answer is not JSON.`);
  }
}

/** Credentials from any of the shapes a backend or STS answers with, or null. */
export function fromAnyShape(body) {
  if (!body || typeof body !== 'object') return null;
  const b = body.Response && typeof body.Response === 'object' ? body.Response : body;
  if (typeof b.secretId === 'string' || typeof b.secretKey === 'string') {
    return { secretId: b.secretId, secretKey: b.secretKey, token: b.token, expiresAt: b.expiresAt };
  }
  const c = b.Credentials && typeof b.Credentials === 'object' ? b.Credentials : b;
  if (typeof c.TmpSecretId === 'string' || typeof c.TmpSecretKey === 'string') {
    let expiresAt = b.ExpiredTime ?? c.ExpiredTime;
    const expiration = b.Expiration ?? c.Expiration;
    if (expiresAt === undefined && typeof expiration === 'string' && !Number.isNaN(Date.parse(expiration))) expiresAt = Date.parse(expiration) / 1000;
    return { secretId: c.TmpSecretId, secretKey: c.TmpSecretKey, token: c.Token, expiresAt };
  }
  return null;
}

/** The `fromHttp` of an entry whose error class is `E`. */
export function makeFromHttp(E) {
  return function fromHttp(url, options) {
    const label = 'fromHttp';
    if (typeof url !== 'string' && !(url instanceof URL)) throw invalidArgument(E, '`fromHttp(url)`: `url` must be a string or a URL.');
    let href;
    try {
      href = new URL(String(url), globalThis.location?.href).href;
    } catch {
      throw invalidArgument(E, '`fromHttp(url)`: `url` is not a valid URL.');
    }
    const o = checkOptions(E, options, 'fromHttp options', ['headers', 'fetch', 'timeoutMs']);
    if (o.fetch !== undefined && typeof o.fetch !== 'function') throw invalidArgument(E, '`fromHttp options.fetch` must be a function.');
    if (o.headers !== undefined && (o.headers === null || typeof o.headers !== 'object'))
      throw invalidArgument(E, '`fromHttp options.headers` must be an object.');
    const timeoutMs = positiveInteger(E, o.timeoutMs, 'fromHttp options.timeoutMs') ?? 5000;
    const headers = { accept: 'application/json', ...o.headers };
    const what = `${label} (GET ${describeUrl(href)})`;
    return memoize(
      E,
      async () => {
        const fetchFn = o.fetch ?? globalThis.fetch.bind(globalThis);
        const res = await fetchWithTimeout(E, fetchFn, href, { method: 'GET', headers }, timeoutMs, what);
        if (!res.ok) throw credentialsError(E, `${what}: HTTP ${res.status}.`);
        const creds = fromAnyShape(parseJson(E, res.text, what));
        if (!creds) {
          throw credentialsError(
            E,
            `${what}: the answer has neither { secretId, secretKey, token, expiresAt } nor STS's { TmpSecretId, TmpSecretKey, Token, ExpiredTime }.`,
          );
        }
        return creds;
      },
      what,
    );
  };
}
