#!/usr/bin/env node
// tc3-lighthouse: reset Tencent Cloud Lighthouse instances, wait for resets, list instances and images,
// and print signed TC3-HMAC-SHA256 headers, from the command line.
// Exit codes: 0 success, 1 API or client error, 2 usage error, 130 interrupted (Ctrl-C).
'use strict';

const { parseArgs } = require('node:util');
const fs = require('node:fs');
const path = require('node:path');

const NAME = 'tc3-lighthouse';

const USAGE = `Usage: ${NAME} <command> [options]

Commands:
  reset <InstanceId> [--blueprint ID] [--wait]
                          Reinstall an instance's image (the current one without --blueprint)
                          and print the RequestId; --wait follows the reset until it ends.
  wait <InstanceId> [--request-id ID]
                          Wait until the instance's latest reset (or the one with this RequestId)
                          has finished.
  describe [InstanceId...]
                          List instances (all of them without IDs).
  blueprints [BlueprintId...]
                          List images (blueprints).
  sign --action ACTION [--payload JSON|@file] [--timestamp N] [--host HOST]
                          Print the headers of a signed POST request (Name: value per line).
  whoami [--sts-endpoint URL]
                          Show whose credentials these are (STS GetCallerIdentity) and where
                          the chain found them.
  help                    Show this help.

Options:
  --endpoint URL          API endpoint (default https://lighthouse.tencentcloudapi.com)
  --profile NAME          Credentials of this profile of ~/.tencentcloud/credentials
  --region REGION         X-TC-Region (default $TENCENTCLOUD_REGION)
  --language LANG         zh-CN or en-US
  --timeout SECONDS       Timeout of each HTTP attempt
  --json                  Print one JSON document on stdout (errors: {"error": {...}})
  --wait                  reset: wait for the reset to finish (progress on stderr)
  --max-wait SECONDS      reset --wait, wait: give up after this long (default 1200)
  --min-delay SECONDS     reset --wait, wait: shortest pause between polls (default 5)
  --max-delay SECONDS     reset --wait, wait: longest pause between polls (default 30)
  --payload JSON|@file    sign: the exact request body (default {}); @- reads stdin
  --timestamp N           sign: Unix seconds (default now)
  --host HOST             sign: the Host header (default: the endpoint's host)
  -h, --help              Show this help
  -v, --version           Show the version

Credentials come from the first of: TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY (and
TENCENTCLOUD_SESSION_TOKEN); the [default] profile (or --profile NAME) of ~/.tencentcloud/credentials
or /etc/tencentcloud/credentials; TKE OIDC (TKE_* variables); the CVM/Lighthouse instance's role.

--json documents: reset: {"RequestId"} (with --wait also "Instance"); wait: the Instance;
describe, blueprints: the API's Response; sign: the signature with every stage and "headers";
errors: {"error": {"code", "message", "kind", "retryable"}}, with "requestId", "httpStatus" and
"action" when known.

Exit status: 0 success, 1 API or client error, 2 usage error, 130 interrupted.
`;

// Every option, and the commands that accept it besides the global ones.
const OPTIONS = {
  endpoint: { type: 'string' },
  region: { type: 'string' },
  language: { type: 'string' },
  timeout: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
  blueprint: { type: 'string' },
  wait: { type: 'boolean' },
  'request-id': { type: 'string' },
  'max-wait': { type: 'string' },
  'min-delay': { type: 'string' },
  'max-delay': { type: 'string' },
  action: { type: 'string' },
  payload: { type: 'string' },
  timestamp: { type: 'string' },
  host: { type: 'string' },
  profile: { type: 'string' },
  'sts-endpoint': { type: 'string' },
};
const GLOBAL = ['endpoint', 'region', 'language', 'timeout', 'json', 'help', 'version', 'profile'];
const WAITING = ['max-wait', 'min-delay', 'max-delay'];
const COMMANDS = {
  reset: ['blueprint', 'wait', ...WAITING],
  wait: ['request-id', ...WAITING],
  describe: [],
  blueprints: [],
  sign: ['action', 'payload', 'timestamp', 'host'],
  whoami: ['sts-endpoint'],
  help: [],
};

class UsageError extends Error {}

// --- output -----------------------------------------------------------------------------------------

// Belt and braces: nothing this program writes may contain a SecretKey (the chain's join this one).
const SECRETS = new Set([process.env.TENCENTCLOUD_SECRET_KEY || '']);
const remember = (secret) => SECRETS.add(secret);
function redact(text) {
  for (const s of SECRETS) if (s.length >= 4) text = text.split(s).join('***');
  return text;
}
const out = (text) => process.stdout.write(redact(text));
const err = (text) => process.stderr.write(redact(text));
const printJson = (value) => out(`${JSON.stringify(value, null, 2)}\n`);

// `... | head` closes stdout early: that is not an error.
process.stdout.on('error', (e) => {
  if (e && e.code === 'EPIPE') process.exit(process.exitCode || 0);
  throw e;
});

function version() {
  try {
    return JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

// --- arguments --------------------------------------------------------------------------------------

function parse(argv) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true, tokens: true });
  } catch (e) {
    // Node's messages go on with advice about `--`; the first sentence says it.
    throw new UsageError(e.message.replace(/(\.|\n)\s*(To specify|Did you forget)[\s\S]*$/, '.').replace(/\.\.$/, '.'));
  }
  const { values, positionals, tokens } = parsed;
  const command = positionals[0];
  if (values.help || values.version || command === undefined) return { command, values, args: [] };
  if (!Object.hasOwn(COMMANDS, command)) throw new UsageError(`Unknown command "${command}".`);
  const allowed = new Set([...GLOBAL, ...COMMANDS[command]]);
  for (const t of tokens) {
    if (t.kind === 'option' && !allowed.has(t.name)) {
      throw new UsageError(`The option ${t.rawName} does not apply to "${command}".`);
    }
  }
  return { command, values, args: positionals.slice(1) };
}

/** A non-negative (or positive) number of seconds from an option, or undefined when absent. */
function seconds(values, name, { positive = false } = {}) {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const n = raw.trim() === '' ? NaN : Number(raw);
  if (!Number.isFinite(n) || n < 0 || (positive && n === 0)) {
    throw new UsageError(`--${name} must be a ${positive ? 'positive' : 'non-negative'} number of seconds, got "${raw}".`);
  }
  return n;
}

function language(values) {
  const l = values.language;
  if (l !== undefined && l !== 'zh-CN' && l !== 'en-US') {
    throw new UsageError(`--language must be zh-CN or en-US, got "${l}".`);
  }
  return l;
}

function region(values) {
  return values.region || process.env.TENCENTCLOUD_REGION || undefined;
}

function oneInstanceId(command, args) {
  if (args.length === 0) throw new UsageError(`"${command}" needs an InstanceId.`);
  if (args.length > 1) throw new UsageError(`"${command}" takes one InstanceId, got ${args.length}.`);
  return args[0];
}

function waiterOptions(values) {
  const o = {
    maxWaitSeconds: seconds(values, 'max-wait', { positive: true }),
    minDelaySeconds: seconds(values, 'min-delay'),
    maxDelaySeconds: seconds(values, 'max-delay', { positive: true }),
  };
  if (o.minDelaySeconds !== undefined && o.maxDelaySeconds !== undefined && o.minDelaySeconds > o.maxDelaySeconds) {
    throw new UsageError('--min-delay must not exceed --max-delay.');
  }
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

// --- the package ------------------------------------------------------------------------------------

let lib;
function pkg() {
  if (!lib) lib = require('../node/index.cjs');
  return lib;
}

/** The chain's credentials (or --profile's), remembered for redaction: pkg/bin/credentials.cjs. */
const credentials = (values) => require('./credentials.cjs').cliCredentials(pkg(), values, remember);

function makeClient(values) {
  const config = {};
  const timeout = seconds(values, 'timeout', { positive: true });
  const lang = language(values);
  const reg = region(values);
  if (values.endpoint !== undefined) config.endpoint = values.endpoint;
  if (reg !== undefined) config.region = reg;
  if (lang !== undefined) config.language = lang;
  if (timeout !== undefined) config.timeoutMs = timeout * 1000;
  config.credentials = credentials(values);
  try {
    return new (pkg().LighthouseClient)(config);
  } catch (e) {
    // Only the options above reach the config: a bad one is a usage error.
    if (e && e.code === 'ClientError.InvalidArgument') throw new UsageError(e.message);
    throw e;
  }
}

// --- tables -----------------------------------------------------------------------------------------

const WIDE =
  /[\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA000-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]/u;
function width(s) {
  let w = 0;
  for (const ch of s) w += WIDE.test(ch) || ch.codePointAt(0) > 0xffff ? 2 : 1;
  return w;
}

function table(headers, rows) {
  const cells = rows.map((r) => r.map((c) => (c === undefined || c === null || c === '' ? '-' : String(c))));
  const widths = headers.map((h, i) => Math.max(width(h), ...cells.map((r) => width(r[i]))));
  const line = (r) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c + ' '.repeat(widths[i] - width(c))))
      .join('  ')
      .trimEnd();
  return [line(headers), ...cells.map(line)].join('\n') + '\n';
}

// --- commands ---------------------------------------------------------------------------------------

/** All pages of a Describe* action, merged into one Response. */
async function describeAll(call, setName, ids, idsName) {
  const set = [];
  let last;
  if (ids.length > 0) {
    for (let i = 0; i < ids.length; i += 100) {
      last = await call({ [idsName]: ids.slice(i, i + 100) });
      set.push(...(last[setName] || []));
    }
    return { TotalCount: set.length, [setName]: set, RequestId: last.RequestId };
  }
  for (let offset = 0; ; offset += 100) {
    last = await call({ Offset: offset, Limit: 100 });
    const page = last[setName] || [];
    set.push(...page);
    if (page.length < 100 || set.length >= (last.TotalCount ?? 0) || offset >= 100000) break;
  }
  return { TotalCount: last.TotalCount ?? set.length, [setName]: set, RequestId: last.RequestId };
}

async function describe(values, args) {
  const client = makeClient(values);
  const res = await describeAll((input) => client.describeInstances(input), 'InstanceSet', args, 'InstanceIds');
  if (values.json) return printJson(res);
  const seen = new Set(res.InstanceSet.map((i) => i.InstanceId));
  const missing = args.filter((id) => !seen.has(id));
  if (res.InstanceSet.length === 0) out(args.length ? '' : 'No instances.\n');
  else {
    out(
      table(
        ['INSTANCE ID', 'NAME', 'STATE', 'OS', 'LATEST OPERATION', 'ZONE', 'PUBLIC IP'],
        res.InstanceSet.map((i) => [
          i.InstanceId,
          i.InstanceName,
          i.InstanceState,
          i.OsName,
          i.LatestOperation ? `${i.LatestOperation} ${i.LatestOperationState ?? ''}`.trim() : '',
          i.Zone,
          (i.PublicAddresses || []).join(','),
        ]),
      ),
    );
  }
  if (missing.length) err(`Not found: ${[...new Set(missing)].join(' ')}\n`);
}

async function blueprints(values, args) {
  const client = makeClient(values);
  const res = await describeAll((input) => client.describeBlueprints(input), 'BlueprintSet', args, 'BlueprintIds');
  if (values.json) return printJson(res);
  if (res.BlueprintSet.length === 0) return out('No blueprints.\n');
  out(
    table(
      ['BLUEPRINT ID', 'TITLE', 'VERSION', 'OS', 'TYPE', 'PLATFORM', 'STATE'],
      res.BlueprintSet.map((b) => [b.BlueprintId, b.DisplayTitle, b.DisplayVersion, b.OsName, b.BlueprintType, b.PlatformType, b.BlueprintState]),
    ),
  );
}

function describeState(instance, requestId) {
  if (!instance) return 'waiting for DescribeInstances';
  const state = `instance ${instance.InstanceState}`;
  if (requestId && instance.LatestOperationRequestId !== requestId) return `reset not started yet, ${state}`;
  if (!instance.LatestOperation) return `no operation yet, ${state}`;
  return `${instance.LatestOperation} ${instance.LatestOperationState ?? 'unknown'}, ${state}`;
}

/** Follows a wait on stderr: redrawn in place on a terminal, one line per change otherwise. */
function progressReporter(instanceId, requestId, started) {
  const tty = Boolean(process.stderr.isTTY);
  let last = null;
  let printed = null; // the state last written (not a TTY)
  let timer = null;
  const line = () => `${instanceId}: ${describeState(last, requestId)} (${((Date.now() - started) / 1000).toFixed(1)}s)`;
  const draw = () => err(`\r\x1b[K${line()}`);
  const report = () => {
    if (tty) return draw();
    const state = describeState(last, requestId);
    if (state !== printed) {
      printed = state;
      err(`${line()}\n`);
    }
  };
  if (tty) {
    draw();
    timer = setInterval(draw, 250);
  }
  return {
    onProgress(event) {
      last = event.instance;
      report();
    },
    stop(final) {
      if (timer) clearInterval(timer);
      if (final) last = final;
      if (last) report();
      if (tty) err('\n');
    },
  };
}

/** Runs a wait with Ctrl-C wired to an AbortController. */
async function interruptible(run) {
  const controller = new AbortController();
  let interrupted = false;
  const handler = () => {
    if (interrupted) process.exit(130); // a second Ctrl-C: leave now
    interrupted = true;
    controller.abort();
  };
  process.on('SIGINT', handler);
  try {
    return await run(controller.signal);
  } catch (e) {
    if (interrupted) {
      const ex = new Error('interrupted');
      ex.interrupted = true;
      ex.cause = e;
      throw ex;
    }
    throw e;
  } finally {
    process.off('SIGINT', handler);
  }
}

/** Waits; resolves with the instance and whether any poll saw the reset unfinished (`false`: it had
 *  finished before the wait began). */
async function waitFor(client, values, instanceId, requestId, started) {
  const progress = progressReporter(instanceId, requestId, started);
  let pending = false;
  const onProgress = (event) => {
    const i = event.instance;
    if (i.LatestOperation !== 'ResetInstance' || i.LatestOperationState !== 'SUCCESS' || (requestId && i.LatestOperationRequestId !== requestId))
      pending = true;
    progress.onProgress(event);
  };
  const resume = `${NAME} wait ${instanceId}${requestId ? ` --request-id ${requestId}` : ''}`;
  let instance;
  try {
    instance = await interruptible((signal) =>
      client.waitUntilInstanceReset(requestId ? { InstanceId: instanceId, RequestId: requestId } : { InstanceId: instanceId }, {
        ...waiterOptions(values),
        signal,
        onProgress,
      }),
    );
  } catch (e) {
    progress.stop(e?.instance);
    if (e?.interrupted) {
      err(`Interrupted: the reset continues on the server. Resume with: ${resume}\n`);
    }
    throw e;
  }
  progress.stop(instance);
  return { instance, pending };
}

/** The last line: what happened, and only durations that were measured. */
function finalLine(instance, outcome) {
  const rest =
    `, instance ${instance.InstanceState}` + `${instance.OsName ? `, ${instance.OsName}` : ''}${instance.BlueprintId ? ` (${instance.BlueprintId})` : ''}\n`;
  const state = instance.LatestOperationState;
  if (outcome.already) {
    const known = [
      instance.LatestOperationRequestId && `RequestId ${instance.LatestOperationRequestId}`,
      instance.LatestOperationStartedTime && `started ${instance.LatestOperationStartedTime}`,
    ].filter(Boolean);
    return `${instance.InstanceId}: the latest reset had already finished: ${state}` + `${known.length ? ` (${known.join(', ')})` : ''}${rest}`;
  }
  return `${instance.InstanceId}: reset ${state} ${outcome.waitedOnly ? 'after waiting' : 'in'} ${outcome.secs}s${rest}`;
}

const secondsSince = (started) => ((Date.now() - started) / 1000).toFixed(1);

async function reset(values, args) {
  const instanceId = oneInstanceId('reset', args);
  if (!values.wait && WAITING.some((k) => values[k] !== undefined)) {
    throw new UsageError('--max-wait, --min-delay and --max-delay need --wait.');
  }
  if (values.wait) waiterOptions(values);
  const client = makeClient(values);
  const input = { InstanceId: instanceId };
  if (values.blueprint !== undefined) input.BlueprintId = values.blueprint;
  const started = Date.now();
  const { RequestId } = await client.resetInstance(input);
  if (!values.wait) {
    if (values.json) printJson({ RequestId });
    else out(`${RequestId}\n`);
    return;
  }
  if (!values.json) out(`${RequestId}\n`);
  else err(`RequestId: ${RequestId}\n`);
  const { instance } = await waitFor(client, values, instanceId, RequestId, started);
  if (values.json) printJson({ RequestId, Instance: instance });
  // Timed from the reset's own request: the reset took at most this long.
  else out(finalLine(instance, { secs: secondsSince(started) }));
}

async function wait(values, args) {
  const instanceId = oneInstanceId('wait', args);
  const requestId = values['request-id'];
  if (requestId === '') throw new UsageError('--request-id must not be empty.');
  waiterOptions(values);
  const client = makeClient(values);
  const started = Date.now();
  const { instance, pending } = await waitFor(client, values, instanceId, requestId, started);
  if (values.json) printJson(instance);
  // The reset started before this command: only the wait was timed, and only when there was one.
  else out(finalLine(instance, { already: !pending, waitedOnly: true, secs: secondsSince(started) }));
}

function readPayload(raw) {
  if (raw === undefined) return '{}';
  let text = raw;
  if (raw.startsWith('@')) {
    const file = raw.slice(1);
    try {
      text = fs.readFileSync(file === '-' ? 0 : file, 'utf8');
    } catch (e) {
      throw new UsageError(`Cannot read the payload file "${file}": ${e.message}`);
    }
  }
  try {
    JSON.parse(text);
  } catch (e) {
    throw new UsageError(`--payload is not valid JSON: ${e.message}`);
  }
  return text; // signed byte for byte, as it must be sent
}

async function sign(values, args) {
  if (args.length) throw new UsageError(`"sign" takes no arguments, got "${args[0]}".`);
  if (!values.action) throw new UsageError('"sign" needs --action (e.g. --action DescribeInstances).');
  let timestamp;
  if (values.timestamp !== undefined) {
    timestamp = /^\d+$/.test(values.timestamp) ? Number(values.timestamp) : NaN;
    if (!Number.isSafeInteger(timestamp)) {
      throw new UsageError(`--timestamp must be a whole number of Unix seconds, got "${values.timestamp}".`);
    }
  }
  const lang = language(values);
  let host = values.host;
  if (host === undefined && values.endpoint !== undefined) {
    try {
      host = new URL(values.endpoint).host;
    } catch {
      throw new UsageError(`--endpoint must be a URL, got "${values.endpoint}".`);
    }
  }
  const payload = readPayload(values.payload);
  const c = await credentials(values)();
  const input = { secretId: c.secretId, secretKey: c.secretKey, action: values.action, payload };
  if (c.token) input.token = c.token;
  if (host) input.host = host;
  const reg = region(values);
  if (reg) input.region = reg;
  if (lang) input.language = lang;
  if (timestamp !== undefined) input.timestamp = timestamp;
  const signed = pkg().signRequest(input);
  if (values.json) return printJson(signed);
  out(
    Object.entries(signed.headers)
      .map(([k, v]) => `${k}: ${v}\n`)
      .join(''),
  );
}

// --- main -------------------------------------------------------------------------------------------

function reportError(e, json) {
  const isTc = e && typeof e === 'object' && typeof e.code === 'string' && typeof e.kind === 'string';
  const code = isTc ? e.code : 'CliError';
  const message = e?.message ? e.message : String(e);
  const rid = isTc && e.requestId ? ` (RequestId: ${e.requestId})` : '';
  err(`Error ${code}: ${message}${rid}\n`);
  if (json) {
    const error = { code, message, kind: isTc ? e.kind : 'other', retryable: isTc ? e.retryable === true : false };
    // Only what is known: no nulls.
    if (isTc) for (const k of ['requestId', 'httpStatus', 'action']) if (e[k] !== undefined && e[k] !== null) error[k] = e[k];
    printJson({ error });
  }
}

async function main(argv) {
  let parsed;
  try {
    parsed = parse(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    err(`${NAME}: ${e.message}\nTry '${NAME} --help'.\n`);
    return 2;
  }
  const { command, values, args } = parsed;
  if (values.help || command === 'help') {
    out(USAGE);
    return 0;
  }
  if (values.version) {
    out(`${version()}\n`);
    return 0;
  }
  if (command === undefined) {
    err(USAGE);
    return 2;
  }
  const whoami = (v, a) => {
    if (a.length) throw new UsageError(`"whoami" takes no arguments, got "${a[0]}".`);
    return require('./credentials.cjs').whoami(pkg(), v, { out, printJson, remember });
  };
  const run = { reset, wait, describe, blueprints, sign, whoami }[command];
  try {
    await run(values, args);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      err(`${NAME}: ${e.message}\nTry '${NAME} --help'.\n`);
      return 2;
    }
    if (e?.interrupted) {
      if (values.json) reportError(e.cause, true);
      return 130;
    }
    reportError(e, values.json);
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    err(`${NAME}: internal error: ${e?.stack ? e.stack : e}\n`);
    process.exitCode = 1;
  },
);
