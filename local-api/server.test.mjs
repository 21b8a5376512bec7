// Tests of the local Lighthouse API. Run: node --test local-api/
// Requests are signed here with a small node:crypto TC3 signer (checked against the shared vectors first),
// so the server's verifier is tested against an independent implementation, never the package's.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startLighthouseApi, makeFleet, demoSeed, DEMO_CREDENTIALS } from './server.mjs';
import { CRED, TEMP, VECTORS, call, describe, errorCode, raw, tc3, withApi } from './test-support.mjs';

// ---------------------------------------------------------------------------------------------------------
// Signing

test('the test signer reproduces every shared TC3 vector', () => {
  for (const v of VECTORS) {
    const i = v.inputs;
    const s = tc3({
      secretId: i.secret_id,
      secretKey: i.secret_key,
      service: i.service,
      host: i.host,
      timestamp: i.timestamp,
      method: i.method,
      contentType: i.content_type,
      query: i.query,
      payload: i.payload,
    });
    assert.equal(s.canonicalRequest, v.outputs.canonical_request, v.name);
    assert.equal(s.stringToSign, v.outputs.string_to_sign, v.name);
    assert.equal(s.authorization, v.outputs.authorization, v.name);
  }
});

test('the server accepts the official vectors byte for byte (lighthouse) and refuses another service', async () => {
  for (const v of VECTORS) {
    const i = v.inputs;
    const api = await startLighthouseApi({
      credentials: [{ secretId: i.secret_id, secretKey: i.secret_key, token: i.token ?? undefined }],
      clockOffsetMs: i.timestamp * 1000 - Date.now(),
    });
    try {
      const headers = {
        Host: i.host,
        'Content-Type': i.content_type,
        'X-TC-Action': i.action,
        'X-TC-Version': i.version,
        'X-TC-Timestamp': String(i.timestamp),
        Authorization: v.outputs.authorization,
        ...(i.token ? { 'X-TC-Token': i.token } : {}),
      };
      const r = await raw(api, { method: i.method, path: i.query ? `/?${i.query}` : '/', headers, body: i.payload });
      assert.equal(r.status, 200);
      if (i.service === 'lighthouse') {
        assert.ok(!String(errorCode(r)).startsWith('AuthFailure'), `${v.name}: ${r.text}`);
        if (i.version === '2020-03-24') assert.notEqual(errorCode(r), 'NoSuchVersion');
      } else {
        assert.equal(errorCode(r), 'AuthFailure.SignatureFailure', v.name);
      }
    } finally {
      await api.close();
    }
  }
});

// ---------------------------------------------------------------------------------------------------------
// ResetInstance lifecycle

test('a valid reset stays OPERATING for operatingPolls answers, then SUCCESS with the new blueprint', async () => {
  await withApi({ operatingPolls: 2 }, async (api) => {
    const id = 'lhins-ruy9d2tw';
    assert.equal(api.getInstance(id).BlueprintId, 'lhbp-cent79ab');
    const r = await call(api, 'ResetInstance', { InstanceId: id, BlueprintId: 'lhbp-5e8807lo' });
    assert.equal(r.status, 200);
    assert.match(r.headers['content-type'], /^application\/json/);
    assert.ok(r.headers.date);
    const requestId = r.json.Response.RequestId;
    assert.match(requestId, /^[0-9a-f-]{36}$/);
    assert.deepEqual(Object.keys(r.json.Response), ['RequestId']);

    const first = await describe(api, id);
    assert.equal(first.LatestOperation, 'ResetInstance');
    assert.equal(first.LatestOperationState, 'OPERATING');
    assert.equal(first.LatestOperationRequestId, requestId);
    assert.match(first.LatestOperationStartedTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal((await describe(api, id)).LatestOperationState, 'OPERATING');
    const done = await describe(api, id);
    assert.equal(done.LatestOperationState, 'SUCCESS');
    assert.equal(done.LatestOperationRequestId, requestId);
    assert.equal(done.BlueprintId, 'lhbp-5e8807lo');
    assert.equal(done.OsName, 'Ubuntu Server 22.04 LTS 64bit');

    const resets = api.log.filter((e) => e.action === 'ResetInstance' && !e.errorCode);
    assert.deepEqual(
      resets.map((e) => [e.params.InstanceId, e.requestId, e.secretId, e.status]),
      [[id, requestId, CRED.secretId, 200]],
    );
    assert.deepEqual(api.stats().byAction, { ResetInstance: 1, DescribeInstances: 3 });
  });
});

test('operatingMs keeps a reset OPERATING until the time has passed; reinstall without BlueprintId keeps the image', async () => {
  await withApi({ operatingPolls: 0, operatingMs: 150 }, async (api) => {
    const id = 'lhins-abcd1234';
    await call(api, 'ResetInstance', { InstanceId: id });
    assert.equal((await describe(api, id)).LatestOperationState, 'OPERATING');
    await new Promise((r) => setTimeout(r, 170));
    const done = await describe(api, id);
    assert.equal(done.LatestOperationState, 'SUCCESS');
    assert.equal(done.BlueprintId, 'lhbp-5e8807lo');
  });
});

test('failNextReset makes the next reset end FAILED; a STOPPED instance can be reset', async () => {
  await withApi({ operatingPolls: 1 }, async (api) => {
    const id = 'lhins-q8d2k7mz';
    assert.equal(api.getInstance(id).InstanceState, 'STOPPED');
    api.failNextReset(id);
    const r = await call(api, 'ResetInstance', { InstanceId: id, BlueprintId: 'lhbp-5e8807lo' });
    assert.equal(errorCode(r), null);
    assert.equal((await describe(api, id)).LatestOperationState, 'OPERATING');
    const failed = await describe(api, id);
    assert.equal(failed.LatestOperationState, 'FAILED');
    assert.equal(failed.BlueprintId, 'lhbp-deb12x64');
    // only the next one
    await call(api, 'ResetInstance', { InstanceId: id });
    await describe(api, id);
    assert.equal((await describe(api, id)).LatestOperationState, 'SUCCESS');
  });
});

// ---------------------------------------------------------------------------------------------------------
// Authentication

test('auth failures', async () => {
  await withApi({}, async (api) => {
    const p = { InstanceIds: ['lhins-ruy9d2tw'] };
    const cases = [
      ['missing Authorization', { authorization: undefined, headers: { Authorization: undefined } }, 'AuthFailure.InvalidAuthorization'],
      ['garbled Authorization', { authorization: 'Bearer abc' }, 'AuthFailure.InvalidAuthorization'],
      [
        'Authorization without a signature',
        { authorization: `TC3-HMAC-SHA256 Credential=${CRED.secretId}/2026-01-01/lighthouse/tc3_request, SignedHeaders=content-type;host` },
        'AuthFailure.InvalidAuthorization',
      ],
      ['unknown SecretId', { cred: { secretId: 'AKIDnobody', secretKey: CRED.secretKey } }, 'AuthFailure.SecretIdNotFound'],
      ['wrong key', { cred: { secretId: CRED.secretId, secretKey: 'wrong' } }, 'AuthFailure.SignatureFailure'],
      ['body changed after signing', { body: JSON.stringify({ InstanceIds: ['lhins-abcd1234'] }) }, 'AuthFailure.SignatureFailure'],
      ['body re-serialised', { body: JSON.stringify(p, null, 1) }, 'AuthFailure.SignatureFailure'],
      ['Host signed without the port', { signHost: '127.0.0.1' }, 'AuthFailure.SignatureFailure'],
      [
        'content-type signed differently',
        { contentType: 'application/json; charset=utf-8', headers: { 'Content-Type': 'application/json' } },
        'AuthFailure.SignatureFailure',
      ],
      ['service cvm in the scope', { signOverrides: { service: 'cvm' } }, 'AuthFailure.SignatureFailure'],
      ['scope date not the UTC date', { signOverrides: { scopeDate: '2001-01-01' } }, 'AuthFailure.SignatureFailure'],
    ];
    for (const [name, o, code] of cases) {
      const r = await call(api, 'DescribeInstances', p, o);
      assert.equal(r.status, 200, name);
      assert.equal(errorCode(r), code, `${name}: ${r.text}`);
      assert.ok(r.json.Response.Error.Message.length > 0);
      assert.match(r.json.Response.RequestId, /^[0-9a-f-]{36}$/);
    }
    // SignedHeaders without host
    const ts = Math.floor(Date.now() / 1000);
    const date = new Date(ts * 1000).toISOString().slice(0, 10);
    const r = await call(api, 'DescribeInstances', p, {
      authorization: `TC3-HMAC-SHA256 Credential=${CRED.secretId}/${date}/lighthouse/tc3_request, SignedHeaders=content-type, Signature=${'0'.repeat(64)}`,
    });
    assert.equal(errorCode(r), 'AuthFailure.InvalidAuthorization');
    // an extra signed header (x-tc-action, value lower-cased) is accepted
    const ok = await call(api, 'DescribeInstances', p, { signOverrides: { extraSigned: { 'x-tc-action': 'DescribeInstances' } } });
    assert.equal(errorCode(ok), null, ok.text);
    assert.equal(api.stats().errors, cases.length + 1);
    assert.equal(api.log[3].secretId, 'AKIDnobody');
  });
});

test('clock skew: SignatureExpire beyond maxSkewSeconds, Date header from the server clock', async () => {
  await withApi({ clockOffsetMs: 10 * 60 * 1000 }, async (api) => {
    const r = await call(api, 'DescribeInstances');
    assert.equal(errorCode(r), 'AuthFailure.SignatureExpire');
    const serverDate = Date.parse(r.headers.date);
    assert.ok(Math.abs(serverDate - (Date.now() + 600_000)) < 5000, r.headers.date);
    // a client that corrects its clock from Date succeeds
    const fixed = await call(api, 'DescribeInstances', {}, { timestamp: Math.floor(serverDate / 1000) });
    assert.equal(errorCode(fixed), null);
    // 200 s off is within the default 300 s
    api.configure({ clockOffsetMs: 200_000 });
    assert.equal(errorCode(await call(api, 'DescribeInstances')), null);
    api.configure({ maxSkewSeconds: 100 });
    assert.equal(errorCode(await call(api, 'DescribeInstances')), 'AuthFailure.SignatureExpire');
  });
});

test('temporary credentials need the right X-TC-Token', async () => {
  await withApi({}, async (api) => {
    assert.equal(errorCode(await call(api, 'DescribeInstances', {}, { cred: TEMP })), null);
    assert.equal(errorCode(await call(api, 'DescribeInstances', {}, { cred: TEMP, headers: { 'X-TC-Token': undefined } })), 'AuthFailure.TokenFailure');
    assert.equal(errorCode(await call(api, 'DescribeInstances', {}, { cred: TEMP, token: 'stale' })), 'AuthFailure.TokenFailure');
  });
});

test('common errors: action, version, body, size, language', async () => {
  await withApi({}, async (api) => {
    assert.equal(errorCode(await call(api, undefined)), 'MissingParameter');
    assert.equal(errorCode(await call(api, 'TerminateInstances')), 'InvalidAction');
    assert.equal(errorCode(await call(api, 'DescribeInstances', {}, { version: '2017-03-12' })), 'NoSuchVersion');
    const notJson = await call(api, 'DescribeInstances', {}, { payload: 'InstanceIds=1' });
    assert.equal(errorCode(notJson), 'InvalidParameter');
    assert.match(notJson.json.Response.Error.Message, /JSON/);
    assert.equal(errorCode(await call(api, 'DescribeInstances', {}, { payload: '[1]' })), 'InvalidParameter');
    assert.equal(errorCode(await call(api, 'DescribeInstances', {}, { payload: '' })), 'InvalidParameter');
    const big = `{"Pad":"${'x'.repeat(10 * 1024 * 1024)}"}`;
    assert.equal(errorCode(await call(api, 'DescribeInstances', {}, { payload: big })), 'RequestSizeLimitExceeded');
    const zh = await call(api, 'DescribeInstances', {}, { cred: { secretId: 'AKIDnobody', secretKey: 'x' }, headers: { 'X-TC-Language': 'zh-CN' } });
    assert.match(zh.json.Response.Error.Message, /密钥/);
    const longQuery = `Filters.0.Name=instance-name&Filters.0.Values.0=${'x'.repeat(33 * 1024)}`;
    assert.equal(errorCode(await call(api, 'DescribeInstances', {}, { method: 'GET', query: longQuery })), 'RequestSizeLimitExceeded');
    const r404 = await raw(api, { method: 'GET', path: '/favicon.ico' });
    assert.equal(r404.status, 404);
  });
});

test('GET with a query string, signed as sent', async () => {
  await withApi({}, async (api) => {
    const query = 'InstanceIds.0=lhins-ruy9d2tw&InstanceIds.1=lhins-abcd1234&Limit=20&Offset=0';
    const r = await call(api, 'DescribeInstances', {}, { method: 'GET', query });
    assert.equal(errorCode(r), null, r.text);
    assert.deepEqual(
      r.json.Response.InstanceSet.map((i) => i.InstanceId),
      ['lhins-ruy9d2tw', 'lhins-abcd1234'],
    );
    // The common parameters may come in the query too (Region here), never as action parameters.
    const q2 = 'Filters.0.Name=zone&Filters.0.Values.0=ap-shanghai-2&Region=ap-shanghai';
    const filtered = await call(api, 'DescribeInstances', {}, { method: 'GET', query: q2, region: null });
    assert.deepEqual(
      filtered.json.Response.InstanceSet.map((i) => i.InstanceId),
      ['lhins-efgh5678'],
    );
  });
});

// ---------------------------------------------------------------------------------------------------------
// Rate limiting

test('rate limit: 11 quick requests are throttled at least once; 10 spaced 100 ms never are', async () => {
  await withApi({ rateLimit: 10 }, async (api) => {
    const burst = await Promise.all(Array.from({ length: 11 }, () => call(api, 'DescribeBlueprints')));
    const throttled = burst.filter((r) => errorCode(r) === 'RequestLimitExceeded').length;
    assert.ok(throttled >= 1, `throttled ${throttled}`);
    assert.equal(api.stats().throttled, throttled);
    // buckets are per (SecretId, Action): another action and another key are unaffected
    assert.equal(errorCode(await call(api, 'DescribeInstances')), null);
    assert.equal(errorCode(await call(api, 'DescribeBlueprints', {}, { cred: TEMP })), null);
    // auth failures are not counted against the bucket and are checked first
    assert.equal(errorCode(await call(api, 'DescribeBlueprints', {}, { cred: { secretId: CRED.secretId, secretKey: 'bad' } })), 'AuthFailure.SignatureFailure');
  });
  await withApi({ rateLimit: 10 }, async (api) => {
    for (let n = 0; n < 10; n++) {
      assert.equal(errorCode(await call(api, 'DescribeBlueprints')), null, `request ${n}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(api.stats().throttled, 0);
  });
  await withApi({ rateLimit: 0 }, async (api) => {
    const burst = await Promise.all(Array.from({ length: 30 }, () => call(api, 'DescribeBlueprints')));
    assert.equal(burst.filter((r) => errorCode(r)).length, 0);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Faults

test('transport faults: html500, badGateway, nonJson, truncated, empty', async () => {
  await withApi({}, async (api) => {
    api.injectFault({ kind: 'html500' });
    let r = await call(api, 'DescribeInstances');
    assert.equal(r.status, 500);
    assert.match(r.headers['content-type'], /text\/html/);
    assert.match(r.text, /<html>/);
    assert.equal(r.headers['access-control-allow-origin'], '*');
    assert.equal(errorCode(await call(api, 'DescribeInstances')), null, 'times defaults to 1');

    api.injectFault({ kind: 'badGateway', times: 2 });
    assert.equal((await call(api, 'DescribeInstances')).status, 502);
    assert.equal((await call(api, 'DescribeInstances')).status, 502);
    assert.equal((await call(api, 'DescribeInstances')).status, 200);

    api.injectFault({ kind: 'nonJson' });
    r = await call(api, 'DescribeInstances');
    assert.equal(r.status, 200);
    assert.equal(r.json, null);
    assert.ok(r.text.length > 0);

    api.injectFault({ kind: 'empty' });
    r = await call(api, 'DescribeInstances');
    assert.equal(r.status, 200);
    assert.equal(r.text, '');

    api.injectFault({ kind: 'truncated', action: 'ResetInstance' });
    assert.equal(errorCode(await call(api, 'DescribeInstances')), null, 'action filter');
    r = await call(api, 'ResetInstance', { InstanceId: 'lhins-ruy9d2tw' });
    assert.equal(r.status, 200);
    assert.equal(r.json, null);
    assert.ok(r.text.startsWith('{"Response":'));
    assert.equal(api.getInstance('lhins-ruy9d2tw').LatestOperationState, 'OPERATING', 'a truncated answer was a real answer');

    const faults = api.log.filter((e) => e.fault).map((e) => e.fault);
    assert.deepEqual(faults, ['html500', 'badGateway', 'badGateway', 'nonJson', 'empty', 'truncated']);
    assert.equal(api.stats().faults, 6);
    assert.equal(api.log.find((e) => e.fault === 'html500').errorCode, 'Fault.html500');
  });
});

test('slow: waits delayMs, then the action takes effect', async () => {
  await withApi({}, async (api) => {
    api.injectFault({ kind: 'slow', delayMs: 200, action: 'ResetInstance' });
    const t0 = Date.now();
    const r = await call(api, 'ResetInstance', { InstanceId: 'lhins-abcd1234' });
    assert.ok(Date.now() - t0 >= 190);
    assert.equal(errorCode(r), null);
    assert.equal(api.getInstance('lhins-abcd1234').LatestOperationRequestId, r.json.Response.RequestId);
  });
});

test('connectionReset: no answer and no effect; answerLost: no answer but the reset started', async () => {
  await withApi({}, async (api) => {
    api.injectFault({ kind: 'connectionReset', action: 'ResetInstance' });
    await assert.rejects(call(api, 'ResetInstance', { InstanceId: 'lhins-ruy9d2tw' }), /socket hang up|ECONNRESET/);
    assert.equal(api.getInstance('lhins-ruy9d2tw').LatestOperationState, null);

    api.injectFault({ kind: 'answerLost', action: 'ResetInstance', instanceId: 'lhins-abcd1234' });
    await call(api, 'ResetInstance', { InstanceId: 'lhins-ruy9d2tw' }); // other instance: not matched
    await assert.rejects(call(api, 'ResetInstance', { InstanceId: 'lhins-abcd1234' }), /socket hang up|ECONNRESET/);
    const inst = api.getInstance('lhins-abcd1234');
    assert.equal(inst.LatestOperationState, 'OPERATING');
    const entry = api.log.at(-1);
    assert.deepEqual([entry.fault, entry.errorCode, entry.status, entry.requestId], ['answerLost', null, null, inst.LatestOperationRequestId]);
    const reset = api.log.filter((e) => e.action === 'ResetInstance' && !e.errorCode).map((e) => e.params.InstanceId);
    assert.deepEqual(reset, ['lhins-ruy9d2tw', 'lhins-abcd1234']);
  });
});

test('throttle, serviceError and hideInstance faults', async () => {
  await withApi({ operatingPolls: 1 }, async (api) => {
    api.injectFault({ kind: 'throttle', action: 'ResetInstance' });
    assert.equal(errorCode(await call(api, 'ResetInstance', { InstanceId: 'lhins-ruy9d2tw' })), 'RequestLimitExceeded');
    assert.equal(api.getInstance('lhins-ruy9d2tw').LatestOperationState, null);
    assert.equal(api.stats().throttled, 1);

    api.injectFault({ kind: 'serviceError', code: 'InternalError.DescribeInstanceStatus', message: 'try later' });
    const r = await call(api, 'DescribeInstances');
    assert.deepEqual(r.json.Response.Error, { Code: 'InternalError.DescribeInstanceStatus', Message: 'try later' });

    api.injectFault({ kind: 'hideInstance', instanceId: 'lhins-ruy9d2tw', times: 2 });
    const reset = await call(api, 'ResetInstance', { InstanceId: 'lhins-ruy9d2tw' });
    assert.equal(errorCode(reset), null);
    for (let n = 0; n < 2; n++) {
      const d = await call(api, 'DescribeInstances', { InstanceIds: ['lhins-ruy9d2tw', 'lhins-abcd1234'] });
      assert.deepEqual(
        d.json.Response.InstanceSet.map((i) => i.InstanceId),
        ['lhins-abcd1234'],
      );
      assert.equal(d.json.Response.TotalCount, 1);
    }
    // hidden answers don't count as polls: the next answer is the first that includes it
    assert.equal((await describe(api, 'lhins-ruy9d2tw')).LatestOperationState, 'OPERATING');
    assert.equal((await describe(api, 'lhins-ruy9d2tw')).LatestOperationState, 'SUCCESS');

    api.injectFault({ kind: 'html500', times: Infinity });
    api.clearFaults();
    assert.equal((await call(api, 'DescribeInstances')).status, 200);
    assert.throws(() => api.injectFault({ kind: 'nope' }), TypeError);
  });
});

// ---------------------------------------------------------------------------------------------------------
// CORS

test('CORS: preflight and exposed Date', async () => {
  await withApi({}, async (api) => {
    const pre = await raw(api, {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://localhost:5173',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization,content-type,x-tc-action,x-tc-timestamp,x-tc-version,x-tc-token',
      },
    });
    assert.equal(pre.status, 204);
    assert.ok(['*', 'http://localhost:5173'].includes(pre.headers['access-control-allow-origin']));
    assert.match(pre.headers['access-control-allow-methods'], /POST/);
    for (const h of [
      'authorization',
      'content-type',
      'x-tc-action',
      'x-tc-version',
      'x-tc-timestamp',
      'x-tc-region',
      'x-tc-token',
      'x-tc-language',
      'x-tc-requestclient',
      'x-tc-traceid',
    ]) {
      assert.match(pre.headers['access-control-allow-headers'], new RegExp(`\\b${h}\\b`));
    }
    assert.ok(Number(pre.headers['access-control-max-age']) > 0);
    assert.equal(api.log.length, 0, 'preflights are not API requests');
    const r = await call(api, 'DescribeInstances', {}, { headers: { Origin: 'http://localhost:5173' } });
    assert.equal(r.headers['access-control-allow-origin'], '*');
    assert.match(r.headers['access-control-expose-headers'], /Date/);
    const ctl = await raw(api, { method: 'OPTIONS', path: '/__control/fault' });
    assert.equal(ctl.status, 204);
  });
  await withApi({ cors: false }, async (api) => {
    const r = await call(api, 'DescribeInstances');
    assert.equal(r.headers['access-control-allow-origin'], undefined);
    assert.notEqual((await raw(api, { method: 'OPTIONS' })).status, 204);
  });
});

// ---------------------------------------------------------------------------------------------------------
// ResetInstance input errors

test('ResetInstance input errors, each from the input that causes it', async () => {
  await withApi({ rateLimit: 0 }, async (api) => {
    api.setInstance('lhins-pend0001', { InstanceState: 'PENDING' });
    api.setInstance('lhins-stop0001', { InstanceState: 'STOPPING' });
    const ok = 'lhins-ruy9d2tw';
    const win = 'lhins-w1n2k3sv';
    const cases = [
      [{}, 'MissingParameter'],
      [{ InstanceId: 'i-123' }, 'InvalidParameterValue.InstanceIdMalformed'],
      [{ InstanceId: 'lhins-ABCD1234' }, 'InvalidParameterValue.InstanceIdMalformed'],
      [{ InstanceId: 42 }, 'InvalidParameterValue.InstanceIdMalformed'],
      [{ InstanceId: 'lhins-zzzzzzzz' }, 'ResourceNotFound.InstanceIdNotFound'],
      [{ InstanceId: ok, BlueprintId: 'img-123' }, 'InvalidParameterValue.BlueprintIdMalformed'],
      [{ InstanceId: ok, BlueprintId: 'lhbp-zzzzzzzz' }, 'ResourceNotFound.BlueprintIdNotFound'],
      [{ InstanceId: ok, BlueprintId: 'lhbp-cent76ol' }, 'ResourceUnavailable.BlueprintUnavailable'],
      [{ InstanceId: ok, BlueprintId: 'lhbp-win2022d' }, 'InvalidParameterValue.NotAllowToChangePlatformType'],
      [{ InstanceId: win, BlueprintId: 'lhbp-5e8807lo' }, 'InvalidParameterValue.NotAllowToChangePlatformType'],
      [{ InstanceId: ok, Containers: [{ ContainerImage: 'nginx' }] }, 'InvalidParameterValue.BlueprintConfigNotMatch'],
      [{ InstanceId: ok, LoginConfiguration: { Password: 'Aa1!aaaaaa', KeyIds: ['lhkp-a1b2c3d4'] } }, 'InvalidParameterValue.InvalidParameterCombination'],
      [{ InstanceId: win, LoginConfiguration: { KeyIds: ['lhkp-a1b2c3d4'] } }, 'InvalidParameterValue.InvalidParameterCombination'],
      [
        {
          InstanceId: ok,
          LoginConfiguration: { KeyIds: ['lhkp-a1b2c3d4', 'lhkp-k8sops01', 'lhkp-deploy99', 'lhkp-aaaaaaa1', 'lhkp-aaaaaaa2', 'lhkp-aaaaaaa3'] },
        },
        'InvalidParameterValue.LimitExceeded',
      ],
      [{ InstanceId: ok, LoginConfiguration: { KeyIds: ['lhkp-nothere1'] } }, 'ResourceNotFound.KeyPairNotFound'],
      [{ InstanceId: ok, LoginConfiguration: { Password: 'password' } }, 'InvalidParameterValue.InvalidPassword'],
      [{ InstanceId: win, LoginConfiguration: { Password: 'Aa1!short' } }, 'InvalidParameterValue.InvalidPassword'],
      [{ InstanceId: ok, Foo: 1 }, 'UnknownParameter'],
      [{ InstanceId: ok, LoginConfiguration: { Passwd: 'x' } }, 'UnknownParameter'],
      [{ InstanceId: 'lhins-pend0001' }, 'OperationDenied.InstanceCreating'],
      [{ InstanceId: 'lhins-m5t7w2eb' }, 'UnsupportedOperation.LatestOperationUnfinished'],
      [{ InstanceId: 'lhins-stop0001' }, 'UnsupportedOperation.InvalidInstanceState'],
      [{ InstanceId: 'lhins-r3b00tq1' }, 'UnsupportedOperation.InvalidInstanceState'],
    ];
    for (const [params, code] of cases) {
      const r = await call(api, 'ResetInstance', params);
      assert.equal(errorCode(r), code, `${JSON.stringify(params)} -> ${r.text}`);
    }
    assert.equal(api.log.filter((e) => e.action === 'ResetInstance' && !e.errorCode).length, 0);
    // and the valid variants pass
    const good = [
      { InstanceId: 'lhins-dk8r4c2n', Containers: [{ ContainerImage: 'nginx', ContainerName: 'web', PublishPorts: [{ HostPort: 80, ContainerPort: 80 }] }] },
      { InstanceId: ok, BlueprintId: 'lhbp-deb12x64', LoginConfiguration: { AutoGeneratePassword: 'NO', KeyIds: ['lhkp-a1b2c3d4', 'lhkp-k8sops01'] } },
      { InstanceId: win, LoginConfiguration: { AutoGeneratePassword: 'NO', Password: 'Str0ng!Passw0rd' } },
    ];
    for (const params of good) assert.equal(errorCode(await call(api, 'ResetInstance', params)), null, JSON.stringify(params));
    api.configure({ operatingPolls: 0 });
    assert.deepEqual(api.getInstance(ok).LoginSettings.KeyIds, ['lhkp-a1b2c3d4', 'lhkp-k8sops01']);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Describe actions

test('DescribeInstances: shape, filters, paging, errors, unknown ids absent', async () => {
  await withApi({ rateLimit: 0 }, async (api) => {
    const all = await call(api, 'DescribeInstances', { Limit: 100 });
    const { TotalCount, InstanceSet } = all.json.Response;
    // X-TC-Region is ap-guangzhou: its three instances only, in seed order.
    assert.deepEqual(
      InstanceSet.map((i) => i.InstanceId),
      demoSeed()
        .instances.filter((i) => i.Zone.startsWith('ap-guangzhou-'))
        .map((i) => i.InstanceId),
    );
    assert.equal(TotalCount, 3);
    for (const f of [
      'InstanceId',
      'BundleId',
      'BlueprintId',
      'CPU',
      'Memory',
      'InstanceName',
      'InstanceChargeType',
      'SystemDisk',
      'PrivateAddresses',
      'PublicAddresses',
      'InternetAccessible',
      'RenewFlag',
      'LoginSettings',
      'InstanceState',
      'Uuid',
      'LatestOperation',
      'LatestOperationState',
      'LatestOperationRequestId',
      'LatestOperationStartedTime',
      'IsolatedTime',
      'CreatedTime',
      'ExpiredTime',
      'PlatformType',
      'Platform',
      'OsName',
      'Zone',
      'Tags',
      'InstanceRestrictState',
      'InitInvocationId',
      'InstanceViolationDetail',
    ]) {
      assert.ok(f in InstanceSet[0], f);
    }
    const page = await call(api, 'DescribeInstances', { Offset: 1, Limit: 1 });
    assert.deepEqual(
      page.json.Response.InstanceSet.map((i) => i.InstanceId),
      InstanceSet.slice(1, 2).map((i) => i.InstanceId),
    );
    assert.equal(page.json.Response.TotalCount, TotalCount);

    const by = async (Filters, region) => (await call(api, 'DescribeInstances', { Filters }, { region })).json.Response.InstanceSet.map((i) => i.InstanceId);
    assert.deepEqual(await by([{ Name: 'instance-state', Values: ['STOPPED'] }], 'ap-shanghai'), ['lhins-q8d2k7mz']);
    assert.deepEqual(await by([{ Name: 'instance-state', Values: ['STOPPED'] }], 'ap-chengdu'), ['lhins-s7h2u9tf']);
    assert.deepEqual(await by([{ Name: 'zone', Values: ['ap-singapore-1', 'ap-singapore-3'] }], 'ap-singapore'), ['lhins-m5t7w2eb', 'lhins-w1n2k3sv']);
    assert.deepEqual(await by([{ Name: 'zone', Values: ['ap-singapore-1'] }]), [], 'another region has none of Singapore');
    assert.deepEqual(await by([{ Name: 'public-ip-address', Values: ['43.138.52.117'] }]), ['lhins-ruy9d2tw']);
    assert.deepEqual(await by([{ Name: 'private-ip-address', Values: ['10.1.0.8'] }], 'ap-shanghai'), ['lhins-efgh5678']);
    assert.deepEqual(await by([{ Name: 'instance-name', Values: ['web-prod'] }]), ['lhins-ruy9d2tw']);
    assert.deepEqual(await by([{ Name: 'tag:app', Values: ['blog'] }], 'ap-shanghai'), ['lhins-efgh5678']);
    assert.deepEqual(
      await by(
        [
          { Name: 'tag-key', Values: ['team'] },
          { Name: 'instance-state', Values: ['RUNNING'] },
        ],
        'ap-singapore',
      ),
      ['lhins-w1n2k3sv'],
    );

    // Ids of other regions, like unknown ids, are absent.
    const ids = await call(api, 'DescribeInstances', { InstanceIds: ['lhins-ruy9d2tw', 'lhins-zzzzzzzz', 'lhins-efgh5678'] });
    assert.deepEqual(
      ids.json.Response.InstanceSet.map((i) => i.InstanceId),
      ['lhins-ruy9d2tw'],
    );

    const err = async (p) => errorCode(await call(api, 'DescribeInstances', p));
    assert.equal(await err({ InstanceIds: ['nope'] }), 'InvalidParameterValue.InstanceIdMalformed');
    assert.equal(await err({ InstanceIds: makeFleet(101).map((i) => i.InstanceId) }), 'InvalidParameterValue.LimitExceeded');
    assert.equal(await err({ InstanceIds: ['lhins-ruy9d2tw'], Filters: [{ Name: 'zone', Values: ['x'] }] }), 'InvalidParameter.ParameterConflict');
    assert.equal(await err({ Limit: 101 }), 'InvalidParameterValue.OutOfRange');
    assert.equal(await err({ Limit: 0 }), 'InvalidParameterValue.OutOfRange');
    assert.equal(await err({ Offset: -1 }), 'InvalidParameterValue.Negative');
    assert.equal(await err({ Filters: [{ Name: 'color', Values: ['red'] }] }), 'InvalidParameter.InvalidFilterNotSupportedName');
    assert.equal(await err({ Bogus: true }), 'UnknownParameter');
  });
});

test('DescribeBlueprints: seed, filters, errors', async () => {
  await withApi({}, async (api) => {
    const all = (await call(api, 'DescribeBlueprints')).json.Response;
    assert.equal(all.TotalCount, 7);
    const b = all.BlueprintSet[0];
    for (const f of [
      'BlueprintId',
      'DisplayTitle',
      'DisplayVersion',
      'Description',
      'OsName',
      'Platform',
      'PlatformType',
      'BlueprintType',
      'ImageUrl',
      'RequiredSystemDiskSize',
      'BlueprintState',
      'CreatedTime',
      'BlueprintName',
      'SupportAutomationTools',
    ])
      assert.ok(f in b, f);
    const by = async (Filters) => (await call(api, 'DescribeBlueprints', { Filters })).json.Response.BlueprintSet.map((x) => x.BlueprintId);
    assert.deepEqual(await by([{ Name: 'blueprint-type', Values: ['DOCKER'] }]), ['lhbp-dockerce']);
    assert.deepEqual(await by([{ Name: 'platform-type', Values: ['WINDOWS'] }]), ['lhbp-win2022d']);
    assert.deepEqual(await by([{ Name: 'blueprint-state', Values: ['OFFLINE'] }]), ['lhbp-cent76ol']);
    assert.deepEqual(await by([{ Name: 'blueprint-type', Values: ['APP_OS'] }]), ['lhbp-wordprs6']);
    const ids = await call(api, 'DescribeBlueprints', { BlueprintIds: ['lhbp-5e8807lo'] });
    assert.equal(ids.json.Response.BlueprintSet[0].OsName, 'Ubuntu Server 22.04 LTS 64bit');
    assert.equal(errorCode(await call(api, 'DescribeBlueprints', { BlueprintIds: ['bad'] })), 'InvalidParameterValue.BlueprintIdMalformed');
  });
});

test('Start/Stop/RebootInstances (minimal)', async () => {
  await withApi({ operatingPolls: 1 }, async (api) => {
    const id = 'lhins-s7h2u9tf'; // ap-chengdu-1
    const region = 'ap-chengdu';
    assert.equal(errorCode(await call(api, 'StopInstances', { InstanceIds: [id] }, { region })), 'UnsupportedOperation.InvalidInstanceState');
    assert.equal(errorCode(await call(api, 'StartInstances', { InstanceIds: [id] }, { region })), null);
    const d = await describe(api, id);
    assert.deepEqual([d.InstanceState, d.LatestOperation, d.LatestOperationState], ['STARTING', 'StartInstances', 'OPERATING']);
    assert.deepEqual([(await describe(api, id)).InstanceState], ['RUNNING']);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Control API, seed, lifecycle

test('control endpoints over HTTP (no signature, CORS)', async () => {
  await withApi({ operatingPolls: 1 }, async (api) => {
    const post = (path, body) => raw(api, { path, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    let r = await post('/__control/fault', { kind: 'html500', action: 'DescribeInstances' });
    assert.equal(r.status, 200);
    assert.equal(r.headers['access-control-allow-origin'], '*');
    assert.equal((await call(api, 'DescribeInstances')).status, 500);
    assert.equal((await post('/__control/fault', { kind: 'bogus' })).status, 400);

    r = await post('/__control/instance', { InstanceId: 'lhins-ruy9d2tw', InstanceState: 'STOPPED' });
    assert.equal(r.json.InstanceState, 'STOPPED');
    assert.equal(api.getInstance('lhins-ruy9d2tw').InstanceState, 'STOPPED');
    r = await post('/__control/instance', { InstanceId: 'lhins-new00001', InstanceName: 'made-up' });
    assert.equal(r.json.InstanceState, 'RUNNING');
    assert.equal((await describe(api, 'lhins-new00001')).InstanceName, 'made-up');

    assert.equal((await post('/__control/fail-next-reset', { InstanceId: 'lhins-ruy9d2tw' })).status, 200);
    await call(api, 'ResetInstance', { InstanceId: 'lhins-ruy9d2tw' });
    await describe(api, 'lhins-ruy9d2tw');
    assert.equal((await describe(api, 'lhins-ruy9d2tw')).LatestOperationState, 'FAILED');

    const log = await raw(api, { method: 'GET', path: '/__control/log' });
    assert.ok(Array.isArray(log.json));
    assert.equal(log.json.length, api.log.length);
    assert.equal(log.json[0].fault, 'html500');
    const stats = await raw(api, { method: 'GET', path: '/__control/stats' });
    assert.equal(stats.json.total, api.log.length);
    assert.equal(stats.json.byAction.ResetInstance, 1);

    r = await post('/__control/reset', {});
    assert.equal(r.status, 200);
    assert.equal(api.log.length, 0);
    assert.equal(api.getInstance('lhins-ruy9d2tw').InstanceState, 'RUNNING');
    assert.equal(api.getInstance('lhins-new00001'), undefined);
    assert.deepEqual(api.stats(), { byAction: {}, throttled: 0, errors: 0, faults: 0, total: 0 });
    assert.equal((await raw(api, { method: 'GET', path: '/__control/nothing' })).status, 404);
  });
});

test('api.reset restores the seed, clears faults; custom seeds and makeFleet', async () => {
  const fleet = makeFleet(50, { prefix: 'load' });
  await withApi({ instances: fleet }, async (api) => {
    assert.equal((await call(api, 'DescribeInstances', { Limit: 100 })).json.Response.TotalCount, 50);
    api.injectFault({ kind: 'html500', times: -1 });
    api.setInstance(fleet[0].InstanceId, { InstanceState: 'STOPPED' });
    api.reset();
    assert.equal(api.getInstance(fleet[0].InstanceId).InstanceState, 'RUNNING');
    assert.equal((await call(api, 'DescribeInstances')).status, 200);
    api.reset({ instances: demoSeed().instances });
    assert.equal(api.getInstance(fleet[0].InstanceId), undefined);
    assert.equal(api.getInstance('lhins-ruy9d2tw').InstanceName, 'web-prod-gz-01');
  });
  const ids = makeFleet(2000).map((i) => i.InstanceId);
  assert.equal(new Set(ids).size, 2000);
  assert.ok(ids.every((id) => /^lhins-[a-z0-9]{8}$/.test(id)));
  assert.deepEqual(
    makeFleet(3).map((i) => i.InstanceId),
    ids.slice(0, 3),
    'deterministic',
  );
  assert.notDeepEqual(
    makeFleet(3, { prefix: 'other' }).map((i) => i.InstanceId),
    ids.slice(0, 3),
  );
  assert.ok(makeFleet(5).every((i) => i.InstanceState === 'RUNNING' && i.PlatformType === 'LINUX_UNIX'));

  const seed = demoSeed();
  assert.ok(seed.instances.length >= 12);
  const states = new Set(seed.instances.map((i) => i.InstanceState));
  for (const s of ['RUNNING', 'STOPPED', 'PENDING']) assert.ok(states.has(s), s);
  assert.ok(seed.instances.some((i) => i.LatestOperation === 'ResetInstance' && i.LatestOperationState === 'OPERATING'));
  const regions = new Set(seed.instances.map((i) => i.Zone.replace(/-\d+$/, '')));
  assert.ok(regions.size >= 3);
  assert.ok(seed.instances.every((i) => /^lhins-[a-z0-9]{8}$/.test(i.InstanceId)));
  assert.ok(seed.blueprints.every((b) => /^lhbp-[a-z0-9]{8}$/.test(b.BlueprintId)));
});

test('the seeded OPERATING instance finishes; demo credentials work by default', async () => {
  const api = await startLighthouseApi({ operatingPolls: 1 });
  try {
    const o = { cred: DEMO_CREDENTIALS, region: 'ap-singapore' };
    const d1 = await call(api, 'DescribeInstances', { InstanceIds: ['lhins-m5t7w2eb'] }, o);
    assert.equal(d1.json.Response.InstanceSet[0].LatestOperationState, 'OPERATING');
    const d2 = await call(api, 'DescribeInstances', { InstanceIds: ['lhins-m5t7w2eb'] }, o);
    assert.equal(d2.json.Response.InstanceSet[0].LatestOperationState, 'SUCCESS');
  } finally {
    await api.close();
  }
});

test('close() returns promptly with an open keep-alive socket and an in-flight slow request', async () => {
  const api = await startLighthouseApi({ credentials: [CRED] });
  const agent = new http.Agent({ keepAlive: true });
  const r = await call(api, 'DescribeInstances', {}, { agent });
  assert.equal(r.status, 200);
  api.injectFault({ kind: 'slow', delayMs: 30_000 });
  const pending = call(api, 'DescribeInstances', {}, { agent: false }).catch((e) => e);
  await new Promise((res) => setTimeout(res, 50));
  const t0 = Date.now();
  await api.close();
  assert.ok(Date.now() - t0 < 2000, `close took ${Date.now() - t0} ms`);
  assert.ok((await pending) instanceof Error);
  await api.close(); // idempotent
  agent.destroy();
});
