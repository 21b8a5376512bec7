// Node's http server -> fetch-style handler (createSigningProxy's), and back.
'use strict';

function apiError(res, status, code, message, extraHeaders) {
  if (!res.headersSent) res.writeHead(status, { 'content-type': 'application/json', ...extraHeaders });
  res.end(JSON.stringify({ Response: { Error: { Code: code, Message: message }, RequestId: globalThis.crypto.randomUUID() } }));
}

function invalidArgument(message) {
  // The signer's glue, loaded already by index.cjs (the client's wasm is not needed for this).
  const TencentCloudError = require('../sign/node/tc3_lighthouse_sign.js').errorClass();
  return new TencentCloudError('ClientError.InvalidArgument', message, { kind: 'invalidInput', retryable: false });
}

/**
 * Wraps a fetch-style handler `(request) => Promise<Response>` as a `(req, res)` listener for
 * node:http. The body is buffered up to `maxBodyBytes` (default 1 MiB; the handler applies its own,
 * smaller limit); a client that disconnects aborts the request's signal.
 */
function toNodeListener(handler, options) {
  if (typeof handler !== 'function') throw invalidArgument('`handler` must be a function (request) => Promise<Response>.');
  if (options !== undefined && options !== null && typeof options !== 'object') {
    throw invalidArgument('`options` must be an object.');
  }
  if (options) {
    let keys;
    try {
      keys = Object.keys(options);
    } catch {
      throw invalidArgument('`options` could not be read: a Proxy trap threw.');
    }
    // A misspelt option would otherwise be ignored silently (the wasm side refuses them the same way).
    const unknown = keys.find((k) => k !== 'maxBodyBytes' && k !== '__proto__');
    if (unknown !== undefined) throw invalidArgument(`\`options.${unknown}\` is not a known option (did you mean \`maxBodyBytes\`?).`);
  }
  let maxBodyBytes;
  try {
    maxBodyBytes = options?.maxBodyBytes ?? 1 << 20;
  } catch {
    throw invalidArgument('`options.maxBodyBytes` could not be read: a getter or Proxy trap threw.');
  }
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes <= 0) {
    throw invalidArgument('`options.maxBodyBytes` must be a positive integer.');
  }
  return async function listener(req, res) {
    try {
      const chunks = [];
      let size = 0;
      for await (const chunk of req) {
        size += chunk.length;
        if (size > maxBodyBytes) {
          // The rest of the body is not read: close the connection so no keep-alive client reuses it.
          apiError(res, 413, 'RequestSizeLimitExceeded', 'The request body is too large.', { connection: 'close' });
          req.destroy();
          return;
        }
        chunks.push(chunk);
      }
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) {
        if (typeof v === 'string') headers.set(k, v);
        else if (Array.isArray(v)) headers.set(k, v.join(', '));
      }
      const controller = new AbortController();
      res.on('close', () => {
        if (!res.writableFinished) controller.abort();
      });
      const url = new URL(req.url || '/', `http://${req.headers.host || '127.0.0.1'}`);
      const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
      const request = new Request(url, { method: req.method, headers, body: hasBody ? Buffer.concat(chunks) : undefined, signal: controller.signal });
      const response = await handler(request);
      const out = {};
      response.headers.forEach((v, k) => {
        out[k] = v;
      });
      res.writeHead(response.status, out);
      res.end(Buffer.from(await response.arrayBuffer()));
    } catch {
      apiError(res, 500, 'InternalError', 'The signing proxy failed to handle the request.');
    }
  };
}

module.exports = { toNodeListener };
