// Issue #13: the default chain (env -> profile -> TKE OIDC -> CVM role), its order and failures, that it is the
// default of every client, proxy and module function in Node, one refresh shared under concurrency, a fleet
// whose credentials expire while it runs, and Deno's denied permissions. Everything on 127.0.0.1.
import test, { describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { LighthouseClient, createSigningProxy, defaultCredentials, fromAssumeRole, resetInstance, resetInstances } from 'tc3-lighthouse';
import { makeFleet, startLighthouseApi } from '../../local-api/server.mjs';
import { hangingServer } from './net-helpers.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const KEY = { secretId: 'AKIDChainTestLongTerm0000000000000001', secretKey: 'ChainTest-key-DO-NOT-LEAK-0001' };
const PROFILE_KEY = { secretId: 'AKIDChainTestProfile00000000000000002', secretKey: 'ChainTest-profile-DO-NOT-LEAK-0002' };
const ROLE = 'qcs::cam::uin/12345678:roleName/ops';
const OIDC_TOKEN = 'chain-oidc-DO-NOT-LEAK-0003';
const VARS = [
  'TENCENTCLOUD_SECRET_ID',
  'TENCENTCLOUD_SECRET_KEY',
  'TENCENTCLOUD_SESSION_TOKEN',
  'TENCENTCLOUD_PROFILE',
  'TENCENTCLOUD_CREDENTIALS_FILE',
  'TENCENTCLOUD_METADATA_DISABLED',
  'TENCENTCLOUD_METADATA_ENDPOINT',
  'TKE_ROLE_ARN',
  'TKE_PROVIDER_ID',
  'TKE_WEB_IDENTITY_TOKEN_FILE',
  'TKE_REGION',
];

const fleet = makeFleet(6);
const ids = fleet.map((i) => i.InstanceId);
let api;
let tmp;
let profileFile;
let tokenFile;
before(async () => {
  api = await startLighthouseApi({
    credentials: [KEY, PROFILE_KEY],
    instances: fleet,
    operatingPolls: 3,
    sts: { webIdentity: { providerId: 'tke-oidc', tokens: [OIDC_TOKEN] } },
  });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tc3-chain-'));
  profileFile = path.join(tmp, 'credentials');
  fs.writeFileSync(
    profileFile,
    `[default]\nsecret_id = ${PROFILE_KEY.secretId}\nsecret_key = ${PROFILE_KEY.secretKey}\n[ops]\nsecret_id = ${KEY.secretId}\nsecret_key = ${KEY.secretKey}\n`,
  );
  tokenFile = path.join(tmp, 'token');
  fs.writeFileSync(tokenFile, OIDC_TOKEN);
});
after(async () => {
  await api.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** Runs `fn` with exactly `vars` of VARS set (the others unset; no file, metadata off unless given). */
async function withEnv(vars, fn) {
  const saved = Object.fromEntries(VARS.map((k) => [k, process.env[k]]));
  for (const k of VARS) delete process.env[k];
  Object.assign(process.env, { TENCENTCLOUD_CREDENTIALS_FILE: path.join(tmp, 'absent'), TENCENTCLOUD_METADATA_DISABLED: 'true', ...vars });
  try {
    return await fn();
  } finally {
    for (const k of VARS) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  }
}

const ENV = { TENCENTCLOUD_SECRET_ID: KEY.secretId, TENCENTCLOUD_SECRET_KEY: KEY.secretKey };
const PROFILE = () => ({ TENCENTCLOUD_CREDENTIALS_FILE: profileFile });
const TKE = () => ({ TKE_ROLE_ARN: ROLE, TKE_PROVIDER_ID: 'tke-oidc', TKE_WEB_IDENTITY_TOKEN_FILE: tokenFile });
const CVM = () => ({ TENCENTCLOUD_METADATA_DISABLED: '', TENCENTCLOUD_METADATA_ENDPOINT: api.url });

async function sourceOf(vars, options = {}) {
  return withEnv(vars, async () => {
    const chain = defaultCredentials({ stsEndpoint: api.url, ...options });
    const c = await chain();
    return { source: chain.source, creds: c };
  });
}

describe('the order: env -> profile -> TKE OIDC -> CVM role', () => {
  test('the first that yields wins', async () => {
    assert.match((await sourceOf({ ...ENV, ...PROFILE(), ...TKE(), ...CVM() })).source, /^environment/);
    const p = await sourceOf({ ...PROFILE(), ...TKE(), ...CVM() });
    assert.match(p.source, /^profile \[default\] of .*credentials$/);
    assert.equal(p.creds.secretId, PROFILE_KEY.secretId);
    const o = await sourceOf({ ...TKE(), ...CVM() });
    assert.match(o.source, /^TKE OIDC/);
    assert.ok(o.creds.token);
    assert.match((await sourceOf(CVM())).source, /^CVM role "local-instance-role"/);
  });

  test('a profile given (or TENCENTCLOUD_PROFILE) beats the environment; missing, it is an error', async () => {
    assert.equal((await sourceOf({ ...ENV, ...PROFILE() }, { profile: 'ops' })).creds.secretId, KEY.secretId);
    assert.equal((await sourceOf({ ...PROFILE(), TENCENTCLOUD_PROFILE: 'ops' })).creds.secretId, KEY.secretId);
    await assert.rejects(sourceOf(PROFILE(), { profile: 'dev' }), { code: 'ClientError.Credentials', message: /no \[dev\] section/ });
  });

  test('nothing found: one message naming every step tried, and no secret', async () => {
    const e = await sourceOf({}).catch((x) => x);
    assert.equal(e.code, 'ClientError.Credentials');
    assert.match(
      e.message,
      /^No credentials found\. Tried: environment: .*; profile file: .*absent: not found; TKE OIDC: .* not set; CVM role: switched off by TENCENTCLOUD_METADATA_DISABLED\./,
    );
  });

  test('no metadata service: a fast failure (about one second), not a hang', async (t) => {
    const hang = await hangingServer(t);
    const e = await sourceOf({}, { metadataEndpoint: hang }).catch((x) => x);
    assert.match(e.message, /CVM role: the metadata service \(http:\/\/127\.0\.0\.1:\d+\/\): no answer within 1000 ms\./);
  });

  test('a step that is there but broken fails the chain (it does not fall through)', async () => {
    const broken = path.join(tmp, 'broken');
    fs.writeFileSync(broken, `[default]\nsecret_id = AKIDx\n`);
    const e = await sourceOf({ TENCENTCLOUD_CREDENTIALS_FILE: broken, ...CVM() }).catch((x) => x);
    assert.match(e.message, /^defaultCredentials: the profile file step failed: \[default\] of .*broken has no secret_key\./);
    fs.writeFileSync(tokenFile, 'not-the-token-DO-NOT-LEAK');
    try {
      const o = await sourceOf({ ...TKE(), ...CVM() }).catch((x) => x);
      assert.match(o.message, /TKE OIDC step failed: .*InvalidParameter\.WebIdentityTokenError/);
      assert.ok(!o.message.includes('DO-NOT-LEAK'));
    } finally {
      fs.writeFileSync(tokenFile, OIDC_TOKEN);
    }
  });
});

/** Runs `code` in a fresh Node (its own default chain) with the hermetic variables plus `vars`; resolves to stdout. */
function runChild(code, vars) {
  const env = { ...process.env };
  for (const k of VARS) delete env[k];
  Object.assign(env, { TENCENTCLOUD_CREDENTIALS_FILE: path.join(tmp, 'absent'), TENCENTCLOUD_METADATA_DISABLED: 'true', ...vars });
  return new Promise((resolve, reject) =>
    execFile(process.execPath, ['-e', code], { cwd: root, env }, (err, stdout, stderr) =>
      err ? reject(new Error(`${err.message}\n${stdout}${stderr}`)) : resolve(stdout),
    ),
  );
}

describe('the default of every client, proxy and module function in Node', () => {
  test('clients, resetInstance and createSigningProxy without `credentials` use the chain', async () => {
    await withEnv(ENV, async () => {
      const client = new LighthouseClient({ endpoint: api.url, region: 'ap-guangzhou' });
      assert.ok((await client.describeInstances()).TotalCount > 0);
      client.free();
      const r = await resetInstance({ InstanceId: ids[0] }, { endpoint: api.url });
      assert.ok(r.RequestId);
      const proxy = createSigningProxy({ endpoint: api.url, region: 'ap-guangzhou', allowActions: ['DescribeInstances'] });
      const res = await proxy(
        new Request('http://proxy.local/', { method: 'POST', headers: { 'content-type': 'application/json', 'x-tc-action': 'DescribeInstances' }, body: '{}' }),
      );
      assert.ok((await res.json()).Response.TotalCount > 0);
    });
  });

  test('a CVM role behind every default client: one refresh shared by concurrent calls of many clients', async () => {
    const seen = api.metadataLog.length;
    const out = await runChild(
      `const { LighthouseClient } = require('tc3-lighthouse');
       const clients = [1, 2, 3].map(() => new LighthouseClient({ endpoint: process.env.API, region: 'ap-guangzhou' }));
       Promise.all(clients.flatMap((c) => [c.describeInstances(), c.describeInstances(), c.describeBlueprints()]))
         .then((r) => console.log(JSON.stringify({ n: r.length })), (e) => { console.log(e.message); process.exit(1); });`,
      { TENCENTCLOUD_METADATA_ENDPOINT: api.url, TENCENTCLOUD_METADATA_DISABLED: '', API: api.url },
    );
    assert.deepEqual(JSON.parse(out), { n: 9 });
    assert.equal(api.metadataLog.length - seen, 2, 'the role name and its credentials, once for all nine calls');
  });
});

describe('expiry mid-fleet', () => {
  test('a resetInstances whose credentials expire while it runs keeps going', async () => {
    const credentials = fromAssumeRole({ roleArn: ROLE, credentials: KEY, endpoint: api.url, durationSeconds: 2 });
    const batch = ids.slice(0, 4);
    const before = api.minted.length;
    // Three OPERATING answers a second apart: the run outlives the 2-second credentials, whatever the machine's speed.
    const results = await resetInstances(
      batch.map((InstanceId) => ({ InstanceId })),
      { credentials, endpoint: api.url, region: 'ap-guangzhou', wait: true, concurrency: 4, minDelaySeconds: 1, maxDelaySeconds: 1 },
    );
    assert.deepEqual(
      results.map((r) => [r.InstanceId, r.ok, r.error?.code]),
      batch.map((id) => [id, true, undefined]),
    );
    assert.ok(api.minted.length - before >= 2, `the credentials were refreshed (${api.minted.length - before} minted)`);
  });
});

describe('Bun: the chain works as in Node', () => {
  const bun = path.join(root, 'tests/matrix/node_modules/.bin/bun');
  test('a profile file, then the CVM role', { skip: !fs.existsSync(bun) && 'bun is not installed' }, async () => {
    const script = path.join(tmp, 'bun-chain.cjs');
    fs.writeFileSync(
      script,
      `const { defaultCredentials } = require(${JSON.stringify(path.join(root, 'pkg/node/index.cjs'))});
       (async () => {
         const chain = defaultCredentials({ metadataEndpoint: process.env.API });
         await chain();
         console.log(chain.source);
         process.env.TENCENTCLOUD_CREDENTIALS_FILE = process.env.ABSENT;
         const next = defaultCredentials({ metadataEndpoint: process.env.API });
         await next();
         console.log(next.source);
       })();`,
    );
    const env = { PATH: process.env.PATH, HOME: tmp, API: api.url, TENCENTCLOUD_CREDENTIALS_FILE: profileFile, ABSENT: path.join(tmp, 'absent') };
    const out = await new Promise((resolve, reject) =>
      execFile(bun, [script], { env }, (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout))),
    );
    assert.match(out, /^profile \[default\] of .*credentials\nCVM role "local-instance-role"/);
  });
});

describe('Deno: a denied permission means "not found here"', () => {
  const deno = path.join(root, 'tests/matrix/node_modules/.bin/deno');
  test('no read permission outside the package: the profile step is skipped, the CVM role is used', {
    skip: !fs.existsSync(deno) && 'deno is not installed',
  }, async () => {
    const script = path.join(tmp, 'deno-chain.mjs');
    fs.writeFileSync(
      script,
      `import { createRequire } from 'node:module';
       const { defaultCredentials } = createRequire(${JSON.stringify(path.join(root, 'pkg/node/index.cjs'))})(${JSON.stringify(path.join(root, 'pkg/node/index.cjs'))});
       const chain = defaultCredentials({ metadataEndpoint: ${JSON.stringify(api.url)} });
       await chain();
       console.log(chain.source);`,
    );
    const out = await new Promise((resolve, reject) =>
      execFile(
        deno,
        ['run', `--allow-read=${path.join(root, 'pkg')},${script}`, '--allow-net=127.0.0.1', '--allow-env', script],
        { env: { PATH: process.env.PATH, DENO_NO_UPDATE_CHECK: '1', HOME: tmp, DENO_DIR: path.join(tmp, 'deno-dir') } },
        (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout)),
      ),
    );
    assert.match(out, /^CVM role "local-instance-role"/);
  });
});
