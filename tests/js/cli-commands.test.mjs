// The CLI's everyday commands and options: describe/blueprints --filter over every page, --output for each
// command, call, --debug, the language sent, help pages, shell completion and what each command loads.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import http from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startLighthouseApi } from '../../local-api/server.mjs';
import { BIN, DEMO_ENV, FAST, IDLE, RUNNING, SECRETS, UUID, cli, envWith, oneJson, root } from './cli-helpers.mjs';

const require = createRequire(import.meta.url);

let api;
let E;
let dir;
test.before(async () => {
  api = await startLighthouseApi({ port: 0, operatingPolls: 2 });
  E = ['--endpoint', api.url];
  dir = mkdtempSync(path.join(tmpdir(), 'tc3-cli-cmd-'));
});
test.after(() => {
  rmSync(dir, { recursive: true, force: true });
  return api.close();
});
test.beforeEach(() => api.reset());

const describes = () => api.log.filter((e) => e.action === 'DescribeInstances');

// ---------------------------------------------------------------------------------------------------
// describe / blueprints --filter

test('describe --filter: the API Filters, repeatable, NAME=V1,V2 for several values', async () => {
  const r = await cli(['describe', '--filter', 'instance-state=RUNNING,STOPPED', '--filter', 'zone=ap-guangzhou-3', '--json', ...E]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(describes()[0].params.Filters, [
    { Name: 'instance-state', Values: ['RUNNING', 'STOPPED'] },
    { Name: 'zone', Values: ['ap-guangzhou-3'] },
  ]);
  const doc = oneJson(r.stdout);
  assert.ok(doc.InstanceSet.length > 0);
  for (const i of doc.InstanceSet) {
    assert.equal(i.Zone, 'ap-guangzhou-3');
    assert.ok(['RUNNING', 'STOPPED'].includes(i.InstanceState));
  }
  // One name twice gathers its values.
  await cli(['describe', '--filter', 'zone=ap-guangzhou-3', '--filter', 'zone=ap-shanghai-2', ...E]);
  assert.deepEqual(describes()[1].params.Filters, [{ Name: 'zone', Values: ['ap-guangzhou-3', 'ap-shanghai-2'] }]);
});

test('describe --filter pages through every match (Offset/Limit until TotalCount)', async () => {
  api.reset({ fleet: 250 });
  const r = await cli(['describe', '--filter', 'instance-state=RUNNING', '--output', 'text', ...E]);
  assert.equal(r.code, 0, r.stderr);
  const rows = r.stdout.trimEnd().split('\n');
  const total = oneJson((await cli(['describe', '--json', ...E])).stdout).InstanceSet.filter((i) => i.InstanceState === 'RUNNING').length;
  assert.ok(total > 100, `more than one page: ${total}`);
  assert.equal(rows.length, total);
  assert.equal(new Set(rows.map((l) => l.split('\t')[0])).size, total, 'no instance twice');
  const pages = describes().filter((e) => e.params.Filters);
  assert.deepEqual(
    pages.map((e) => [e.params.Offset, e.params.Limit]),
    Array.from({ length: Math.ceil(total / 100) }, (_, k) => [k * 100, 100]),
  );
});

test('blueprints --filter; --filter usage errors exit 2 before any request', async () => {
  const r = await cli(['blueprints', '--filter', 'platform-type=WINDOWS', '--output', 'text', ...E]);
  assert.equal(r.code, 0, r.stderr);
  for (const line of r.stdout.trimEnd().split('\n')) assert.equal(line.split('\t')[5], 'WINDOWS', line);
  api.reset();
  for (const [args, message] of [
    [['describe', '--filter', 'zone'], /--filter must be NAME=VALUE\[,VALUE\.\.\.\] .*got "zone"/],
    [['describe', '--filter', '=RUNNING'], /--filter must be NAME=VALUE/],
    [['describe', '--filter', 'zone=a,,b'], /--filter must be NAME=VALUE/],
    [['describe', RUNNING, '--filter', 'zone=x'], /--filter cannot be combined with InstanceIds/],
    [['describe', '--output', 'yaml'], /--output must be json, table or text, got "yaml"/],
    [['describe', '--json', '--output', 'text'], /--json and --output text disagree/],
  ]) {
    const u = await cli([...args, ...E]);
    assert.equal(u.code, 2, args.join(' '));
    assert.match(u.stderr, message);
    assert.match(u.stderr, /--help/);
  }
  assert.equal(api.log.length, 0);
});

test("blueprints --for INSTANCE: the images it can be reset to, and the service's reason for the others", async () => {
  const r = await cli(['blueprints', '--for', RUNNING, '--language', 'en-US', ...E]);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  assert.match(lines[0], /^BLUEPRINT ID\s+TITLE\s+VERSION\s+OS\s+PLATFORM\s+RESETTABLE\s+WHY NOT$/);
  assert.match(r.stdout, /^lhbp-5e8807lo\s.*\syes\s+-$/m);
  assert.match(r.stdout, /^lhbp-win2022d\s.*\sno\s+.*Linux and Windows/m);
  const calls = api.log.filter((e) => e.action === 'DescribeResetInstanceBlueprints');
  assert.ok(calls.length >= 1 && calls.every((e) => e.params.InstanceId === RUNNING));
  const j = await cli(['blueprints', '--for', RUNNING, '--json', ...E]);
  const doc = JSON.parse(j.stdout);
  assert.equal(doc.ResetInstanceBlueprintSet.length, doc.TotalCount);
  assert.ok(doc.ResetInstanceBlueprintSet.every((x) => typeof x.IsResettable === 'boolean'));
  api.reset();
  const u = await cli(['blueprints', 'lhbp-5e8807lo', '--for', RUNNING, ...E]);
  assert.equal(u.code, 2);
  assert.match(u.stderr, /--for INSTANCE lists the images of one instance/);
  const bad = await cli(['blueprints', '--for', 'lhins-NOPE', ...E]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /InvalidParameterValue\.InstanceIdMalformed/);
  assert.equal(api.log.length, 0, 'nothing was sent');
});

// ---------------------------------------------------------------------------------------------------
// --output

test('--output text: tab-separated rows, no header, "-" for an empty value, for every command', async () => {
  const d = await cli(['describe', RUNNING, '-o', 'text', ...E]);
  assert.equal(d.stdout, `${RUNNING}\tweb-prod-gz-01\tRUNNING\tCentOS 7.9 64bit\t-\tap-guangzhou-3\t43.138.52.117\n`);
  const b = await cli(['blueprints', 'lhbp-5e8807lo', '--output', 'text', ...E]);
  assert.match(b.stdout, /^lhbp-5e8807lo\tUbuntu\t22\.04 LTS\t[^\t]+\tPURE_OS\tLINUX_UNIX\tONLINE\n$/);

  const reset = await cli(['reset', RUNNING, '--output', 'text', ...E]);
  const [id, rid, ...more] = reset.stdout.trimEnd().split('\t');
  assert.deepEqual([id, more], [RUNNING, []]);
  assert.match(rid, UUID);
  const w = await cli(['wait', RUNNING, '--request-id', rid, '--output', 'text', ...FAST, ...E]);
  assert.equal(w.code, 0, w.stderr);
  assert.match(w.stdout, new RegExp(`^${RUNNING}\\t${rid}\\tSUCCESS\\tRUNNING\\t\\d+\\.\\d\\n$`));
  api.reset();
  const rw = await cli(['reset', IDLE, '--wait', '--output', 'text', ...FAST, ...E]);
  assert.match(rw.stdout, new RegExp(`^${IDLE}\\t[0-9a-f-]{36}\\tSUCCESS\\tRUNNING\\t\\d+\\.\\d\\n$`));
  assert.match(rw.stderr, /^RequestId: /m);

  const s = await cli(['sign', '--action', 'DescribeInstances', '--timestamp', '1700000000', '--output', 'text']);
  assert.match(s.stdout, /^Authorization\tTC3-HMAC-SHA256 Credential=/m);
  assert.match(s.stdout, /^X-TC-Timestamp\t1700000000$/m);
});

test('--output json is --json; --output table is the default', async () => {
  const a = await cli(['describe', RUNNING, '--output', 'json', ...E]);
  const b = await cli(['describe', RUNNING, '--json', ...E]);
  assert.deepEqual(oneJson(a.stdout).InstanceSet, oneJson(b.stdout).InstanceSet);
  const t = await cli(['describe', RUNNING, '--output', 'table', ...E]);
  const d = await cli(['describe', RUNNING, ...E]);
  assert.equal(t.stdout, d.stdout);
  assert.match(t.stdout, /^INSTANCE ID\s+NAME/);
  // Errors as documents with --output json as with --json.
  const e = await cli(['describe', 'lhins-BAD', '--output', 'json', ...E]);
  assert.equal(e.code, 1);
  assert.equal(oneJson(e.stdout).error.code, 'InvalidParameterValue.InstanceIdMalformed');
});

// ---------------------------------------------------------------------------------------------------
// call

test('call ACTION: any action through the client, its Response as JSON by default', async () => {
  const r = await cli(['call', 'DescribeInstances', '--params', JSON.stringify({ InstanceIds: [RUNNING] }), ...E]);
  assert.equal(r.code, 0, r.stderr);
  const doc = oneJson(r.stdout);
  assert.deepEqual(
    doc.InstanceSet.map((i) => i.InstanceId),
    [RUNNING],
  );
  assert.match(doc.RequestId, UUID);
  assert.deepEqual(api.log.at(-1).params, { InstanceIds: [RUNNING] });

  const file = path.join(dir, 'params.json');
  writeFileSync(file, JSON.stringify({ Limit: 2 }));
  const t = await cli(['call', 'DescribeInstances', '--params', `@${file}`, '--output', 'table', ...E]);
  assert.equal(t.code, 0, t.stderr);
  const lines = t.stdout.trimEnd().split('\n');
  assert.match(lines[0], /^InstanceId\s+.*InstanceName/);
  assert.equal(lines.length, 3, 'the first list of objects, one row each');
  const x = await cli(['call', 'DescribeBlueprints', '--params', '@-', '-o', 'text', ...E], { input: '{"BlueprintIds":["lhbp-5e8807lo"]}' });
  assert.match(x.stdout, /^lhbp-5e8807lo\t/);
  // A Response without a list: its fields.
  const rs = await cli(['call', 'ResetInstance', '--params', JSON.stringify({ InstanceId: RUNNING }), '--output', 'table', ...E]);
  assert.match(rs.stdout, /^NAME\s+VALUE\nRequestId\s+[0-9a-f-]{36}\n$/);
});

test('call: errors of the service exit 1, bad usage exits 2', async () => {
  const r = await cli(['call', 'FrobInstances', ...E]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^Error InvalidAction: /m);
  for (const [args, message] of [
    [['call'], /"call" needs an ACTION/],
    [['call', 'describe-instances'], /"describe-instances" is not an action name/],
    [['call', 'DescribeInstances', 'x'], /takes one ACTION/],
    [['call', 'DescribeInstances', '--params', '[1]'], /--params must be a JSON object/],
    [['call', 'DescribeInstances', '--params', '{'], /--params is not valid JSON/],
    [['call', 'DescribeInstances', '--params', '@/nonexistent/p.json'], /Cannot read the --params file/],
  ]) {
    const u = await cli([...args, ...E]);
    assert.equal(u.code, 2, args.join(' '));
    assert.match(u.stderr, message);
  }
});

// ---------------------------------------------------------------------------------------------------
// --debug

test('--debug is accepted by every API command, and nothing secret reaches stderr', async () => {
  for (const args of [['describe'], ['blueprints'], ['reset', RUNNING, '--wait', ...FAST], ['call', 'DescribeInstances'], ['reset', RUNNING, IDLE]]) {
    api.reset();
    const r = await cli([...args, '--debug', ...E]);
    assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
    // cli() checks every SecretKey; the signature and the token are not printed either.
    assert.doesNotMatch(r.stderr, /Signature=|TC3-HMAC-SHA256/);
  }
});

test('the --debug formatter: one line per entry, secret fields masked whatever the client sends', () => {
  const { formatLogEntry, makeLogger } = require(path.join(root, 'pkg', 'bin', 'cli', 'debug.cjs'));
  assert.equal(
    formatLogEntry('debug', 'attempt', { action: 'ResetInstance', region: 'ap-guangzhou', attempt: 1, status: 200, requestId: 'r-1', ms: 42 }),
    'debug: attempt action=ResetInstance region=ap-guangzhou attempt=1 status=200 requestId=r-1 ms=42',
  );
  const line = formatLogEntry('warn', 'retry', {
    code: 'RequestLimitExceeded',
    secretKey: SECRETS[0],
    token: 'sts-token',
    authorization: 'TC3-HMAC-SHA256 Credential=x',
    nested: { password: SECRETS[2], ok: 'yes' },
    message: 'two words',
  });
  for (const s of [SECRETS[0], SECRETS[2], 'sts-token', 'Credential=']) assert.ok(!line.includes(s), line);
  assert.match(
    line,
    /^warn: retry code=RequestLimitExceeded secretKey=\*\*\* token=\*\*\* authorization=\*\*\* nested=\{"password":"\*\*\*","ok":"yes"\} message="two words"$/,
  );
  assert.equal(formatLogEntry('info', 'no data'), 'info: no data');
  const lines = [];
  const logger = makeLogger((t) => lines.push(t));
  logger.debug('a', { x: 1 });
  logger.error('b');
  assert.deepEqual(lines, ['debug: a x=1\n', 'error: b\n']);
});

// ---------------------------------------------------------------------------------------------------
// Language

/** A stand-in API that records the X-TC-Language of each request and answers an empty DescribeInstances. */
async function languageRecorder() {
  const seen = [];
  const server = http.createServer((req, res) => {
    seen.push(req.headers['x-tc-language']);
    req.resume().on('end', () => {
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ Response: { TotalCount: 0, InstanceSet: [], RequestId: '00000000-0000-4000-8000-000000000000' } }));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { seen, url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((resolve) => server.close(resolve)) };
}

test('X-TC-Language: --language, else zh-CN for a zh_CN locale, else en-US', async () => {
  const rec = await languageRecorder();
  try {
    const cases = [
      [{ LANG: 'zh_CN.UTF-8' }, [], 'zh-CN'],
      [{ LANG: 'en_GB.UTF-8' }, [], 'en-US'],
      [{ LANG: 'zh_TW.UTF-8' }, [], 'en-US'],
      [{}, [], 'en-US'],
      [{ LANG: 'en_US.UTF-8', LC_ALL: 'zh_CN.GB18030' }, [], 'zh-CN'],
      [{ LANG: 'zh_CN.UTF-8' }, ['--language', 'en-US'], 'en-US'],
      [{ LANG: 'C' }, ['--language', 'zh-CN'], 'zh-CN'],
    ];
    for (const [env, args, want] of cases) {
      const r = await cli(['describe', '--endpoint', rec.url, ...args], { env: { ...DEMO_ENV, ...env } });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(rec.seen.at(-1), want, `${JSON.stringify(env)} ${args.join(' ')}`);
    }
  } finally {
    await rec.close();
  }
});

// ---------------------------------------------------------------------------------------------------
// Help

test('help COMMAND and COMMAND --help: the command page with examples, then what every page shares', async () => {
  const pages = {
    reset: /--cli-input-json/,
    wait: /--request-id/,
    describe: /--filter/,
    blueprints: /platform-type/,
    call: /--params/,
    sign: /--payload/,
    completion: /bash\|zsh/,
  };
  for (const [command, own] of Object.entries(pages)) {
    const a = await cli(['help', command], { env: {} });
    const b = await cli([command, '--help'], { env: {} });
    assert.equal(a.code, 0);
    assert.equal(a.stdout, b.stdout, command);
    assert.match(a.stdout, new RegExp(`^Usage: tc3-lighthouse ${command}`));
    assert.match(a.stdout, own);
    assert.match(a.stdout, /\nExamples:\n( {2}.+\n)+/);
    assert.match(a.stdout, /Global options:[\s\S]*--output[\s\S]*Exit status/);
  }
  const all = await cli(['help'], { env: {} });
  for (const word of ['call', 'completion', '--output', '--filter', '--debug', '--cli-input-json', '--journal', 'help COMMAND'])
    assert.ok(all.stdout.includes(word), word);
  const bad = await cli(['help', 'frob'], { env: {} });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /Unknown command "frob"/);
});

// ---------------------------------------------------------------------------------------------------
// Completion

test('completion bash: bash loads it, and it completes commands, options and values', async () => {
  const script = (await cli(['completion', 'bash'], { env: {} })).stdout;
  const file = path.join(dir, 'tc3.bash');
  writeFileSync(file, script);
  const complete = (words) =>
    execFileSync(
      'bash',
      ['-c', `source "$1"; COMP_WORDS=(${words}); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); _tc3_lighthouse; echo "\${COMPREPLY[*]}"`, 'bash', file],
      {
        encoding: 'utf8',
      },
    ).trim();
  assert.equal(
    execFileSync('bash', ['-c', `source <(${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} completion bash); complete -p tc3-lighthouse`], {
      encoding: 'utf8',
      env: envWith(),
    }).trim(),
    'complete -o default -F _tc3_lighthouse tc3-lighthouse',
  );
  assert.equal(complete('tc3-lighthouse de'), 'describe');
  assert.equal(complete('tc3-lighthouse reset --cli'), '--cli-input-json');
  assert.equal(complete('tc3-lighthouse describe --fi'), '--filter');
  assert.equal(complete('tc3-lighthouse describe --output ""'), 'json table text');
  assert.equal(complete('tc3-lighthouse completion ""'), 'bash zsh');
  assert.equal(complete('tc3-lighthouse describe --wa'), '', 'only the options of that command');
});

const zsh = spawnSync('zsh', ['--version']).status === 0;
test('completion zsh: zsh parses it, and compinit registers it', { skip: !zsh && 'zsh is not installed (apt-get install -y zsh)' }, async () => {
  const script = (await cli(['completion', 'zsh'], { env: {} })).stdout;
  assert.match(script, /^#compdef tc3-lighthouse\n/);
  const file = path.join(dir, '_tc3-lighthouse');
  writeFileSync(file, script);
  execFileSync('zsh', ['-n', file]);
  const sourced = execFileSync('zsh', ['-fc', `autoload -U compinit; compinit -u -d "${dir}/zcd1"; source "${file}"; print -r -- \${_comps[tc3-lighthouse]}`], {
    encoding: 'utf8',
  });
  assert.equal(sourced.trim(), '_tc3-lighthouse');
  // Installed the usual way: the file in $fpath.
  const autoloaded = execFileSync(
    'zsh',
    ['-fc', `fpath=("${dir}" $fpath); autoload -U compinit; compinit -u -d "${dir}/zcd2"; print -r -- \${_comps[tc3-lighthouse]}`],
    { encoding: 'utf8' },
  );
  assert.equal(autoloaded.trim(), '_tc3-lighthouse');
});

// ---------------------------------------------------------------------------------------------------
// Start-up: each command loads only what it needs

test('each command loads only its own modules (help and --version not even the package)', async () => {
  const trace = path.join(dir, 'trace.cjs');
  writeFileSync(
    trace,
    "process.on('exit', () => require('node:fs').writeFileSync(process.env.TC3_TRACE, Object.keys(require.cache).filter((f) => f.includes('/pkg/')).map((f) => f.replace(/^.*\\/pkg\\//, '')).join('\\n')));\n",
  );
  const loaded = async (args) => {
    const out = path.join(dir, 'loaded.txt');
    const r = await cli(args, { nodeArgs: ['--require', trace], env: { ...DEMO_ENV, TC3_TRACE: out } });
    assert.ok(r.code === 0, `${args.join(' ')}: ${r.stderr}`);
    return readFileSync(out, 'utf8').split('\n');
  };
  const describe = await loaded(['describe', ...E]);
  assert.ok(describe.includes('bin/cli/describe.cjs'));
  assert.ok(describe.includes('node/index.cjs'));
  for (const m of ['fleet', 'reset', 'input', 'wait', 'help', 'completion', 'call', 'sign', 'debug'])
    assert.ok(!describe.includes(`bin/cli/${m}.cjs`), `describe loads ${m}`);
  for (const args of [['--version'], ['help'], ['help', 'reset'], ['completion', 'bash']]) {
    const files = await loaded(args);
    assert.ok(!files.includes('node/index.cjs'), `${args.join(' ')} loads the package`);
  }
});

test("describe's paging: the client's paginator when it has one, else Offset/Limit until TotalCount", async () => {
  const { describeAll } = require(path.join(root, 'pkg', 'bin', 'cli', 'describe.cjs'));
  const spec = { method: 'describeInstances', paginator: 'paginateDescribeInstances', setName: 'InstanceSet', idsName: 'InstanceIds' };
  const all = Array.from({ length: 230 }, (_, k) => ({ InstanceId: `i-${k}` }));
  const calls = [];
  const page = (input) => {
    calls.push(input);
    const offset = input.Offset ?? 0;
    return { TotalCount: all.length, InstanceSet: all.slice(offset, offset + (input.Limit ?? 20)), RequestId: `r-${calls.length}` };
  };
  const filters = [{ Name: 'zone', Values: ['z'] }];

  const looped = await describeAll({ describeInstances: async (input) => page(input) }, spec, [], filters);
  assert.equal(looped.InstanceSet.length, 230);
  assert.deepEqual(
    calls.map((c) => [c.Offset, c.Limit, c.Filters]),
    [
      [0, 100, filters],
      [100, 100, filters],
      [200, 100, filters],
    ],
  );

  calls.length = 0;
  const used = [];
  const withPaginator = {
    describeInstances: async () => assert.fail('the paginator is used instead'),
    async *paginateDescribeInstances(input, options) {
      used.push([input, options]);
      for (let offset = 0; offset < all.length; offset += options.pageSize) yield page({ ...input, Offset: offset, Limit: options.pageSize });
    },
  };
  const paged = await describeAll(withPaginator, spec, [], filters);
  assert.equal(paged.InstanceSet.length, 230);
  assert.equal(paged.TotalCount, 230);
  assert.deepEqual(used, [[{ Filters: filters }, { pageSize: 100 }]]);
  assert.equal(paged.RequestId, 'r-3', "the last page's RequestId");
});
