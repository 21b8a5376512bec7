// The CLI's reset beyond one instance: fleets (plain progress lines, the live display in a pty, results,
// exit codes, Ctrl-C), --cli-input-json and --journal, against the local Lighthouse API in this process.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startLighthouseApi } from '../../local-api/server.mjs';
import { FAST, IDLE, OPERATING, PASSWORD, RUNNING, UNKNOWN, UUID, cli, oneJson } from './cli-helpers.mjs';

const DOCKER = 'lhins-dk8r4c2n'; // demo seed: on the Docker CE blueprint, in ap-hongkong

let api;
let E;
test.before(async () => {
  api = await startLighthouseApi({ port: 0, operatingPolls: 2 });
  E = ['--endpoint', api.url];
});
test.after(() => api.close());
test.beforeEach(() => api.reset());

const resetsInLog = () => api.log.filter((e) => e.action === 'ResetInstance' && !e.errorCode);
let dir;
test.before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'tc3-cli-reset-'));
});
test.after(() => rmSync(dir, { recursive: true, force: true }));

// ---------------------------------------------------------------------------------------------------
// Fleets

test('reset ID ID: a fleet; one result row per instance with its RequestId', async () => {
  const r = await cli(['reset', RUNNING, IDLE, ...E]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '', 'no progress without --wait');
  const lines = r.stdout.trimEnd().split('\n');
  assert.match(lines[0], /^INSTANCE ID\s+RESULT\s+REQUEST ID\s+DETAIL$/);
  assert.equal(lines.length, 3);
  const resets = resetsInLog();
  assert.deepEqual(resets.map((e) => e.params.InstanceId).sort(), [IDLE, RUNNING].sort());
  for (const e of resets)
    assert.match(
      lines.find((l) => l.startsWith(e.params.InstanceId)),
      new RegExp(`\\sACCEPTED\\s+${e.requestId}\\s+-$`),
    );

  api.reset(); // both are mid-reset now
  const t = await cli(['reset', RUNNING, IDLE, '--output', 'text', ...E]);
  assert.equal(t.code, 0, t.stderr);
  const rows = t.stdout
    .trimEnd()
    .split('\n')
    .map((l) => l.split('\t'));
  assert.deepEqual(
    rows.map((c) => [c[0], c[1]]),
    [
      [RUNNING, 'ACCEPTED'],
      [IDLE, 'ACCEPTED'],
    ],
    'input order, no header',
  );
  for (const c of rows) assert.match(c[2], UUID);
});

test('reset --wait on a fleet: plain lines on stderr (one per change, no escape codes), results on stdout', async () => {
  const r = await cli(['reset', RUNNING, IDLE, '--wait', ...FAST, ...E]);
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /[\r\x1b]/, 'no carriage returns or escape codes when stderr is not a TTY');
  const progress = r.stderr.trimEnd().split('\n');
  for (const line of progress) assert.match(line, /^lhins-[a-z0-9]{8}: .+ \(\d+\.\ds\)$/);
  for (const id of [RUNNING, IDLE]) {
    const mine = progress.filter((l) => l.startsWith(`${id}:`));
    assert.match(mine[0], /ResetInstance OPERATING, instance RUNNING/);
    assert.match(mine.at(-1), /ResetInstance SUCCESS, instance RUNNING/);
    assert.equal(new Set(mine.map((l) => l.replace(/ \(.*\)$/, ''))).size, mine.length, `one line per change: ${mine}`);
  }
  const lines = r.stdout.trimEnd().split('\n');
  assert.match(
    lines.find((l) => l.startsWith(RUNNING)),
    /\sSUCCESS\s+[0-9a-f-]{36}\s+instance RUNNING, CentOS 7\.9 64bit$/,
  );
  assert.equal(api.getInstance(IDLE).LatestOperationState, 'SUCCESS');
  assert.equal(resetsInLog().length, 2);
});

const hasScript = spawnSync('script', ['--version']).status === 0;
test('reset --wait on a fleet in a terminal: one live line per instance, redrawn in place', {
  skip: !hasScript && '`script` (util-linux) is not installed: no pty',
}, async () => {
  const r = await cli(['reset', RUNNING, IDLE, '--wait', ...FAST, ...E], { tty: true });
  assert.equal(r.code, 0, r.stdout);
  const out = r.stdout;
  assert.match(out, /\x1b\[2A/, 'moves back up over the two lines to redraw them');
  assert.match(out, /\r\x1b\[K/, 'clears each line before writing it');
  // What the terminal shows at the end: the last frame, then the results.
  const frames = out.split('\x1b[2A');
  const last = frames
    .at(-1)
    .split(/\r?\n/)
    .map((l) => l.replace(/^\r?\x1b\[K/, '').replace(/\r$/, ''))
    .filter(Boolean);
  assert.match(last[0], new RegExp(`^${RUNNING}: ResetInstance SUCCESS, instance RUNNING \\(\\d+\\.\\ds\\)$`));
  assert.match(last[1], new RegExp(`^${IDLE}: ResetInstance SUCCESS, instance RUNNING \\(\\d+\\.\\ds\\)$`));
  assert.match(last[2], /^INSTANCE ID\s+RESULT/);
  assert.ok(frames.length >= 3, 'redrawn while the resets ran');
  assert.ok(
    frames.some((f) => f.includes(`${RUNNING}: ResetInstance OPERATING`)),
    'the running state was shown',
  );
});

test('a fleet taller than the terminal: one summary line redrawn in place, each line printed as it ends', {
  skip: !hasScript && '`script` (util-linux) is not installed: no pty',
}, async () => {
  const ids = [RUNNING, IDLE];
  const r = await cli(['reset', ...ids, '--wait', ...FAST, ...E], { tty: true, ttyRows: 3 });
  assert.equal(r.code, 0, r.stdout);
  assert.doesNotMatch(r.stdout, /\x1b\[\d+A/, 'never moves up: the lines would not fit');
  assert.match(r.stdout, /\r\x1b\[K0 of 2 resets ended \(\d+\.\ds\)/);
  assert.match(r.stdout, /\r\x1b\[K2 of 2 resets ended \(\d+\.\ds\)\r?\n/);
  for (const id of ids) assert.match(r.stdout, new RegExp(`\\r\\x1b\\[K${id}: ResetInstance SUCCESS, instance RUNNING \\(\\d+\\.\\ds\\)\\r?\\n`));
  assert.match(r.stdout, /^INSTANCE ID\s+RESULT/m);
});

test('a fleet with a failure: every other instance is reset, the failure is named, exit 1', async () => {
  const r = await cli(['reset', RUNNING, UNKNOWN, OPERATING, '--json', ...E]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^tc3-lighthouse: 2 of 3 resets failed\.$/m);
  const { Results } = oneJson(r.stdout);
  assert.deepEqual(
    Results.map((x) => [x.InstanceId, x.ok]),
    [
      [RUNNING, true],
      [UNKNOWN, false],
      [OPERATING, false],
    ],
  );
  assert.match(Results[0].RequestId, UUID);
  assert.equal(Results[1].error.code, 'ResourceNotFound.InstanceIdNotFound');
  assert.equal(Results[1].error.kind, 'notFound');
  assert.equal(Results[2].error.kind, 'busy');
  for (const x of Results)
    assert.ok(
      Object.values(x).every((v) => v !== null),
      `no nulls: ${JSON.stringify(x)}`,
    );

  const t = await cli(['reset', RUNNING, UNKNOWN, ...E]);
  assert.equal(t.code, 1);
  assert.match(t.stdout, new RegExp(`^${UNKNOWN}\\s+FAILED\\s+-\\s+ResourceNotFound\\.InstanceIdNotFound: `, 'm'));
});

test('Ctrl-C during a fleet --wait: the results so far, how to resume each wait, exit 130', async (t) => {
  api.configure({ operatingPolls: 1000 });
  // api.reset() keeps the configuration: the next tests' resets must finish again.
  t.after(() => api.configure({ operatingPolls: 2 }));
  let sent = false;
  const r = await cli(['reset', RUNNING, IDLE, '--wait', ...FAST, ...E], {
    onStderr(text, child) {
      if (!sent && (text.match(/OPERATING/g) ?? []).length >= 2) {
        sent = true;
        child.kill('SIGINT');
      }
    },
  });
  assert.ok(sent, 'progress was shown');
  assert.equal(r.code, 130, r.stderr);
  assert.match(r.stderr, /Interrupted: resets already sent continue on the server\./);
  for (const e of resetsInLog()) assert.match(r.stderr, new RegExp(`tc3-lighthouse wait ${e.params.InstanceId} --request-id ${e.requestId}`));
  assert.equal(resetsInLog().length, 2);
});

test('fleet usage errors: an ID twice, --concurrency, before any request', async () => {
  for (const [args, message] of [
    [['reset', RUNNING, IDLE, RUNNING], /"reset" got lhins-ruy9d2tw twice/],
    [['reset', RUNNING, IDLE, '--concurrency', '0'], /--concurrency must be a whole number from 1 to 1000, got "0"/],
    [['reset', RUNNING, '--concurrency', 'x'], /--concurrency/],
  ]) {
    const r = await cli([...args, ...E]);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.stderr, message);
  }
  assert.equal(api.log.length, 0);
});

// ---------------------------------------------------------------------------------------------------
// --cli-input-json

test('--cli-input-json @file: the whole request is sent; IDs and --blueprint override it', async () => {
  const request = {
    InstanceId: DOCKER,
    BlueprintId: 'lhbp-dockerce',
    Containers: [
      {
        ContainerImage: 'ccr.ccs.tencentyun.com/qcloud/nginx',
        ContainerName: 'web',
        Envs: [{ Key: 'MODE', Value: 'prod' }],
        PublishPorts: [{ HostPort: 80, ContainerPort: 8080, Ip: '0.0.0.0', Protocol: 'tcp' }],
        Volumes: [{ ContainerPath: '/data', HostPath: '/srv/data' }],
        Command: 'nginx -g "daemon off;"',
      },
    ],
    LoginConfiguration: { AutoGeneratePassword: 'NO', Password: PASSWORD },
  };
  const file = path.join(dir, 'reset.json');
  writeFileSync(file, JSON.stringify(request));
  const r = await cli(['reset', '--cli-input-json', `@${file}`, '--debug', '--region', 'ap-hongkong', ...E]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(resetsInLog()[0].params, request);

  // From stdin, with the ID on the command line and --blueprint over the file's.
  api.reset();
  const s = await cli(['reset', RUNNING, '--cli-input-json', '@-', '--blueprint', 'lhbp-5e8807lo', ...E], {
    input: JSON.stringify({ InstanceId: IDLE, BlueprintId: 'lhbp-deb12x64', LoginConfiguration: { AutoGeneratePassword: 'YES' } }),
  });
  assert.equal(s.code, 0, s.stderr);
  assert.deepEqual(resetsInLog()[0].params, { InstanceId: RUNNING, BlueprintId: 'lhbp-5e8807lo', LoginConfiguration: { AutoGeneratePassword: 'YES' } });

  // Inline, for a fleet: the same request for each instance.
  api.reset();
  const f = await cli(['reset', RUNNING, IDLE, '--cli-input-json', '{"LoginConfiguration":{"KeyIds":["lhkp-a1b2c3d4"]}}', ...E]);
  assert.equal(f.code, 0, f.stderr);
  for (const e of resetsInLog()) assert.deepEqual(e.params.LoginConfiguration, { KeyIds: ['lhkp-a1b2c3d4'] });
  assert.equal(resetsInLog().length, 2);
});

test('--cli-input-json is checked field by field before any request, naming the field (exit 2)', async () => {
  const cases = [
    ['{nope', /--cli-input-json is not valid JSON/],
    ['@/nonexistent/reset.json', /Cannot read the --cli-input-json file "\/nonexistent\/reset\.json"/],
    ['[]', /ResetInstanceRequest must be an object, got an array/],
    ['{"InstanceID":"lhins-ruy9d2tw"}', /ResetInstanceRequest has an unknown field "InstanceID" \(did you mean "InstanceId"\?\)/],
    ['{"BlueprintId":5}', /ResetInstanceRequest\.BlueprintId must be a string, got a number/],
    ['{"Containers":{}}', /ResetInstanceRequest\.Containers must be an array, got an object/],
    ['{"Containers":[{"ContainerName":"x"}]}', /ResetInstanceRequest\.Containers\[0\] needs ContainerImage/],
    [
      '{"Containers":[{"ContainerImage":"x","PublishPorts":[{"HostPort":"80","ContainerPort":80}]}]}',
      /Containers\[0\]\.PublishPorts\[0\]\.HostPort must be a whole number/,
    ],
    ['{"Containers":[{"ContainerImage":"x","Envs":[{"Key":"A"}]}]}', /Containers\[0\]\.Envs\[0\] needs Value/],
    ['{"LoginConfiguration":{"AutoGeneratePassword":"yes"}}', /LoginConfiguration\.AutoGeneratePassword must be "YES" or "NO", got "yes"/],
    ['{"LoginConfiguration":{"KeyIds":["a","b","c","d","e","f"]}}', /LoginConfiguration\.KeyIds has 6 items, at most 5/],
    [`{"LoginConfiguration":{"Password":"${PASSWORD}","KeyIds":["lhkp-abcd1234"]}}`, /takes Password or KeyIds, not both/],
    [`{"LoginConfiguration":{"Passwd":"${PASSWORD}"}}`, /LoginConfiguration has an unknown field "Passwd" \(did you mean "Password"\?\)/],
  ];
  const results = await Promise.all(cases.map(([json]) => cli(['reset', RUNNING, '--cli-input-json', json, ...E])));
  results.forEach((r, i) => {
    assert.equal(r.code, 2, `${cases[i][0]}: ${r.stderr}`);
    assert.match(r.stderr, cases[i][1]);
    assert.match(r.stderr, /^tc3-lighthouse: (--cli-input-json[: ]|Cannot read the --cli-input-json)/);
  });
  const none = await cli(['reset', '--cli-input-json', '{}', ...E]);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /needs an InstanceId \(or InstanceId in --cli-input-json\)/);
  assert.equal(api.log.length, 0, 'no request was sent');
});

test("a Password from --cli-input-json is never printed, even in the service's error", async () => {
  api.injectFault({ action: 'ResetInstance', kind: 'serviceError', code: 'InvalidParameterValue.InvalidPassword', message: `bad password ${PASSWORD}` });
  const r = await cli(['reset', RUNNING, '--cli-input-json', JSON.stringify({ LoginConfiguration: { Password: PASSWORD } }), '--debug', '--json', ...E]);
  // cli() asserts that PASSWORD appears on neither stream.
  assert.equal(r.code, 1, r.stderr);
});

// ---------------------------------------------------------------------------------------------------
// --journal

test('--journal: the resets are recorded, and a second run sends none', async () => {
  const journal = path.join(dir, 'fleet.jsonl');
  const first = await cli(['reset', RUNNING, IDLE, '--wait', '--journal', journal, ...FAST, ...E]);
  assert.equal(first.code, 0, first.stderr);
  assert.equal(resetsInLog().length, 2);
  assert.ok(readFileSync(journal, 'utf8').trim().split('\n').length >= 2, 'the journal has entries');
  const again = await cli(['reset', RUNNING, IDLE, '--wait', '--journal', journal, ...FAST, ...E]);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(resetsInLog().length, 2, 'no instance was reset twice');
});
