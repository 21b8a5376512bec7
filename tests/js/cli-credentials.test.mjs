// Issue #13, the CLI: credentials from the chain, `--profile NAME`, and `whoami` (STS GetCallerIdentity) with the
// source the chain picked, as a child process against the local API (Lighthouse, STS and the metadata paths).
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLighthouseApi } from '../../local-api/server.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = path.join(root, 'pkg', 'bin', 'tc3-lighthouse.cjs');
const ENV_KEY = { secretId: 'AKIDCliCredEnv00000000000000000000001', secretKey: 'CliCred-env-key-DO-NOT-LEAK-1' };
const OPS_KEY = { secretId: 'AKIDCliCredOps00000000000000000000002', secretKey: 'CliCred-ops-key-DO-NOT-LEAK-2' };

let api;
let tmp;
let file;
test.before(async () => {
  api = await startLighthouseApi({ credentials: [ENV_KEY, OPS_KEY], sts: { accountId: '200000000002' } });
  tmp = mkdtempSync(path.join(tmpdir(), 'tc3-cli-cred-'));
  file = path.join(tmp, 'credentials');
  writeFileSync(
    file,
    `[default]\r\nsecret_id = ${ENV_KEY.secretId}\r\nsecret_key = ${ENV_KEY.secretKey}\r\n\r\n[ops]\r\nsecret_id = ${OPS_KEY.secretId}\r\nsecret_key = ${OPS_KEY.secretKey}\r\n`,
  );
});
test.after(async () => {
  await api.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** Runs the CLI with only `vars` (hermetic otherwise); checks no SecretKey is printed. */
function cli(args, vars = {}) {
  const env = {
    PATH: process.env.PATH,
    TENCENTCLOUD_CREDENTIALS_FILE: path.join(tmp, 'absent'),
    TENCENTCLOUD_METADATA_DISABLED: 'true',
    TENCENTCLOUD_STS_ENDPOINT: api.url,
    ...vars,
  };
  return new Promise((resolve) =>
    execFile(process.execPath, [BIN, ...args], { env, timeout: 15_000 }, (err, stdout, stderr) => {
      for (const s of ['DO-NOT-LEAK']) assert.ok(!stdout.includes(s) && !stderr.includes(s), `a SecretKey was printed by ${args.join(' ')}`);
      resolve({ code: err ? err.code : 0, stdout, stderr });
    }),
  );
}

test('whoami: the identity and the source, from the environment', async () => {
  const r = await cli(['whoami'], { TENCENTCLOUD_SECRET_ID: ENV_KEY.secretId, TENCENTCLOUD_SECRET_KEY: ENV_KEY.secretKey });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^Arn: +qcs::cam::uin\/200000000002:uin\/200000000002\nAccount: +200000000002\n/);
  assert.match(r.stdout, /\nSource: +environment \(TENCENTCLOUD_SECRET_ID\)\nSecretId: +AKID\.\.\.0001\n$/);
  assert.equal(api.log.at(-1).action, 'GetCallerIdentity');
});

test('--profile NAME picks a profile (over the environment); whoami --json says which', async () => {
  const vars = {
    TENCENTCLOUD_CREDENTIALS_FILE: file,
    TENCENTCLOUD_SECRET_ID: ENV_KEY.secretId,
    TENCENTCLOUD_SECRET_KEY: ENV_KEY.secretKey,
    TENCENTCLOUD_REGION: 'ap-guangzhou',
  };
  const r = await cli(['whoami', '--profile', 'ops', '--json'], vars);
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.equal(j.source, `profile [ops] of ${file}`);
  assert.equal(j.secretId, 'AKID...0002');
  assert.equal(j.temporary, false);
  const d = await cli(['describe', '--profile', 'ops', '--json', '--endpoint', api.url], vars);
  assert.equal(d.code, 0, d.stderr);
  assert.equal(api.log.at(-1).secretId, OPS_KEY.secretId);
  const missing = await cli(['describe', '--profile', 'dev', '--endpoint', api.url], vars);
  assert.equal(missing.code, 1);
  assert.match(
    missing.stderr,
    /^Error ClientError\.Credentials: defaultCredentials: the profile file step failed: the profile file .* has no \[dev\] section \(it has \[default\], \[ops\]\)\./,
  );
});

test('the [default] profile without any variable; a CVM role when nothing else is there', async () => {
  const p = await cli(['whoami', '--json'], { TENCENTCLOUD_CREDENTIALS_FILE: file });
  assert.equal(JSON.parse(p.stdout).source, `profile [default] of ${file}`);
  const c = await cli(['whoami'], { TENCENTCLOUD_METADATA_DISABLED: '', TENCENTCLOUD_METADATA_ENDPOINT: api.url });
  assert.equal(c.code, 0, c.stderr);
  assert.match(
    c.stdout,
    /\nType: +CAMRole\nSource: +CVM role "local-instance-role" \(http:\/\/127\.0\.0\.1:\d+\/\)\nSecretId: +AKID\.\.\.\w{4} \(temporary, expires \d{4}-/,
  );
  const s = await cli(['sign', '--action', 'DescribeInstances'], { TENCENTCLOUD_METADATA_DISABLED: '', TENCENTCLOUD_METADATA_ENDPOINT: api.url });
  assert.equal(s.code, 0, s.stderr);
  assert.match(s.stdout, /^X-TC-Token: \w+$/m, 'sign uses the role, token and all');
});

test('whoami takes no arguments; --help lists it and --profile', async () => {
  const r = await cli(['whoami', 'extra']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /"whoami" takes no arguments/);
  const h = await cli(['--help']);
  assert.match(h.stdout, /\n {2}whoami \[--sts-endpoint URL\]\n/);
  assert.match(h.stdout, /\n {2}--profile NAME {10}/);
});
