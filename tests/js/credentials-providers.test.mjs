// Issue #13: each credential provider against the local API (STS, the metadata paths) on 127.0.0.1, the shared
// cache (fake clock), and that no secret reaches a message or JSON.stringify. The chain: credentials-chain.test.mjs.
import test, { describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LighthouseClient, TencentCloudError, fromAssumeRole, fromCvmRole, fromEnv, fromHttp, fromProfile, fromWebIdentity } from 'tc3-lighthouse';
import { startLighthouseApi } from '../../local-api/server.mjs';
import { memoize } from '../../pkg/credentials/shared.js';
import { hangingServer } from './net-helpers.mjs';

// Every secret contains DO-NOT-LEAK, so a leak of any of them is caught.
const KEY = { secretId: 'AKIDCredTestLongTerm00000000000000001', secretKey: 'CredTest-key-DO-NOT-LEAK-0001' };
const ROLE = 'qcs::cam::uin/12345678:roleName/ops';
const OIDC_TOKEN = 'eyJ-oidc-token-DO-NOT-LEAK-0002';

let api;
let tmp;
before(async () => {
  api = await startLighthouseApi({ credentials: [KEY], sts: { webIdentity: { providerId: 'tke-oidc', tokens: [OIDC_TOKEN] } } });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tc3-cred-'));
});
after(async () => {
  await api.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** Asserts `p` rejects with a ClientError.Credentials whose message matches `re` and holds no secret. */
async function rejectsCredentials(p, re, secrets = []) {
  const e = await p.then(
    () => assert.fail('resolved'),
    (err) => err,
  );
  assert.ok(e instanceof TencentCloudError, `not a TencentCloudError: ${e}`);
  assert.equal(e.code, 'ClientError.Credentials');
  assert.equal(e.kind, 'auth');
  assert.match(e.message, re);
  noSecret(e, secrets);
  return e;
}

function noSecret(value, secrets = []) {
  const text = [String(value?.message), JSON.stringify(value), String(value)].join('\n');
  for (const s of ['DO-NOT-LEAK', ...secrets]) assert.ok(!text.includes(s), `a secret leaked: ${text}`);
}

const writeFile = (name, text) => {
  const f = path.join(tmp, name);
  fs.writeFileSync(f, text);
  return f;
};

describe('the shared cache (fake clock)', () => {
  const E = TencentCloudError;
  const clock = (t0 = 1_000_000) => {
    const c = { t: t0, now: () => c.t };
    return c;
  };

  test('cached until 5 minutes before expiresAt; shorter-lived ones until they expire', async () => {
    const c = clock();
    let n = 0;
    const long = memoize(E, async () => ({ secretId: `AKID${++n}`, secretKey: 'k', token: 't', expiresAt: c.t + 3600 }), 'long', c.now);
    assert.equal((await long()).secretId, 'AKID1');
    c.t += 3600 - 301;
    assert.equal((await long()).secretId, 'AKID1');
    c.t += 1;
    assert.equal((await long()).secretId, 'AKID2');
    let m = 0;
    const short = memoize(E, async () => ({ secretId: `AKID${++m}`, secretKey: 'k', expiresAt: c.t + 120 }), 'short', c.now);
    await short();
    c.t += 119;
    await short();
    await short();
    assert.equal(m, 1, 'not refetched on every call');
    c.t += 1;
    await short();
    assert.equal(m, 2);
  });

  test('concurrent calls share one fetch; a failure is retried by the next call, with backoff once failures repeat', async () => {
    const c = clock();
    let calls = 0;
    let fail = true;
    const p = memoize(
      E,
      async () => {
        calls++;
        await new Promise((r) => setTimeout(r, 10));
        if (fail) throw new Error('boom');
        return { secretId: 'AKIDx', secretKey: 'k', expiresAt: c.t + 3600 };
      },
      'flaky',
      c.now,
    );
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => p()));
    assert.equal(calls, 1);
    assert.ok(results.every((r) => r.status === 'rejected' && r.reason.code === 'ClientError.Credentials'));
    assert.equal(results[0].reason.message, 'flaky failed.');
    await assert.rejects(p()); // the first failure is retried at once
    assert.equal(calls, 2);
    await assert.rejects(p()); // a repeated failure: backoff, no fetch
    assert.equal(calls, 2);
    c.t += 1;
    fail = false;
    const got = await Promise.all([p(), p(), p()]);
    assert.equal(calls, 3);
    assert.ok(got.every((g) => g === got[0]));
  });

  test('while a refresh fails, credentials not yet expired are still handed out', async () => {
    const c = clock();
    let fail = false;
    const p = memoize(
      E,
      async () => {
        if (fail) throw new TencentCloudError('ClientError.Credentials', 'down', { kind: 'auth' });
        return { secretId: 'AKIDold', secretKey: 'k', expiresAt: c.t + 1000 };
      },
      'x',
      c.now,
    );
    await p();
    fail = true;
    c.t += 800; // inside the 5-minute window
    assert.equal((await p()).secretId, 'AKIDold');
    c.t += 200; // expired
    await assert.rejects(p(), /down/);
  });

  test('what a provider returns is checked: milliseconds, a missing key', async () => {
    const ms = memoize(E, async () => ({ secretId: 'AKIDx', secretKey: 'k', expiresAt: Date.now() }), 'ms');
    await rejectsCredentials(ms(), /an expiry that is not Unix seconds/);
    const nokey = memoize(E, async () => ({ secretId: 'AKIDx', secretKey: 'CredTest-DO-NOT-LEAK' }), 'nokey');
    assert.equal((await nokey()).secretKey, 'CredTest-DO-NOT-LEAK');
    await rejectsCredentials(memoize(E, async () => ({ secretId: 'AKIDx' }), 'half')(), /half gave no SecretKey/);
  });
});

describe('fromEnv', () => {
  test('reads TENCENTCLOUD_* at each call; names what is missing', async (t) => {
    const saved = { ...process.env };
    t.after(() => {
      for (const k of ['TENCENTCLOUD_SECRET_ID', 'TENCENTCLOUD_SECRET_KEY', 'TENCENTCLOUD_SESSION_TOKEN']) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
    });
    delete process.env.TENCENTCLOUD_SECRET_ID;
    delete process.env.TENCENTCLOUD_SECRET_KEY;
    const p = fromEnv();
    await rejectsCredentials(p(), /fromEnv: TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY are not set/);
    process.env.TENCENTCLOUD_SECRET_ID = KEY.secretId;
    await rejectsCredentials(p(), /TENCENTCLOUD_SECRET_KEY is not set/);
    process.env.TENCENTCLOUD_SECRET_KEY = KEY.secretKey;
    process.env.TENCENTCLOUD_SESSION_TOKEN = 'tok';
    assert.deepEqual(await p(), { ...KEY, token: 'tok' });
    assert.throws(() => fromEnv({ nope: 1 }), { code: 'ClientError.InvalidArgument', message: /fromEnv options\.nope/ });
  });
});

describe('fromProfile', () => {
  test('INI as the SDKs read it: comments, spaces around =, CRLF, a BOM, quotes, named profiles', async () => {
    const file = writeFile(
      'credentials',
      '\uFEFF# a comment\r\n; another\r\n[default]\r\nsecret_id   =   AKIDProfileDefault000000000000001 \r\nsecret_key=' +
        KEY.secretKey +
        '  # inline\r\n\r\n[ ops ]\nsecret_id: "AKIDProfileOps00000000000000000002"\nsecret_key = ops-key\ntoken = ops-token\n',
    );
    assert.deepEqual(await fromProfile({ file })(), { secretId: 'AKIDProfileDefault000000000000001', secretKey: KEY.secretKey });
    assert.deepEqual(await fromProfile({ file, profile: 'ops' })(), {
      secretId: 'AKIDProfileOps00000000000000000002',
      secretKey: 'ops-key',
      token: 'ops-token',
    });
  });

  test('what is wrong, named: no file, no such profile, a missing key (never the key)', async () => {
    await rejectsCredentials(fromProfile({ file: path.join(tmp, 'absent') })(), /fromProfile: .*absent: not found/);
    const file = writeFile('two', `[default]\nsecret_key = ${KEY.secretKey}\n[prod]\nsecret_id = AKIDx\n`);
    await rejectsCredentials(fromProfile({ file, profile: 'dev' })(), /has no \[dev\] section \(it has \[default\], \[prod\]\)/);
    await rejectsCredentials(fromProfile({ file })(), /\[default\] of .*two has no secret_id\./);
    await rejectsCredentials(fromProfile({ file, profile: 'prod' })(), /has no secret_key\./);
    assert.throws(() => fromProfile({ profile: 3 }), { code: 'ClientError.InvalidArgument', message: /fromProfile options\.profile/ });
  });

  test('TENCENTCLOUD_CREDENTIALS_FILE replaces ~/.tencentcloud and /etc/tencentcloud (the test runner points it nowhere)', async (t) => {
    const saved = process.env.TENCENTCLOUD_CREDENTIALS_FILE;
    t.after(() => {
      if (saved === undefined) delete process.env.TENCENTCLOUD_CREDENTIALS_FILE;
      else process.env.TENCENTCLOUD_CREDENTIALS_FILE = saved;
    });
    process.env.TENCENTCLOUD_CREDENTIALS_FILE = writeFile('envfile', `[default]\nsecret_id=AKIDEnvFile\nsecret_key=k\n`);
    assert.equal((await fromProfile()()).secretId, 'AKIDEnvFile');
  });
});

describe('fromCvmRole', () => {
  test('the role found, then its credentials, cached; they work against the API', async () => {
    const before = api.metadataLog.length;
    const p = fromCvmRole({ endpoint: api.url });
    const [a, b] = await Promise.all([p(), p()]);
    assert.equal(a, b);
    assert.ok(a.token && a.expiresAt > Date.now() / 1000 + 3600);
    await p();
    assert.equal(api.metadataLog.length - before, 2, 'the role name, then its credentials, once');
    const client = new LighthouseClient({ credentials: p, endpoint: api.url, region: 'ap-guangzhou' });
    assert.ok((await client.describeInstances()).TotalCount > 0);
    client.free();
  });

  test('a role given; an unknown role; an instance without a role', async (t) => {
    const before = api.metadataLog.length;
    assert.ok((await fromCvmRole({ endpoint: api.url, roleName: 'local-instance-role' })()).token);
    assert.equal(api.metadataLog.length - before, 1);
    await rejectsCredentials(fromCvmRole({ endpoint: api.url, roleName: 'nope' })(), /no role "nope" on this instance/);
    api.configureMetadata({ role: null });
    t.after(() => api.configureMetadata({ role: 'local-instance-role' }));
    await rejectsCredentials(fromCvmRole({ endpoint: api.url })(), /this instance has no CAM role/);
  });

  test('a metadata service that hangs fails after timeoutMs, not never; a closed port at once', async (t) => {
    const hang = await hangingServer(t);
    await rejectsCredentials(fromCvmRole({ endpoint: hang, timeoutMs: 200 })(), /no answer within 200 ms/);
    const closed = await hangingServer(t).then((u) => u.replace(/:\d+$/, ':1'));
    await rejectsCredentials(fromCvmRole({ endpoint: closed })(), /fromCvmRole: the metadata service .*request failed/);
  });

  test('TENCENTCLOUD_METADATA_DISABLED switches the default endpoint off; TENCENTCLOUD_METADATA_ENDPOINT moves it', async (t) => {
    const saved = { d: process.env.TENCENTCLOUD_METADATA_DISABLED, e: process.env.TENCENTCLOUD_METADATA_ENDPOINT };
    t.after(() => {
      for (const [k, v] of [
        ['TENCENTCLOUD_METADATA_DISABLED', saved.d],
        ['TENCENTCLOUD_METADATA_ENDPOINT', saved.e],
      ]) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    });
    process.env.TENCENTCLOUD_METADATA_DISABLED = 'true';
    process.env.TENCENTCLOUD_METADATA_ENDPOINT = api.url;
    await rejectsCredentials(fromCvmRole()(), /switched off \(TENCENTCLOUD_METADATA_DISABLED\)/);
    assert.ok((await fromCvmRole({ endpoint: api.url })()).token, 'an endpoint given in code still works');
    delete process.env.TENCENTCLOUD_METADATA_DISABLED;
    assert.ok((await fromCvmRole()()).token);
  });

  test('expired credentials are fetched again', async (t) => {
    api.configureMetadata({ durationSeconds: 1 });
    t.after(() => api.configureMetadata({ durationSeconds: 21600 }));
    const p = fromCvmRole({ endpoint: api.url, roleName: 'local-instance-role' });
    const a = await p();
    await new Promise((r) => setTimeout(r, (a.expiresAt - Date.now() / 1000) * 1000 + 50));
    const b = await p();
    assert.notEqual(a.secretId, b.secretId);
  });
});

describe('fromAssumeRole', () => {
  test('STS AssumeRole signed with our signer (service sts); the credentials work until they expire', async () => {
    const p = fromAssumeRole({ roleArn: ROLE, credentials: KEY, endpoint: api.url, durationSeconds: 900, roleSessionName: 'ops-console' });
    const c = await p();
    assert.ok(c.token);
    assert.ok(Math.abs(c.expiresAt - (Date.now() / 1000 + 900)) < 60);
    const entry = api.log.findLast((e) => e.action === 'AssumeRole');
    assert.equal(entry.secretId, KEY.secretId);
    assert.ok(entry.ok);
    const client = new LighthouseClient({ credentials: p, endpoint: api.url, region: 'ap-guangzhou' });
    assert.ok((await client.describeInstances()).TotalCount > 0);
    api.expireTemporaryCredentials();
    const e = await client.describeInstances().catch((x) => x);
    assert.equal(e.code, 'AuthFailure.TokenFailure', 'the server refuses expired tokens');
    client.free();
  });

  test('signed with a provider (here: another role); STS errors named with their code and RequestId', async () => {
    const first = fromAssumeRole({ roleArn: ROLE, credentials: KEY, endpoint: api.url });
    const second = fromAssumeRole({ roleArn: 'qcs::cam::uin/12345678:roleName/readonly', credentials: first, endpoint: api.url });
    assert.ok((await second()).token);
    const bad = fromAssumeRole({
      roleArn: ROLE,
      credentials: { secretId: 'AKIDUnknown000000000000000000000001', secretKey: 'x-DO-NOT-LEAK' },
      endpoint: api.url,
    });
    await rejectsCredentials(bad(), /AssumeRole of qcs::cam::uin\/12345678:roleName\/ops .*AuthFailure\.SecretIdNotFound: .*\(RequestId [0-9a-f-]{36}\)/);
  });

  test('bad options are InvalidArgument naming the field', () => {
    assert.throws(() => fromAssumeRole(), { code: 'ClientError.InvalidArgument', message: /roleArn/ });
    assert.throws(() => fromAssumeRole({ roleArn: 'ops' }), { code: 'ClientError.InvalidArgument', message: /options\.roleArn/ });
    assert.throws(() => fromAssumeRole({ roleArn: ROLE, durationSeconds: 50000 }), { message: /options\.durationSeconds/ });
    assert.throws(() => fromAssumeRole({ roleArn: ROLE, roleSessionName: 'a b' }), { message: /options\.roleSessionName/ });
    assert.throws(() => fromAssumeRole({ roleArn: ROLE, rolearn: 1 }), { message: /options\.rolearn/ });
  });
});

describe('fromWebIdentity (TKE OIDC)', () => {
  test('AssumeRoleWithWebIdentity unsigned, the token file read at each fetch', async () => {
    const tokenFile = writeFile('oidc-token', `${OIDC_TOKEN}\n`);
    const p = fromWebIdentity({ roleArn: ROLE, providerId: 'tke-oidc', tokenFile, endpoint: api.url, durationSeconds: 1 });
    const a = await p();
    assert.ok(a.token);
    const entry = api.log.findLast((e) => e.action === 'AssumeRoleWithWebIdentity');
    assert.equal(entry.secretId, null, 'unsigned');
    // Expired: fetched again, with the rotated token file (here: a token STS refuses).
    fs.writeFileSync(tokenFile, 'rotated-DO-NOT-LEAK');
    await new Promise((r) => setTimeout(r, (a.expiresAt - Date.now() / 1000) * 1000 + 50));
    await rejectsCredentials(p(), /InvalidParameter\.WebIdentityTokenError/, ['rotated']);
  });

  test('defaults from TKE_*; what is missing, named', async (t) => {
    const keys = ['TKE_ROLE_ARN', 'TKE_PROVIDER_ID', 'TKE_WEB_IDENTITY_TOKEN_FILE', 'TKE_REGION'];
    t.after(() => {
      for (const k of keys) delete process.env[k];
    });
    await rejectsCredentials(
      fromWebIdentity()(),
      /roleArn \(TKE_ROLE_ARN\), providerId \(TKE_PROVIDER_ID\), tokenFile \(TKE_WEB_IDENTITY_TOKEN_FILE\) not set/,
    );
    Object.assign(process.env, {
      TKE_ROLE_ARN: ROLE,
      TKE_PROVIDER_ID: 'tke-oidc',
      TKE_WEB_IDENTITY_TOKEN_FILE: writeFile('tok2', OIDC_TOKEN),
      TKE_REGION: 'ap-shanghai',
    });
    assert.ok((await fromWebIdentity({ endpoint: api.url })()).token);
  });
});

describe('fromHttp', () => {
  /** A backend answering `answer()` at /creds; counts the requests and keeps their headers. */
  async function backend(t, answer) {
    const http = await import('node:http');
    const seen = [];
    const server = http.createServer((req, res) => {
      seen.push(req.headers);
      const [status, body] = answer();
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    });
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    t.after(() => server.close());
    return { url: `http://127.0.0.1:${server.address().port}/creds?session=abc`, seen };
  }

  test('both shapes; cached; headers sent', async (t) => {
    const exp = Math.floor(Date.now() / 1000) + 3600;
    let shape = 0;
    const b = await backend(t, () =>
      shape++ === 0
        ? [200, { secretId: 'AKIDHttp1', secretKey: 'k1', token: 't1', expiresAt: exp }]
        : [200, { Credentials: { TmpSecretId: 'AKIDHttp2', TmpSecretKey: 'k2', Token: 't2' }, ExpiredTime: exp }],
    );
    const p = fromHttp(b.url, { headers: { 'x-csrf': 'yes' } });
    assert.deepEqual(await p(), { secretId: 'AKIDHttp1', secretKey: 'k1', token: 't1', expiresAt: exp });
    await p();
    assert.equal(b.seen.length, 1);
    assert.equal(b.seen[0]['x-csrf'], 'yes');
    assert.deepEqual(await fromHttp(b.url)(), { secretId: 'AKIDHttp2', secretKey: 'k2', token: 't2', expiresAt: exp });
    const flat = await backend(t, () => [200, { TmpSecretId: 'AKIDHttp3', TmpSecretKey: 'k3', Token: 't3', ExpiredTime: exp }]);
    assert.equal((await fromHttp(flat.url)()).secretId, 'AKIDHttp3');
  });

  test('failures named, never the body or the query string', async (t) => {
    let answer = [500, 'oops'];
    const b = await backend(t, () => answer);
    // A fresh provider per case: one provider backs off once its failures repeat.
    const p = () => fromHttp(b.url)();
    await rejectsCredentials(p(), /fromHttp \(GET http:\/\/127\.0\.0\.1:\d+\/creds\): HTTP 500\./, ['session=abc']);
    answer = [200, `{"secretKey": "${KEY.secretKey}", truncated`];
    await rejectsCredentials(p(), /the answer is not JSON\./);
    answer = [200, { secretKey: KEY.secretKey, secretId: 'AKIDx', expiresAt: Date.now() }];
    await rejectsCredentials(p(), /an expiry that is not Unix seconds \(\d+\)/);
    answer = [200, { hello: 'world' }];
    await rejectsCredentials(p(), /neither/);
    const hang = await hangingServer(t);
    await rejectsCredentials(fromHttp(hang, { timeoutMs: 100 })(), /no answer within 100 ms/);
    assert.throws(() => fromHttp(42), { code: 'ClientError.InvalidArgument' });
    assert.throws(() => fromHttp('http://x', { fetch: 1 }), { message: /options\.fetch/ });
  });
});
