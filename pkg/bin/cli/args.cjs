// Parsing the command line: every option, which command accepts it, and the checks shared by commands.
'use strict';

const { parseArgs } = require('node:util');
const { UsageError } = require('./io.cjs');
const { COMMANDS } = require('./commands.cjs');

const OPTIONS = {
  endpoint: { type: 'string' },
  region: { type: 'string' },
  language: { type: 'string' },
  timeout: { type: 'string' },
  output: { type: 'string', short: 'o' },
  json: { type: 'boolean' },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
  blueprint: { type: 'string' },
  wait: { type: 'boolean' },
  'cli-input-json': { type: 'string' },
  journal: { type: 'string' },
  concurrency: { type: 'string' },
  'request-id': { type: 'string' },
  'max-wait': { type: 'string' },
  'min-delay': { type: 'string' },
  'max-delay': { type: 'string' },
  filter: { type: 'string', multiple: true },
  for: { type: 'string' },
  params: { type: 'string' },
  action: { type: 'string' },
  payload: { type: 'string' },
  timestamp: { type: 'string' },
  host: { type: 'string' },
  profile: { type: 'string' },
  'sts-endpoint': { type: 'string' },
};
const GLOBAL = ['endpoint', 'profile', 'region', 'language', 'timeout', 'output', 'json', 'debug', 'help', 'version'];
const OUTPUTS = ['json', 'table', 'text'];

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
  if (values.help || values.version || command === undefined) return { command, values, args: positionals.slice(1) };
  if (!Object.hasOwn(COMMANDS, command)) throw new UsageError(`Unknown command "${command}".`);
  const allowed = new Set([...GLOBAL, ...COMMANDS[command].options]);
  for (const t of tokens) {
    if (t.kind === 'option' && !allowed.has(t.name)) {
      throw new UsageError(`The option ${t.rawName} does not apply to "${command}".`);
    }
  }
  values.output = outputFormat(values);
  return { command, values, args: positionals.slice(1) };
}

/** --output, with --json its alias; undefined when neither is given (each command has its default). */
function outputFormat(values) {
  const o = values.output;
  if (o !== undefined && !OUTPUTS.includes(o)) throw new UsageError(`--output must be json, table or text, got "${o}".`);
  if (values.json && o !== undefined && o !== 'json') throw new UsageError(`--json and --output ${o} disagree: --json is --output json.`);
  return values.json ? 'json' : o;
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

/** The user's language for X-TC-Language when --language is not given: the locale's (POSIX order), en-US unless Chinese. */
function localeLanguage(env = process.env) {
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return /^zh_CN/i.test(locale) ? 'zh-CN' : 'en-US';
}

function region(values) {
  return values.region || process.env.TENCENTCLOUD_REGION || undefined;
}

/** DescribeInstances (what `describe` and every wait call) lists the instances of one region: say so before anything is sent. */
function needRegion(values, what) {
  if (region(values) === undefined) {
    throw new UsageError(
      `${what} needs a region: pass --region REGION or set TENCENTCLOUD_REGION (Lighthouse lists the instances and images of one region at a time).`,
    );
  }
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

module.exports = { OPTIONS, GLOBAL, OUTPUTS, parse, seconds, language, localeLanguage, region, needRegion, oneInstanceId, waiterOptions };
