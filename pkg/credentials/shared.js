// In every entry, so in the browser payload (kept small): the cache of every provider, and fromHttp.
// `E`: the entry's TencentCloudError. Messages never quote a value (it may be a key).

const opts = { kind: 'auth', retryable: false };
export const credentialsError = (E, m, cause) => new E('ClientError.Credentials', m, cause === undefined ? opts : { ...opts, cause });

export function checkCredentials(E, c, what) {
  const bad = (m) => credentialsError(E, `${what} gave ${m}.`);
  const { secretId: i, secretKey: k, token: t, expiresAt: x } = c ?? {};
  if (typeof i !== 'string' || !i) throw bad('no SecretId');
  if (typeof k !== 'string' || !k) throw bad('no SecretKey');
  if (t != null && typeof t !== 'string') throw bad('a token that is not a string');
  // Milliseconds (the official SDK's OIDC mix-up) would be cached for ages: refused.
  if (x != null && !(x >= 0 && x < 1e11)) throw bad(`an expiry that is not Unix seconds (${x})`);
  return Object.freeze({ secretId: i, secretKey: k, ...(t && { token: t }), ...(x != null && { expiresAt: x }) });
}

// Cached until 5 min before expiry (shorter-lived: until expiry); one fetch for concurrent calls; a failure is
// retried by the next call, then after 1, 2, 4 ... 60 s; unexpired credentials outlive failed refreshes.
export function memoize(E, fetchOnce, what, now = () => Date.now() / 1000) {
  let creds;
  let refreshAt = 0;
  let inflight;
  let failures = 0;
  let retryAt = 0;
  let error;
  const usable = () => creds && !(now() >= creds.expiresAt);
  const ok = (v) => {
    creds = checkCredentials(E, v, what);
    const x = creds.expiresAt ?? 1 / 0;
    refreshAt = x - 300 > now() ? x - 300 : x;
    failures = 0;
    error = undefined;
    return creds;
  };
  const failed = (e) => {
    error = e?.code === 'ClientError.Credentials' ? e : credentialsError(E, `${what} failed.`, e);
    retryAt = now() + (++failures > 1 ? Math.min(2 ** (failures - 2), 60) : 0);
    if (usable()) return creds;
    throw error;
  };
  return () => {
    if (creds && now() < refreshAt) return Promise.resolve(creds);
    if (!inflight && error && now() < retryAt) return usable() ? Promise.resolve(creds) : Promise.reject(error);
    inflight ??= Promise.resolve()
      .then(fetchOnce)
      .then(ok, failed)
      .finally(() => {
        inflight = undefined;
      });
    return inflight;
  };
}

// Never the query string or user info: either may hold a secret.
export function describeUrl(url) {
  try {
    const u = new URL(url);
    return u.origin + u.pathname;
  } catch {
    return '(an invalid URL)';
  }
}

export async function fetchWithTimeout(E, fetchFn, url, init, ms, what) {
  const c = new AbortController();
  const timer = setTimeout(() => c.abort(), ms);
  try {
    const res = await fetchFn(url, { ...init, signal: c.signal });
    return { status: res.status, ok: res.ok, text: await res.text() };
  } catch (e) {
    throw credentialsError(E, c.signal.aborted ? `${what}: no answer within ${ms} ms.` : `${what}: the request failed (${e?.cause?.code ?? e?.name}).`, e);
  } finally {
    clearTimeout(timer);
  }
}

export function parseJson(E, text, what) {
  try {
    return JSON.parse(text);
  } catch {
    throw credentialsError(E, `${what}: the answer is not JSON.`); // JSON.parse's message quotes the text
  }
}

// Ours, or STS's (also inside `Response` or `Credentials`).
export function fromAnyShape(body) {
  const b = body?.Response ?? body;
  const c = b?.Credentials ?? b;
  return b?.secretId !== undefined
    ? b
    : c?.TmpSecretId && { secretId: c.TmpSecretId, secretKey: c.TmpSecretKey, token: c.Token, expiresAt: b.ExpiredTime ?? c.ExpiredTime };
}

export const makeFromHttp = (E) => (url, options) => {
  const { headers, fetch: f, timeoutMs = 5000, ...rest } = options ?? {};
  const bad = (m) => {
    throw new E('ClientError.InvalidArgument', `fromHttp: ${m}.`, { kind: 'invalidInput', retryable: false });
  };
  let href;
  try {
    href = (typeof url === 'string' || url instanceof URL) && new URL(url, globalThis.location?.href).href;
  } catch {}
  if (!href) bad('`url` must be a URL');
  for (const k in rest) bad(`\`options.${k}\` is not a known option (headers, fetch, timeoutMs)`);
  if (f != null && typeof f !== 'function') bad('`options.fetch` must be a function');
  if (headers != null && typeof headers !== 'object') bad('`options.headers` must be an object');
  if (!(Number.isInteger(timeoutMs) && timeoutMs > 0)) bad('`options.timeoutMs` must be a positive integer');
  const what = `fromHttp (GET ${describeUrl(href)})`;
  return memoize(
    E,
    async () => {
      const r = await fetchWithTimeout(E, f ?? fetch, href, { headers: { accept: 'application/json', ...headers } }, timeoutMs, what);
      if (!r.ok) throw credentialsError(E, `${what}: HTTP ${r.status}.`);
      const c = fromAnyShape(parseJson(E, r.text, what));
      if (!c) throw credentialsError(E, `${what}: neither { secretId, secretKey, token, expiresAt } nor STS's shape.`);
      return c;
    },
    what,
  );
};
