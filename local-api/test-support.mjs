// What the local API's tests share: a small node:crypto TC3 signer (independent of the package's) and HTTP helpers.
// Not a test file itself (node --test runs *.test.mjs).

import assert from 'node:assert/strict';
import http from 'node:http';
import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startLighthouseApi } from './server.mjs';

export const VECTORS = JSON.parse(readFileSync(fileURLToPath(new URL('../tests/vectors/tc3.json', import.meta.url)), 'utf8')).vectors;
export const CRED = { secretId: 'AKIDtestLocalApi000000000000000000', secretKey: 'testLocalApiSecretKey000000000000' };
export const TEMP = { secretId: 'AKIDtmpLocalApi0000000000000000000', secretKey: 'tmpLocalApiSecretKey00000000000000', token: 'tok-123/+=' };

// ---------------------------------------------------------------------------------------------------------
// A minimal TC3-HMAC-SHA256 signer and HTTP helpers

const sha256 = (s) => createHash('sha256').update(s).digest('hex');
const hmac = (k, s) => createHmac('sha256', k).update(s).digest();

export function tc3({
  secretKey,
  secretId,
  service = 'lighthouse',
  host,
  timestamp,
  method = 'POST',
  contentType,
  query = '',
  payload = '',
  extraSigned = {},
  scopeDate,
}) {
  const date = scopeDate ?? new Date(timestamp * 1000).toISOString().slice(0, 10);
  const names = ['content-type', 'host', ...Object.keys(extraSigned)].sort();
  const values = { 'content-type': contentType, host, ...extraSigned };
  const canonicalHeaders = names.map((n) => `${n}:${String(values[n]).trim().toLowerCase()}\n`).join('');
  const signedHeaders = names.join(';');
  const canonicalRequest = `${method}\n/\n${query}\n${canonicalHeaders}\n${signedHeaders}\n${sha256(payload)}`;
  const scope = `${date}/${service}/tc3_request`;
  const stringToSign = `TC3-HMAC-SHA256\n${timestamp}\n${scope}\n${sha256(canonicalRequest)}`;
  const key = hmac(hmac(hmac(`TC3${secretKey}`, date), service), 'tc3_request');
  const signature = createHmac('sha256', key).update(stringToSign).digest('hex');
  return {
    date,
    canonicalRequest,
    stringToSign,
    signature,
    signedHeaders,
    authorization: `TC3-HMAC-SHA256 Credential=${secretId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
  };
}

/** Send one raw HTTP request; resolves { status, headers, text, json } or rejects on a socket error. */
export function raw(api, { method = 'POST', path = '/', headers = {}, body = '', agent = false }) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: api.port, method, path, headers, agent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json = null;
        try {
          json = JSON.parse(text);
        } catch {
          /* not JSON */
        }
        resolve({ status: res.statusCode, headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Sign and send an API call. `tweak` options break one thing at a time. */
export function call(api, action, params = {}, o = {}) {
  const cred = o.cred ?? CRED;
  const method = o.method ?? 'POST';
  const host = o.signHost ?? `127.0.0.1:${api.port}`;
  const timestamp = o.timestamp ?? Math.floor(Date.now() / 1000);
  const contentType = o.contentType ?? (method === 'GET' ? 'application/x-www-form-urlencoded' : 'application/json');
  const payload = method === 'GET' ? '' : (o.payload ?? JSON.stringify(params));
  const query = o.query ?? '';
  const sig = tc3({ ...cred, ...o.signOverrides, host, timestamp, method, contentType, query, payload });
  const headers = {
    'Content-Type': contentType,
    Host: o.hostHeader ?? `127.0.0.1:${api.port}`,
    'X-TC-Action': action,
    'X-TC-Version': o.version ?? '2020-03-24',
    'X-TC-Timestamp': String(timestamp),
    // ap-guangzhou unless given; null sends none.
    'X-TC-Region': o.region === undefined ? 'ap-guangzhou' : (o.region ?? undefined),
    Authorization: o.authorization ?? sig.authorization,
    ...(cred.token && o.token === undefined ? { 'X-TC-Token': cred.token } : {}),
    ...(o.token ? { 'X-TC-Token': o.token } : {}),
    ...o.headers,
  };
  for (const [k, v] of Object.entries(headers)) if (v === undefined) delete headers[k];
  return raw(api, { method, path: query ? `/?${query}` : '/', headers, body: o.body ?? payload, agent: o.agent });
}

export const errorCode = (r) => r.json?.Response?.Error?.Code ?? null;

export async function withApi(options, fn) {
  const api = await startLighthouseApi({ credentials: [CRED, TEMP], ...options });
  try {
    return await fn(api);
  } finally {
    await api.close();
  }
}

/** DescribeInstances of one instance, in its own region. */
export async function describe(api, id) {
  const r = await call(api, 'DescribeInstances', { InstanceIds: [id] }, { region: api.getInstance(id).Zone.replace(/-\d+$/, '') });
  assert.equal(errorCode(r), null, r.text);
  return r.json.Response.InstanceSet[0];
}
