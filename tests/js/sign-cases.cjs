// Signing checks shared by the `import` and `require` suites: every stage of every vector, and bad input.
const fs = require('node:fs');
const path = require('node:path');

const vectors = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'vectors', 'tc3.json'), 'utf8')).vectors;

function inputOf(i) {
  const out = {
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
  if (i.token) out.token = i.token;
  if (i.language) out.language = i.language;
  return out;
}

function expectedHeaders(i, o) {
  const h = {
    Authorization: o.authorization,
    'Content-Type': i.content_type,
    Host: i.host,
    'X-TC-Action': i.action,
    'X-TC-Version': i.version,
    'X-TC-Timestamp': String(i.timestamp),
  };
  if (i.region) h['X-TC-Region'] = i.region;
  if (i.token) h['X-TC-Token'] = i.token;
  if (i.language) h['X-TC-Language'] = i.language;
  return h;
}

function define(pkg, { test }, assert) {
  const { signRequest, TencentCloudError } = pkg;

  test('there are vectors', () => assert.ok(vectors.length >= 8));

  for (const v of vectors) {
    test(`vector ${v.name}: every stage and header`, () => {
      const out = signRequest(inputOf(v.inputs));
      assert.equal(out.canonicalRequest, v.outputs.canonical_request);
      assert.equal(out.stringToSign, v.outputs.string_to_sign);
      assert.equal(out.credentialScope, v.outputs.credential_scope);
      assert.equal(out.signature, v.outputs.signature);
      assert.equal(out.authorization, v.outputs.authorization);
      assert.equal(out.timestamp, v.inputs.timestamp);
      assert.deepEqual(out.headers, expectedHeaders(v.inputs, v.outputs));
    });
  }

  test('defaults: POST, lighthouse, {} body, current time', () => {
    const before = Math.floor(Date.now() / 1000);
    const out = signRequest({ secretId: 'AKIDX', secretKey: 'k', action: 'DescribeInstances' });
    const after = Math.floor(Date.now() / 1000);
    assert.ok(out.timestamp >= before && out.timestamp <= after);
    assert.equal(out.headers.Host, 'lighthouse.tencentcloudapi.com');
    assert.equal(out.headers['X-TC-Version'], '2020-03-24');
    assert.equal(out.headers['Content-Type'], 'application/json');
    assert.match(out.credentialScope, /^\d{4}-\d\d-\d\d\/lighthouse\/tc3_request$/);
    assert.ok(out.canonicalRequest.endsWith('44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a'));
  });

  test('UTC day boundary and leap day', () => {
    const base = { secretId: 'AKIDX', secretKey: 'k', action: 'ResetInstance' };
    assert.match(signRequest({ ...base, timestamp: 1704067199 }).credentialScope, /^2023-12-31\//);
    assert.match(signRequest({ ...base, timestamp: 1704067200 }).credentialScope, /^2024-01-01\//);
    assert.match(signRequest({ ...base, timestamp: 1709164800 }).credentialScope, /^2024-02-29\//);
  });

  test('host with a port is signed as sent; a non-ASCII payload by its UTF-8 bytes', () => {
    const crypto = require('node:crypto');
    const payload = JSON.stringify({ InstanceName: '未命名 ✓ 😀' });
    const out = signRequest({ secretId: 'AKIDX', secretKey: 'k', action: 'X', host: '127.0.0.1:8080', payload, timestamp: 1 });
    assert.match(out.canonicalRequest, /\nhost:127\.0\.0\.1:8080\n/);
    assert.ok(out.canonicalRequest.endsWith(crypto.createHash('sha256').update(payload, 'utf8').digest('hex')));
    assert.equal(out.headers.Host, '127.0.0.1:8080');
  });

  test('a 1 MB body', () => {
    const crypto = require('node:crypto');
    const payload = JSON.stringify({ Blob: 'x'.repeat(1 << 20) });
    const out = signRequest({ secretId: 'AKIDX', secretKey: 'k', action: 'X', payload, timestamp: 1 });
    assert.ok(out.canonicalRequest.endsWith(crypto.createHash('sha256').update(payload).digest('hex')));
  });

  // The input reaches the wasm three ways: encoded into a 16 KB scratch area, as a string when it
  // does not fit there, and with the body kept aside when it is over 8192 characters. Each must
  // sign the same as node:crypto, also after the wasm memory has grown.
  function reference(input) {
    const crypto = require('node:crypto');
    const sha = (s) => crypto.createHash('sha256').update(s, 'utf8').digest('hex');
    const hmac = (k, s) => crypto.createHmac('sha256', k).update(s, 'utf8').digest();
    const date = new Date(input.timestamp * 1000).toISOString().slice(0, 10);
    const canonical = `POST\n/\n\ncontent-type:application/json\nhost:lighthouse.tencentcloudapi.com\n\ncontent-type;host\n${sha(input.payload)}`;
    const scope = `${date}/lighthouse/tc3_request`;
    const toSign = `TC3-HMAC-SHA256\n${input.timestamp}\n${scope}\n${sha(canonical)}`;
    const key = hmac(hmac(hmac(Buffer.from('TC3' + input.secretKey), date), 'lighthouse'), 'tc3_request');
    return crypto.createHmac('sha256', key).update(toSign, 'utf8').digest('hex');
  }
  const paths = [
    ['small', '{"InstanceId":"lhins-abcd1234"}'],
    ['8192 ASCII characters (scratch area)', 'a'.repeat(8192)],
    ['8192 three-byte characters (24 KB: a string, past the scratch area)', '€'.repeat(8192)],
    ['8192 NUL characters (a body may hold NUL)', '\0'.repeat(8192)],
    ['8193 characters (the body kept aside)', 'b'.repeat(8193)],
    ['4 MB (grows the wasm memory)', 'c'.repeat(4 << 20)],
    ['small again, after the memory grew', '{"InstanceId":"lhins-efgh5678"}'],
    ['a long token with a small body (the scratch area holds the token)', '{}', 't'.repeat(20000)],
  ];
  for (const [name, payload, token] of paths) {
    test(`input path: ${name}`, () => {
      const input = { secretId: 'AKIDX', secretKey: 'k' + name.length, action: 'ResetInstance', payload, timestamp: 1700000000 + name.length };
      if (token) input.token = token;
      const out = signRequest(input);
      assert.equal(out.signature, reference(input));
      if (token) assert.equal(out.headers['X-TC-Token'], token);
    });
  }

  const good = { secretId: 'AKIDX', secretKey: 'SECRETKEYVALUE', action: 'ResetInstance' };
  const bad = [
    ['no input', undefined, 'input'],
    ['null input', null, 'input'],
    ['a string', 'x', 'input'],
    ['missing secretId', { secretKey: 'k', action: 'A' }, 'input.secretId'],
    ['numeric secretId', { ...good, secretId: 1 }, 'input.secretId'],
    ['missing secretKey', { secretId: 'A', action: 'A' }, 'input.secretKey'],
    ['object secretKey', { ...good, secretKey: {} }, 'input.secretKey'],
    ['missing action', { secretId: 'A', secretKey: 'k' }, 'input.action'],
    ['numeric action', { ...good, action: 5 }, 'input.action'],
    ['negative timestamp', { ...good, timestamp: -1 }, 'input.timestamp'],
    ['fractional timestamp', { ...good, timestamp: 1.5 }, 'input.timestamp'],
    ['NaN timestamp', { ...good, timestamp: NaN }, 'input.timestamp'],
    ['string timestamp', { ...good, timestamp: '1700000000' }, 'input.timestamp'],
    ['numeric payload', { ...good, payload: 42 }, 'input.payload'],
    ['object payload', { ...good, payload: {} }, 'input.payload'],
    ['bad method', { ...good, method: 'PUT' }, 'input.method'],
    ['bad language', { ...good, language: 'fr-FR' }, 'input.language'],
    ['header injection in region', { ...good, region: 'ap\r\nX-Evil: 1' }, 'input.region'],
  ];
  for (const [name, input, field] of bad) {
    test(`bad input: ${name} -> ClientError.InvalidArgument naming ${field}`, () => {
      assert.throws(
        () => signRequest(input),
        (e) => {
          assert.ok(e instanceof TencentCloudError, 'instanceof');
          assert.ok(TencentCloudError.isInstance(e));
          assert.equal(e.name, 'TencentCloudError');
          assert.equal(e.code, 'ClientError.InvalidArgument');
          assert.equal(e.kind, 'invalidInput');
          assert.equal(e.retryable, false);
          assert.ok(e.message.includes('`' + field + '`'), e.message);
          assert.ok(!JSON.stringify(e).includes('SECRETKEYVALUE'));
          assert.ok(!String(e.stack).includes('SECRETKEYVALUE'));
          return true;
        },
      );
    });
  }

  test('a throwing getter is reported, not propagated raw', () => {
    const input = { ...good };
    Object.defineProperty(input, 'token', {
      get() {
        throw new Error('boom');
      },
      enumerable: true,
    });
    assert.throws(
      () => signRequest(input),
      (e) => e.code === 'ClientError.InvalidArgument' && e.message.includes('input.token'),
    );
  });

  test('the module still works after bad input', () => {
    assert.equal(typeof signRequest({ ...good, timestamp: 1 }).signature, 'string');
  });
}

module.exports = { define, vectors, inputOf, expectedHeaders };
