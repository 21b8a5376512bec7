// Runs every vector through the web build, in a page and in a module Web Worker. `?entry=sign`
// (on the page's or the worker's URL) uses the signer entry, tc3-lighthouse/sign.
const entry = new URLSearchParams(globalThis.location.search).get('entry') === 'sign' ? '../../pkg/sign/web/index.js' : '../../pkg/web/index.js';
const { signRequest, TencentCloudError } = await import(entry);

export async function run() {
  const doc = await (await fetch('../vectors/tc3.json')).json();
  const results = [];
  for (const v of doc.vectors) {
    const i = v.inputs;
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
    const out = signRequest(input);
    const o = v.outputs;
    const same =
      out.canonicalRequest === o.canonical_request &&
      out.stringToSign === o.string_to_sign &&
      out.signature === o.signature &&
      out.authorization === o.authorization &&
      out.credentialScope === o.credential_scope &&
      out.headers.Authorization === o.authorization &&
      out.headers.Host === i.host &&
      out.headers['X-TC-Timestamp'] === String(i.timestamp) &&
      out.headers['X-TC-Token'] === (i.token || undefined);
    results.push({ name: v.name, ok: same });
  }
  let badInput = null;
  try {
    signRequest({ secretId: 'A', secretKey: 'k' });
  } catch (e) {
    badInput = { isClass: e instanceof TencentCloudError, code: e.code, message: e.message };
  }
  return { results, badInput };
}

if (typeof window !== 'undefined') {
  window.__signResults = run().catch((e) => ({ error: String(e) }));
} else {
  run().then(
    (r) => postMessage(r),
    (e) => postMessage({ error: String(e) }),
  );
}
