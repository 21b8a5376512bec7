// The HTTP side: the server and its sockets, CORS, the API requests' log and counters, fault delivery, and
// the /__control/ endpoints. All state is passed in: `service` (see server.mjs) and `net`, this listener's own.

import http from 'node:http';
import { faultAnswer } from './faults.mjs';
import { isPlainObject } from './json.mjs';
import { handleMetadata, isMetadataPath } from './metadata.mjs';
import { apiContext, MAX_GET_QUERY_BYTES, MAX_POST_BYTES, processApi } from './request.mjs';
import { handleSts, isStsRequest } from './sts.mjs';

const CORS_ALLOW_HEADERS =
  'authorization, content-type, x-tc-action, x-tc-version, x-tc-timestamp, x-tc-region, ' + 'x-tc-token, x-tc-language, x-tc-requestclient, x-tc-traceid';

// A Host header is a host and an optional port (RFC 9110), never a URL such as `http://127.0.0.1:8080`: the
// service's gateway refuses anything else before any API processing, with an HTML page.
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;
export const validHost = (host) => typeof host === 'string' && HOST.test(host);

export const emptyCounters = () => ({ byAction: {}, throttled: 0, errors: 0, faults: 0, total: 0 });

function baseHeaders(cfg) {
  const h = {};
  if (cfg.cors) {
    h['Access-Control-Allow-Origin'] = '*';
    h['Access-Control-Expose-Headers'] = 'Date';
  }
  return h;
}

function send(service, res, status, contentType, body, extra = {}) {
  if (res.destroyed || res.headersSent) return;
  const buf = Buffer.from(body);
  res.writeHead(status, {
    ...baseHeaders(service.cfg),
    Date: new Date(service.model.now()).toUTCString(),
    ...(contentType ? { 'Content-Type': contentType } : {}),
    'Content-Length': buf.length,
    ...extra,
  });
  res.end(buf);
}

const sendJson = (service, res, status, value) => send(service, res, status, 'application/json', JSON.stringify(value));

// `slow` waits are tracked so close() can release them.
const sleep = (net, ms) =>
  new Promise((resolve) => {
    const t = setTimeout(() => {
      net.timers.delete(t);
      resolve();
    }, ms);
    net.timers.set(t, resolve);
  });

async function handleApi(net, req, res, body, tooLarge, rawQuery) {
  const { service } = net;
  const ctx = apiContext(req, body, tooLarge, rawQuery);
  const entry = {
    time: Date.now(),
    action: ctx.action,
    secretId: ctx.auth?.secretId ?? null,
    params: ctx.params.ok ? ctx.params.value : null,
    status: null,
    errorCode: null,
    requestId: null,
    fault: null,
    ok: false,
  };
  service.log.push(entry);
  const c = service.counters;
  c.total++;
  const actionKey = ctx.action ?? '(none)';
  c.byAction[actionKey] = (c.byAction[actionKey] ?? 0) + 1;

  const fault = service.faults.take(ctx.action, entry.params);
  if (fault) {
    entry.fault = fault.kind;
    c.faults++;
    if (fault.kind === 'slow') {
      await sleep(net, fault.delayMs);
      if (net.closed) return;
    }
  }
  let text = null;
  if (!fault || fault.takesEffect) {
    const answer = processApi(ctx, service);
    const error = answer.Response.Error;
    entry.requestId = ctx.requestId;
    if (error) {
      entry.errorCode = error.Code;
      c.errors++;
      if (error.Code.startsWith('RequestLimitExceeded')) c.throttled++;
    } else {
      entry.ok = true;
    }
    text = JSON.stringify(answer);
  } else {
    // The action never reached the service: mark the entry so "no errorCode" always means "took effect".
    entry.errorCode = `Fault.${fault.kind}`;
  }
  if (fault) {
    deliverFault(service, req, res, entry, fault, ctx, text);
    return;
  }
  entry.status = 200;
  send(service, res, 200, 'application/json', text, tooLarge ? { Connection: 'close' } : {});
}

function deliverFault(service, req, res, entry, fault, ctx, text) {
  const answer = faultAnswer(fault, ctx.requestId, text, ctx.lang);
  if (!answer) {
    req.socket.destroy();
    return;
  }
  if (answer.errorCode !== undefined) {
    // an API error in place of the action's answer
    const c = service.counters;
    const code = answer.errorCode;
    if (code.startsWith('RequestLimitExceeded')) c.throttled++;
    if (entry.errorCode === null || entry.errorCode.startsWith('Fault.')) c.errors++;
    Object.assign(entry, { errorCode: code, requestId: ctx.requestId });
  }
  entry.status = answer.status;
  send(service, res, answer.status, answer.contentType, answer.body);
}

/** The /__control/ endpoints: `control` is the api handle they drive. */
function handleControl(net, req, res, path, body, rawQuery) {
  const { service, control } = net;
  const reply = (status, value) => sendJson(service, res, status, value);
  let input = {};
  if (req.method === 'POST' && body.length) {
    try {
      input = JSON.parse(body.toString('utf8'));
    } catch {
      return reply(400, { error: 'the body must be JSON' });
    }
    if (!isPlainObject(input)) return reply(400, { error: 'the body must be a JSON object' });
  }
  const route = `${req.method} ${path}`;
  try {
    switch (route) {
      case 'POST /__control/fault':
        return reply(200, { ok: true, fault: control.injectFault(input) });
      case 'POST /__control/clear-faults':
        control.clearFaults();
        return reply(200, { ok: true });
      case 'GET /__control/faults':
        return reply(200, control.faults);
      case 'POST /__control/reset':
        control.reset(input);
        return reply(200, { ok: true });
      case 'GET /__control/log':
        return reply(200, service.log);
      case 'GET /__control/stats':
        return reply(200, control.stats());
      case 'POST /__control/instance': {
        const { InstanceId, ...patch } = input;
        if (typeof InstanceId !== 'string') return reply(400, { error: 'InstanceId is required' });
        return reply(200, control.setInstance(InstanceId, patch));
      }
      case 'GET /__control/instance': {
        const id = new URLSearchParams(rawQuery).get('InstanceId');
        const inst = id && control.getInstance(id);
        return inst ? reply(200, inst) : reply(404, { error: `no instance ${id}` });
      }
      case 'GET /__control/instances':
        return reply(
          200,
          [...service.model.instances.keys()].map((id) => control.getInstance(id)),
        );
      case 'POST /__control/fail-next-reset': {
        if (typeof input.InstanceId !== 'string') return reply(400, { error: 'InstanceId is required' });
        control.failNextReset(input.InstanceId);
        return reply(200, { ok: true });
      }
      case 'POST /__control/config':
        return reply(200, control.configure(input));
      default:
        return reply(404, { error: `unknown control endpoint ${route}` });
    }
  } catch (e) {
    return reply(400, { error: e.message });
  }
}

function onRequest(net, req, res) {
  const { service } = net;
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const rawQuery = q < 0 ? '' : url.slice(q + 1);

  if (req.method === 'OPTIONS') {
    req.resume();
    if (!service.cfg.cors) {
      res.writeHead(405, { Allow: 'GET, POST' });
      res.end();
      return;
    }
    const extra = {
      'Access-Control-Allow-Methods': 'POST, GET, OPTIONS',
      'Access-Control-Allow-Headers': CORS_ALLOW_HEADERS,
      'Access-Control-Max-Age': '600',
    };
    if (req.headers['access-control-request-private-network'] === 'true') extra['Access-Control-Allow-Private-Network'] = 'true';
    res.writeHead(204, { ...baseHeaders(service.cfg), Date: new Date(service.model.now()).toUTCString(), ...extra });
    res.end();
    return;
  }
  if (isMetadataPath(path)) {
    req.resume();
    handleMetadata(service, req, res, path, send);
    return;
  }
  const isControl = path.startsWith('/__control/');
  if (!isControl && path !== '/') {
    req.resume();
    send(service, res, 404, 'text/plain; charset=utf-8', 'Not found: the API answers at "/" and control endpoints under "/__control/".');
    return;
  }
  if (!isControl && !validHost(req.headers.host)) {
    req.resume();
    send(
      service,
      res,
      400,
      'text/html; charset=utf-8',
      '<html><head><title>400 Bad Request</title></head><body><h1>400 Bad Request</h1><p>Invalid Host header.</p></body></html>',
    );
    return;
  }
  if (req.method !== 'GET' && req.method !== 'POST') {
    req.resume();
    send(service, res, 405, 'text/plain; charset=utf-8', 'Method not allowed', { Allow: 'GET, POST, OPTIONS' });
    return;
  }
  const chunks = [];
  let size = 0;
  let tooLarge = req.method === 'GET' && Buffer.byteLength(rawQuery) > MAX_GET_QUERY_BYTES;
  req.on('data', (chunk) => {
    size += chunk.length;
    if (size > MAX_POST_BYTES) {
      tooLarge = true;
      return;
    } // keep draining, drop the bytes
    chunks.push(chunk);
  });
  req.on('end', () => {
    if (net.closed) return;
    const body = tooLarge ? Buffer.alloc(0) : Buffer.concat(chunks);
    if (isControl) {
      handleControl(net, req, res, path, body, rawQuery);
      return;
    }
    if (isStsRequest(req)) {
      handleSts(service, req, res, body, send);
      return;
    }
    handleApi(net, req, res, body, tooLarge, rawQuery).catch((e) => {
      if (!res.headersSent && !res.destroyed) send(service, res, 500, 'text/plain', `local-api bug: ${e?.stack ?? e}`);
    });
  });
  req.on('error', () => {});
}

/**
 * Listen on `service.cfg.host` / `.port`; resolves to `{ port, close }` once listening. `close()` destroys
 * every socket (keep-alive ones too) and releases pending `slow` waits; it is idempotent.
 */
export async function listen(service, control) {
  const net = { service, control, closed: false, timers: new Map(), sockets: new Set() };
  const server = http.createServer({ maxHeaderSize: 64 * 1024, keepAliveTimeout: 5000 }, (req, res) => onRequest(net, req, res));
  server.on('connection', (socket) => {
    net.sockets.add(socket);
    socket.on('close', () => net.sockets.delete(socket));
  });
  server.on('clientError', (err, socket) => {
    if (socket.writable && !socket.destroyed) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(service.cfg.port, service.cfg.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  let closing = null;
  const close = () => {
    if (closing) return closing;
    net.closed = true;
    for (const [t, resolve] of net.timers) {
      clearTimeout(t);
      resolve();
    }
    net.timers.clear();
    closing = new Promise((resolve) => server.close(() => resolve()));
    for (const s of net.sockets) s.destroy();
    server.closeAllConnections?.();
    return closing;
  };
  return { port: server.address().port, close };
}
