// Tests of the local API's STS and metadata paths, signed here with node:crypto (never the package's signer).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { startLighthouseApi } from './server.mjs';

const CRED = { secretId: 'AKIDtestLocalSts000000000000000000', secretKey: 'testLocalStsSecretKey000000000000' };
const ROLE = 'qcs::cam::uin/12345678:roleName/ops';
const sha256 = (s) => createHash('sha256').update(s).digest('hex');
const hmac = (k, s) => createHmac('sha256', k).update(s).digest();

/** One signed (or, with `cred` null, `Authorization: SKIP`) POST; resolves to the Response object. */
async function call(api, action, params, { cred = CRED, service = 'sts', version = '2018-08-13', region } = {}) {
  const host = `127.0.0.1:${api.port}`;
  const ts = Math.floor(Date.now() / 1000);
  const body = JSON.stringify(params);
  const headers = { 'content-type': 'application/json', 'x-tc-action': action, 'x-tc-version': version, 'x-tc-timestamp': String(ts) };
  if (region) headers['x-tc-region'] = region;
  if (cred) {
    const date = new Date(ts * 1000).toISOString().slice(0, 10);
    const cr = `POST\n/\n\ncontent-type:application/json\nhost:${host}\n\ncontent-type;host\n${sha256(body)}`;
    const sts = `TC3-HMAC-SHA256\n${ts}\n${date}/${service}/tc3_request\n${sha256(cr)}`;
    const key = hmac(hmac(hmac(`TC3${cred.secretKey}`, date), service), 'tc3_request');
    headers.authorization = `TC3-HMAC-SHA256 Credential=${cred.secretId}/${date}/${service}/tc3_request, SignedHeaders=content-type;host, Signature=${createHmac('sha256', key).update(sts).digest('hex')}`;
    if (cred.token) headers['x-tc-token'] = cred.token;
  } else {
    headers.authorization = 'SKIP';
  }
  const res = await fetch(`${api.url}/`, { method: 'POST', headers, body });
  return (await res.json()).Response;
}

const tmp = (r) => ({ secretId: r.Credentials.TmpSecretId, secretKey: r.Credentials.TmpSecretKey, token: r.Credentials.Token });

test('AssumeRole mints credentials the API and STS accept, with their token, until they expire', async (t) => {
  const api = await startLighthouseApi({ credentials: [CRED] });
  t.after(() => api.close());
  const r = await call(api, 'AssumeRole', { RoleArn: ROLE, RoleSessionName: 'test', DurationSeconds: 900 });
  assert.ok(r.Credentials.Token && r.ExpiredTime > Date.now() / 1000 + 800, JSON.stringify(r));
  assert.match(r.Expiration, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  const who = await call(api, 'GetCallerIdentity', {}, { cred: tmp(r) });
  assert.equal(who.Type, 'CAMRole');
  assert.equal(who.AccountId, '12345678');
  const li = await call(api, 'DescribeInstances', {}, { cred: tmp(r), service: 'lighthouse', version: '2020-03-24', region: 'ap-guangzhou' });
  assert.ok(li.TotalCount > 0);
  const noToken = await call(api, 'GetCallerIdentity', {}, { cred: { ...tmp(r), token: undefined } });
  assert.equal(noToken.Error.Code, 'AuthFailure.TokenFailure');
  api.expireTemporaryCredentials();
  assert.equal((await call(api, 'GetCallerIdentity', {}, { cred: tmp(r) })).Error.Code, 'AuthFailure.TokenFailure');
  assert.deepEqual(Object.keys(api.minted[0]).sort(), ['arn', 'expiredTime', 'secretId', 'via']);
});

test('AssumeRole checks: signature of service sts, RoleArn, RoleSessionName, DurationSeconds, roles', async (t) => {
  const api = await startLighthouseApi({ credentials: [CRED], sts: { roles: ['ops'] } });
  t.after(() => api.close());
  const code = async (params, o) => (await call(api, 'AssumeRole', params, o)).Error?.Code;
  assert.equal(await code({ RoleArn: ROLE, RoleSessionName: 'ok' }, { service: 'lighthouse' }), 'AuthFailure.SignatureFailure');
  assert.equal(await code({ RoleArn: ROLE, RoleSessionName: 'ok' }, { cred: null }), 'AuthFailure.InvalidAuthorization');
  assert.equal(await code({ RoleSessionName: 'ok' }), 'MissingParameter');
  assert.equal(await code({ RoleArn: 'ops', RoleSessionName: 'ok' }), 'InvalidParameterValue.RoleArn');
  assert.equal(await code({ RoleArn: ROLE, RoleSessionName: 'a b' }), 'InvalidParameterValue.RoleSessionName');
  assert.equal(await code({ RoleArn: ROLE, RoleSessionName: 'ok', DurationSeconds: 50000 }), 'InvalidParameterValue');
  assert.equal(await code({ RoleArn: 'qcs::cam::uin/1:roleName/other', RoleSessionName: 'ok' }), 'ResourceNotFound.RoleNotExist');
  assert.equal(await code({ RoleArn: ROLE, RoleSessionName: 'ok' }), undefined);
  assert.equal((await call(api, 'Nope', {})).Error.Code, 'InvalidAction');
});

test('AssumeRoleWithWebIdentity: unsigned, the configured provider and tokens only', async (t) => {
  const api = await startLighthouseApi({ credentials: [CRED], sts: { webIdentity: { providerId: 'p', tokens: ['good'] } } });
  t.after(() => api.close());
  const p = { ProviderId: 'p', WebIdentityToken: 'good', RoleArn: ROLE, RoleSessionName: 'pod' };
  assert.ok((await call(api, 'AssumeRoleWithWebIdentity', p, { cred: null })).Credentials.Token);
  assert.equal((await call(api, 'AssumeRoleWithWebIdentity', p)).Error.Code, 'AuthFailure.InvalidAuthorization');
  assert.equal(
    (await call(api, 'AssumeRoleWithWebIdentity', { ...p, WebIdentityToken: 'bad' }, { cred: null })).Error.Code,
    'InvalidParameter.WebIdentityTokenError',
  );
  assert.equal((await call(api, 'AssumeRoleWithWebIdentity', { ...p, ProviderId: 'q' }, { cred: null })).Error.Code, 'InvalidParameter.ProviderIdNotFound');
});

test('the metadata paths: the role name, its credentials (accepted by the API), 404s', async (t) => {
  const api = await startLighthouseApi({ credentials: [CRED], metadata: { role: 'web', durationSeconds: 600 } });
  t.after(() => api.close());
  const base = `${api.url}/latest/meta-data/cam/security-credentials/`;
  assert.equal(await (await fetch(base)).text(), 'web');
  const c = await (await fetch(`${base}web`)).json();
  assert.equal(c.Code, 'Success');
  assert.ok(c.ExpiredTime > Date.now() / 1000 + 500);
  const li = await call(
    api,
    'DescribeInstances',
    {},
    { cred: { secretId: c.TmpSecretId, secretKey: c.TmpSecretKey, token: c.Token }, service: 'lighthouse', version: '2020-03-24', region: 'ap-guangzhou' },
  );
  assert.ok(li.TotalCount > 0);
  assert.equal((await fetch(`${base}other`)).status, 404);
  assert.equal((await fetch(`${api.url}/latest/meta-data/placement/region`)).status, 404);
  api.configureMetadata({ role: null });
  assert.equal((await fetch(base)).status, 404);
  assert.equal(api.metadataLog.length, 5);
});
