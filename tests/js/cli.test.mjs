// The CLI (pkg/bin/tc3-lighthouse.cjs): every command, exit codes, --json, progress on stderr, Ctrl-C,
// run as a child process against the local Lighthouse API. One server for the file, back to its seed
// before each test. Children are spawned asynchronously: the server runs in this process.
import test from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startLighthouseApi, DEMO_CREDENTIALS } from '../../local-api/server.mjs';
import { DEMO_ENV, FAST, OPERATING, RUNNING, UNKNOWN, UUID, VECTOR, WRONG_SECRET_KEY, cli, oneJson, root } from './cli-helpers.mjs';

const VERSION = JSON.parse(readFileSync(path.join(root, 'pkg', 'package.json'), 'utf8')).version;

const OPERATING_RID = '9e4c2a61-5b3d-4f8e-a172-6c0d8e9b3a45';
const FAILED = 'lhins-f4i1ed0x'; // last reset FAILED

let api;
let E; // ['--endpoint', api.url]
test.before(async () => {
  api = await startLighthouseApi({ port: 0, operatingPolls: 2 });
  E = ['--endpoint', api.url];
});
test.after(() => api.close());
test.beforeEach(() => api.reset());

function headersOf(stdout) {
  const h = {};
  for (const line of stdout.trimEnd().split('\n')) {
    const m = /^([A-Za-z0-9-]+): (.*)$/.exec(line);
    assert.ok(m, `not a "Name: value" line: ${line}`);
    h[m[1]] = m[2];
  }
  return h;
}

const resetsInLog = () => api.log.filter((e) => e.action === 'ResetInstance' && !e.errorCode);

// ---------------------------------------------------------------------------------------------------
// Help, version, usage errors

test('--help, -h and help print the usage on stdout and exit 0', async () => {
  for (const args of [['--help'], ['-h'], ['help'], ['reset', '--help'], ['describe', '-h']]) {
    const r = await cli(args, { env: {} });
    assert.equal(r.code, 0, args.join(' '));
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /^Usage: tc3-lighthouse/);
    for (const word of [
      'reset',
      'wait',
      'describe',
      'blueprints',
      'sign',
      '--json',
      '--endpoint',
      '--region',
      '--language',
      '--timeout',
      '--blueprint',
      '--request-id',
      '--max-wait',
      'TENCENTCLOUD_SECRET_ID',
    ]) {
      assert.ok(r.stdout.includes(word), `usage mentions ${word}`);
    }
  }
});

test('--version prints the package version', async () => {
  const r = await cli(['--version'], { env: {} });
  assert.equal(r.code, 0);
  assert.equal(r.stdout, `${VERSION}\n`);
});

test('usage errors exit 2 with a short message and a hint, before any request', async () => {
  const cases = [
    [[], /Usage:/],
    [['frob'], /Unknown command "frob"/],
    [['--bogus'], /--bogus/],
    [['describe', '--bogus'], /--bogus/],
    [['reset'], /needs an InstanceId/],
    [['reset', RUNNING, RUNNING], /lhins-ruy9d2tw twice/], // several IDs are a fleet: each once
    [['wait'], /needs an InstanceId/],
    [['describe', '--wait'], /--wait does not apply to "describe"/],
    [['describe', '--endpoint'], /--endpoint/],
    [['reset', RUNNING, '--request-id', 'x'], /--request-id does not apply/],
    [['reset', RUNNING, '--wait', '--max-wait', 'abc'], /--max-wait must be a positive number/],
    [['reset', RUNNING, '--wait', '--min-delay', '-1'], /--min-delay/],
    [['reset', RUNNING, '--wait', '--min-delay', '2', '--max-delay', '1'], /--min-delay must not exceed --max-delay/],
    [['reset', RUNNING, '--min-delay', '1'], /need --wait/],
    [['wait', RUNNING, '--max-delay', ''], /--max-delay/],
    [['describe', '--timeout', '0'], /--timeout must be a positive number/],
    [['describe', '--timeout', '1s'], /--timeout/],
    [['describe', '--language', 'fr-FR'], /--language must be zh-CN or en-US/],
    [['describe', '--endpoint', 'not a url'], /endpoint/],
    [['sign'], /needs --action/],
    [['sign', '--action', 'DescribeInstances', '--timestamp', '1.5'], /--timestamp must be a whole number/],
    [['sign', '--action', 'DescribeInstances', '--timestamp', 'now'], /--timestamp/],
    [['sign', '--action', 'DescribeInstances', '--payload', '{nope'], /--payload is not valid JSON/],
    [['sign', '--action', 'DescribeInstances', '--payload', '@/nonexistent/payload.json'], /Cannot read the payload file/],
    [['sign', 'extra', '--action', 'DescribeInstances'], /takes no arguments/],
  ];
  const results = await Promise.all(cases.map(([args]) => cli([...args, ...(args.length && !args.includes('--endpoint') ? E : [])])));
  results.forEach((r, i) => {
    const [args, message] = cases[i];
    assert.equal(r.code, 2, `exit 2 for: ${args.join(' ')}\n${r.stderr}`);
    assert.match(r.stderr, message, args.join(' '));
    assert.match(r.stderr, /--help/, 'a hint to --help');
    assert.equal(r.stdout, '', 'nothing on stdout');
    assert.ok(r.stderr.split('\n').length <= 4 || args.length === 0, `short: ${r.stderr}`);
  });
  assert.equal(api.log.length, 0, 'no request was sent');
});

// ---------------------------------------------------------------------------------------------------
// describe, blueprints

test('describe prints a table of every instance of the region', async () => {
  const r = await cli(['describe', ...E]);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  assert.match(lines[0], /^INSTANCE ID\s+NAME\s+STATE\s+OS\s+LATEST OPERATION\s+ZONE\s+PUBLIC IP$/);
  assert.equal(lines.length, 1 + 3, 'the three of ap-guangzhou ($TENCENTCLOUD_REGION)');
  const other = async (region) => (await cli(['describe', '--region', region, ...E])).stdout.trimEnd().split('\n');
  const row = lines.find((l) => l.startsWith(RUNNING));
  for (const cell of ['web-prod-gz-01', 'RUNNING', 'CentOS 7.9 64bit', 'ap-guangzhou-3', '43.138.52.117']) {
    assert.ok(row.includes(cell), `row has ${cell}: ${row}`);
  }
  assert.match(
    (await other('ap-singapore')).find((l) => l.startsWith(OPERATING)),
    /ResetInstance OPERATING/,
  );
  assert.match(
    (await other('ap-nanjing')).find((l) => l.startsWith(FAILED)),
    /ResetInstance FAILED/,
  );
  // Columns line up: every row's zone starts at the header's ZONE column.
  const zoneAt = lines[0].indexOf('ZONE');
  assert.match(row.slice(zoneAt), /^ap-guangzhou-3 /);
});

test('describe --json prints the Response (InstanceSet, TotalCount, RequestId)', async () => {
  const r = await cli(['describe', '--json', ...E]);
  assert.equal(r.code, 0, r.stderr);
  const doc = oneJson(r.stdout);
  assert.equal(doc.TotalCount, 3);
  assert.equal(doc.InstanceSet.length, 3);
  assert.match(doc.RequestId, UUID);
  assert.ok(doc.InstanceSet.some((i) => i.InstanceId === RUNNING && i.InstanceName === 'web-prod-gz-01'));
});

test('describe with IDs asks for those only; an unknown one is named on stderr', async () => {
  const r = await cli(['describe', RUNNING, 'lhins-abcd1234', UNKNOWN, ...E]);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  assert.equal(lines.length, 3);
  assert.match(r.stderr, new RegExp(`Not found: ${UNKNOWN}`));
  assert.deepEqual(api.log.at(-1).params.InstanceIds, [RUNNING, 'lhins-abcd1234', UNKNOWN]);

  const j = await cli(['describe', RUNNING, '--json', ...E]);
  const doc = oneJson(j.stdout);
  assert.deepEqual(
    doc.InstanceSet.map((i) => i.InstanceId),
    [RUNNING],
  );
});

test('describe pages through more than 100 instances', async () => {
  api.reset({ fleet: 150 });
  const r = await cli(['describe', '--json', ...E]);
  assert.equal(r.code, 0, r.stderr);
  const doc = oneJson(r.stdout);
  assert.equal(doc.TotalCount, 150);
  assert.equal(doc.InstanceSet.length, 150);
  assert.equal(new Set(doc.InstanceSet.map((i) => i.InstanceId)).size, 150);
  assert.equal(api.log.filter((e) => e.action === 'DescribeInstances').length, 2);
});

test('blueprints prints a table; --json the Response with BlueprintSet', async () => {
  const r = await cli(['blueprints', ...E]);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  assert.match(lines[0], /^BLUEPRINT ID\s+TITLE\s+VERSION\s+OS\s+TYPE\s+PLATFORM\s+STATE$/);
  assert.equal(lines.length, 1 + 7);
  assert.match(
    lines.find((l) => l.startsWith('lhbp-5e8807lo')),
    /Ubuntu\s+22\.04 LTS.*PURE_OS\s+LINUX_UNIX\s+ONLINE/,
  );
  assert.match(
    lines.find((l) => l.startsWith('lhbp-cent76ol')),
    /OFFLINE/,
  );

  const j = await cli(['blueprints', '--json', ...E]);
  assert.equal(j.code, 0, j.stderr);
  const doc = oneJson(j.stdout);
  assert.equal(doc.BlueprintSet.length, 7);
  assert.equal(doc.TotalCount, 7);
  assert.match(doc.RequestId, UUID);

  const one = await cli(['blueprints', 'lhbp-dockerce', '--json', ...E]);
  assert.deepEqual(
    oneJson(one.stdout).BlueprintSet.map((b) => b.BlueprintId),
    ['lhbp-dockerce'],
  );
});

// ---------------------------------------------------------------------------------------------------
// reset, wait

test('reset prints the RequestId of a reset the server started', async () => {
  const r = await cli(['reset', RUNNING, '--blueprint', 'lhbp-5e8807lo', ...E]);
  assert.equal(r.code, 0, r.stderr);
  const rid = r.stdout.trim();
  assert.match(rid, UUID);
  assert.equal(r.stdout, `${rid}\n`, 'only the RequestId on stdout');
  const resets = resetsInLog();
  assert.equal(resets.length, 1);
  assert.equal(resets[0].requestId, rid);
  assert.deepEqual(resets[0].params, { InstanceId: RUNNING, BlueprintId: 'lhbp-5e8807lo' });
  assert.equal(api.getInstance(RUNNING).LatestOperationRequestId, rid);

  const j = await cli(['reset', 'lhins-abcd1234', '--json', ...E]);
  assert.equal(j.code, 0, j.stderr);
  const doc = oneJson(j.stdout);
  assert.deepEqual(Object.keys(doc), ['RequestId']);
  assert.equal(doc.RequestId, resetsInLog()[1].requestId);
});

test('reset --wait follows the reset to SUCCESS with progress on stderr', async () => {
  const r = await cli(['reset', RUNNING, '--wait', ...FAST, ...E]);
  assert.equal(r.code, 0, r.stderr);
  const [rid, final, ...rest] = r.stdout.trimEnd().split('\n');
  assert.match(rid, UUID);
  assert.deepEqual(rest, []);
  assert.match(final, new RegExp(`^${RUNNING}: reset SUCCESS in \\d+\\.\\ds, instance RUNNING`));
  // Not a TTY: one line per change, each with the state and the elapsed time.
  const progress = r.stderr.trimEnd().split('\n');
  assert.ok(progress.length >= 2, r.stderr);
  for (const line of progress) assert.match(line, new RegExp(`^${RUNNING}: .+ \\(\\d+\\.\\ds\\)$`));
  assert.match(progress[0], /ResetInstance OPERATING, instance RUNNING/);
  assert.match(progress.at(-1), /ResetInstance SUCCESS, instance RUNNING/);
  assert.equal(new Set(progress.map((l) => l.replace(/ \(.*\)$/, ''))).size, progress.length, 'one line per change');
  assert.ok(!r.stderr.includes('\r'), 'no carriage returns when stderr is not a TTY');
  assert.equal(resetsInLog().length, 1);
  assert.equal(api.getInstance(RUNNING).LatestOperationState, 'SUCCESS');
  assert.equal(api.getInstance(RUNNING).LatestOperationRequestId, rid);
});

test('reset --wait --json prints one document with the RequestId and the Instance', async () => {
  const r = await cli(['reset', RUNNING, '--wait', '--json', ...FAST, ...E]);
  assert.equal(r.code, 0, r.stderr);
  const doc = oneJson(r.stdout);
  assert.match(doc.RequestId, UUID);
  assert.equal(doc.Instance.InstanceId, RUNNING);
  assert.equal(doc.Instance.LatestOperation, 'ResetInstance');
  assert.equal(doc.Instance.LatestOperationState, 'SUCCESS');
  assert.equal(doc.Instance.LatestOperationRequestId, doc.RequestId);
  assert.match(r.stderr, /OPERATING/, 'progress still on stderr');
});

test('wait --request-id waits for that reset; --json prints the Instance', async () => {
  const r = await cli(['wait', OPERATING, '--request-id', OPERATING_RID, '--region', 'ap-singapore', ...FAST, ...E]);
  assert.equal(r.code, 0, r.stderr);
  // The reset began before the command: the time given is the wait's, and says so.
  assert.match(r.stdout, new RegExp(`^${OPERATING}: reset SUCCESS after waiting \\d+\\.\\ds, instance RUNNING, Debian 12\\.4 64bit \\(lhbp-deb12x64\\)\n$`));
  assert.match(r.stderr, /OPERATING/);
  assert.equal(resetsInLog().length, 0, 'wait sends no reset');

  const rid = (await cli(['reset', RUNNING, ...E])).stdout.trim();
  const j = await cli(['wait', RUNNING, '--request-id', rid, '--json', ...FAST, ...E]);
  assert.equal(j.code, 0, j.stderr);
  const inst = oneJson(j.stdout);
  assert.equal(inst.InstanceId, RUNNING);
  assert.equal(inst.LatestOperationState, 'SUCCESS');
  assert.equal(inst.LatestOperationRequestId, rid);
});

test('wait on a reset that finished before the command says so, with its RequestId and start time', async () => {
  // Demo seed: lhins-abcd1234's latest operation is a ResetInstance in SUCCESS.
  const line =
    'lhins-abcd1234: the latest reset had already finished: SUCCESS (RequestId c6f2f8d2-7a0a-4b7e-9a51-3d1c2b7e0f11, ' +
    'started 2026-10-30T09:12:44Z), instance RUNNING, Ubuntu Server 22.04 LTS 64bit (lhbp-5e8807lo)\n';
  for (const extra of [[], ['--request-id', 'c6f2f8d2-7a0a-4b7e-9a51-3d1c2b7e0f11']]) {
    const r = await cli(['wait', 'lhins-abcd1234', ...extra, ...FAST, ...E]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, line);
    assert.doesNotMatch(r.stdout, / in \d/, 'no duration that was not measured');
  }
  // Without a start time or RequestId, only what is known.
  api.setInstance('lhins-abcd1234', { LatestOperationRequestId: null, LatestOperationStartedTime: null });
  const bare = await cli(['wait', 'lhins-abcd1234', ...FAST, ...E]);
  assert.equal(bare.code, 0, bare.stderr);
  assert.match(bare.stdout, /^lhins-abcd1234: the latest reset had already finished: SUCCESS, instance RUNNING, /);
  assert.equal(api.log.filter((e) => e.action === 'DescribeInstances').length, 3, 'one poll each');
});

test('wait: a FAILED reset and a wait that runs out exit 1', async () => {
  const failed = await cli(['wait', FAILED, '--region', 'ap-nanjing', ...FAST, ...E]);
  assert.equal(failed.code, 1);
  assert.match(failed.stderr, /^Error WaiterError\.OperationFailed: .+/m);

  api.configure({ operatingPolls: 1000 });
  const rid = (await cli(['reset', RUNNING, ...E])).stdout.trim();
  const late = await cli(['wait', RUNNING, '--request-id', rid, '--max-wait', '0.3', ...FAST, '--json', ...E]);
  assert.equal(late.code, 1);
  assert.match(late.stderr, /^Error WaiterError\.Timeout: /m);
  const { error } = oneJson(late.stdout);
  assert.deepEqual({ code: error.code, kind: error.kind, retryable: error.retryable }, { code: 'WaiterError.Timeout', kind: 'waiter', retryable: false });
});

test('Ctrl-C during reset --wait aborts the wait and exits 130', async () => {
  api.configure({ operatingPolls: 1000 });
  let sent = false;
  const r = await cli(['reset', RUNNING, '--wait', ...FAST, ...E], {
    onStderr(text, child) {
      if (!sent && /OPERATING/.test(text)) {
        sent = true;
        child.kill('SIGINT');
      }
    },
  });
  assert.ok(sent, 'progress was shown');
  assert.equal(r.code, 130, r.stderr);
  const rid = r.stdout.trim();
  assert.match(rid, UUID);
  assert.match(r.stderr, new RegExp(`Resume with: tc3-lighthouse wait ${RUNNING} --request-id ${rid}`));
  assert.equal(resetsInLog().length, 1);
});

// ---------------------------------------------------------------------------------------------------
// Errors

test('a service error exits 1 with the code, the message and the RequestId on stderr', async () => {
  // English asked for (the service's default is Chinese).
  const r = await cli(['reset', UNKNOWN, '--language', 'en-US', ...E]);
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '');
  const logged = api.log.at(-1);
  assert.equal(logged.errorCode, 'ResourceNotFound.InstanceIdNotFound');
  assert.equal(r.stderr, `Error ResourceNotFound.InstanceIdNotFound: The instance ID \`${UNKNOWN}\` does not exist. (RequestId: ${logged.requestId})\n`);

  const j = await cli(['reset', UNKNOWN, '--json', '--language', 'en-US', ...E]);
  assert.equal(j.code, 1);
  assert.match(j.stderr, /^Error ResourceNotFound\.InstanceIdNotFound: .+ \(RequestId: [0-9a-f-]{36}\)$/m);
  const doc = oneJson(j.stdout);
  assert.deepEqual(Object.keys(doc), ['error']);
  assert.deepEqual(doc.error, {
    code: 'ResourceNotFound.InstanceIdNotFound',
    message: `The instance ID \`${UNKNOWN}\` does not exist.`,
    kind: 'notFound',
    retryable: false,
    requestId: api.log.at(-1).requestId,
    httpStatus: 200,
    action: 'ResetInstance',
  });
});

test('--json errors carry only what is known: no nulls (a network error has no RequestId or HTTP status)', async () => {
  const closed = await new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
  const endpoint = `http://127.0.0.1:${closed}`;
  const r = await cli(['describe', '--json', '--endpoint', endpoint, '--timeout', '2']);
  assert.equal(r.code, 1);
  const { error } = oneJson(r.stdout);
  assert.deepEqual(Object.keys(error), ['code', 'message', 'kind', 'retryable', 'action']);
  assert.equal(error.code, 'ClientError.Network');
  assert.equal(error.kind, 'network');
  assert.equal(error.retryable, true);
  assert.equal(error.action, 'DescribeInstances');
  assert.equal(error.message, `No answer from ${endpoint} (network error): fetch failed: connect ECONNREFUSED 127.0.0.1:${closed}.`);
  // Refused before any request: no RequestId or HTTP status either.
  const bad = await cli(['reset', 'lhins-BAD', '--json', ...E]);
  const e2 = oneJson(bad.stdout).error;
  assert.deepEqual(Object.keys(e2), ['code', 'message', 'kind', 'retryable', 'action']);
  assert.deepEqual([e2.code, e2.kind, e2.retryable], ['InvalidParameterValue.InstanceIdMalformed', 'invalidInput', false]);
  for (const doc of [error, e2])
    assert.ok(
      Object.values(doc).every((v) => v !== null),
      JSON.stringify(doc),
    );
});

test('a malformed ID is refused before any request (exit 1, the service code)', async () => {
  for (const args of [
    ['reset', 'lhins-BAD'],
    ['wait', 'i-12345678'],
    ['describe', RUNNING, 'lhins-1'],
    ['reset', RUNNING, '--blueprint', 'ubuntu'],
  ]) {
    const r = await cli([...args, '--json', ...E]);
    assert.equal(r.code, 1, args.join(' '));
    const code = args.includes('--blueprint') ? 'InvalidParameterValue.BlueprintIdMalformed' : 'InvalidParameterValue.InstanceIdMalformed';
    assert.match(r.stderr, new RegExp(`^Error ${code.replace(/\./g, '\\.')}: `, 'm'));
    assert.equal(oneJson(r.stdout).error.code, code);
  }
  assert.equal(api.log.length, 0);
});

test('describe, wait and reset --wait without a region: a usage error (exit 2) before anything is sent', async () => {
  for (const [args, what] of [
    [['describe'], '"describe"'],
    [['wait', RUNNING], '"wait"'],
    [['reset', RUNNING, '--wait'], '"reset --wait"'],
  ]) {
    const r = await cli([...args, ...E], { env: { ...DEMO_ENV, TENCENTCLOUD_REGION: '' } });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, new RegExp(`${what} needs a region: pass --region REGION or set TENCENTCLOUD_REGION`));
  }
  assert.equal(api.log.length, 0);
});

test('missing credentials exit 1 with ClientError.Credentials, telling a CLI user what the chain tried', async () => {
  const rest =
    'profile file: /nonexistent/tc3-lighthouse-tests/credentials: not found; TKE OIDC: TKE_ROLE_ARN, TKE_PROVIDER_ID, TKE_WEB_IDENTITY_TOKEN_FILE not set; ' +
    'CVM role: switched off by TENCENTCLOUD_METADATA_DISABLED. Set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY, write ~/.tencentcloud/credentials, ' +
    'or pick a profile with --profile NAME.';
  for (const args of [['describe'], ['reset', RUNNING], ['wait', RUNNING], ['blueprints'], ['sign', '--action', 'DescribeInstances'], ['whoami']]) {
    const r = await cli([...args, ...E], { env: { TENCENTCLOUD_SECRET_ID: DEMO_CREDENTIALS.secretId, TENCENTCLOUD_REGION: 'ap-guangzhou' } });
    assert.equal(r.code, 1, args.join(' '));
    assert.equal(
      r.stderr,
      `Error ClientError.Credentials: No credentials found. Tried: environment: TENCENTCLOUD_SECRET_KEY is not set; ${rest}\n`,
      args.join(' '),
    );
    assert.doesNotMatch(r.stderr, /config/, 'nothing about a config object the CLI user cannot pass');
    assert.equal(r.stdout, '');
  }
  const none = await cli(['describe', '--json', ...E], { env: { TENCENTCLOUD_REGION: 'ap-guangzhou' } });
  assert.equal(none.code, 1);
  assert.deepEqual(oneJson(none.stdout).error, {
    code: 'ClientError.Credentials',
    kind: 'auth',
    retryable: false,
    action: 'DescribeInstances',
    message: `No credentials found. Tried: environment: TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY are not set; ${rest}`,
  });
  assert.equal(api.log.length, 0);
});

test("a wrong SecretKey gives the service's auth error and is never printed", async () => {
  const env = { TENCENTCLOUD_SECRET_ID: DEMO_CREDENTIALS.secretId, TENCENTCLOUD_SECRET_KEY: WRONG_SECRET_KEY, TENCENTCLOUD_REGION: 'ap-guangzhou' };
  const r = await cli(['describe', '--json', ...E], { env });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^Error AuthFailure\.SignatureFailure: .+ \(RequestId: /m);
  assert.equal(oneJson(r.stdout).error.kind, 'auth');
});

test('--timeout bounds each attempt', async () => {
  api.injectFault({ action: 'DescribeInstances', kind: 'slow', delayMs: 3000, times: Infinity });
  const started = Date.now();
  const r = await cli(['describe', '--timeout', '0.2', ...E]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^Error ClientError\.Timeout: /m);
  assert.ok(Date.now() - started < 2800, 'gave up before the server answered');
});

// ---------------------------------------------------------------------------------------------------
// sign

const VECTOR_ENV = { TENCENTCLOUD_SECRET_ID: VECTOR.inputs.secret_id, TENCENTCLOUD_SECRET_KEY: VECTOR.inputs.secret_key };

test('sign prints the headers of the empty_object_payload vector', async () => {
  const r = await cli(['sign', '--action', 'DescribeInstances', '--timestamp', '1700000000', '--region', 'ap-guangzhou'], { env: VECTOR_ENV });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  const h = headersOf(r.stdout);
  assert.equal(h.Authorization, VECTOR.outputs.authorization);
  assert.equal(h['Content-Type'], 'application/json');
  assert.equal(h.Host, 'lighthouse.tencentcloudapi.com');
  assert.equal(h['X-TC-Action'], 'DescribeInstances');
  assert.equal(h['X-TC-Version'], '2020-03-24');
  assert.equal(h['X-TC-Timestamp'], '1700000000');
  assert.equal(h['X-TC-Region'], 'ap-guangzhou');
  assert.equal(h['X-TC-Token'], undefined);

  // The same from TENCENTCLOUD_REGION, with --json: the whole signature, every stage.
  const j = await cli(['sign', '--action', 'DescribeInstances', '--timestamp', '1700000000', '--payload', '{}', '--json'], {
    env: { ...VECTOR_ENV, TENCENTCLOUD_REGION: 'ap-guangzhou' },
  });
  assert.equal(j.code, 0, j.stderr);
  const doc = oneJson(j.stdout);
  assert.equal(doc.authorization, VECTOR.outputs.authorization);
  assert.equal(doc.signature, VECTOR.outputs.signature);
  assert.equal(doc.canonicalRequest, VECTOR.outputs.canonical_request);
  assert.equal(doc.stringToSign, VECTOR.outputs.string_to_sign);
  assert.equal(doc.credentialScope, VECTOR.outputs.credential_scope);
  assert.equal(doc.timestamp, 1700000000);
  assert.deepEqual(doc.headers, h);
});

test('sign: session token, language and host; the token header is printed, the key never', async () => {
  const r = await cli(
    [
      'sign',
      '--action',
      'ResetInstance',
      '--payload',
      '{"InstanceId":"lhins-ruy9d2tw"}',
      '--host',
      'lighthouse.ap-guangzhou.tencentcloudapi.com',
      '--language',
      'zh-CN',
    ],
    { env: { ...VECTOR_ENV, TENCENTCLOUD_SESSION_TOKEN: 'sts-token-abc' } },
  );
  assert.equal(r.code, 0, r.stderr);
  const h = headersOf(r.stdout);
  assert.equal(h['X-TC-Token'], 'sts-token-abc');
  assert.equal(h['X-TC-Language'], 'zh-CN');
  assert.equal(h.Host, 'lighthouse.ap-guangzhou.tencentcloudapi.com');
  assert.equal(h['X-TC-Action'], 'ResetInstance');
  assert.ok(Math.abs(Number(h['X-TC-Timestamp']) - Date.now() / 1000) < 60, 'timestamp defaults to now');
});

test('sign --endpoint --payload @file: the printed headers are accepted by the API', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tc3-cli-'));
  try {
    const body = JSON.stringify({ InstanceIds: [RUNNING] });
    const file = path.join(dir, 'payload.json');
    writeFileSync(file, body);
    for (const payload of [`@${file}`, '@-']) {
      const r = await cli(['sign', '--action', 'DescribeInstances', '--payload', payload, ...E], { input: body });
      assert.equal(r.code, 0, r.stderr);
      const h = headersOf(r.stdout);
      assert.equal(h.Host, new URL(api.url).host, 'Host from --endpoint, with the port');
      const res = await fetch(api.url, { method: 'POST', headers: h, body });
      const json = await res.json();
      assert.equal(json.Response.Error, undefined, JSON.stringify(json));
      assert.deepEqual(
        json.Response.InstanceSet.map((i) => i.InstanceId),
        [RUNNING],
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
