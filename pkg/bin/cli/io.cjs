// Output streams, secret redaction, usage errors and the version: what every command module shares.
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const NAME = 'tc3-lighthouse';

/** Bad input on the command line: exit 2, with the message and a hint to --help. */
class UsageError extends Error {}

// Belt and braces: nothing this program writes may contain the SecretKey (sign prints the token header on
// purpose). Passwords from --cli-input-json are added when read.
const SECRETS = [process.env.TENCENTCLOUD_SECRET_KEY].filter((s) => s && s.length >= 4);
function addSecret(s) {
  if (typeof s === 'string' && s.length >= 4 && !SECRETS.includes(s)) SECRETS.push(s);
}
function redact(text) {
  let t = String(text);
  for (const s of SECRETS) t = t.split(s).join('***');
  return t;
}
const out = (text) => process.stdout.write(redact(text));
const err = (text) => process.stderr.write(redact(text));
const printJson = (value) => out(`${JSON.stringify(value, null, 2)}\n`);

function version() {
  try {
    return JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

/**
 * The text of a JSON|@file|@- argument, and what it parses to. `what` names the flag in errors.
 * Returns { text, value }: `text` is exact (sign signs it byte for byte).
 */
function readJsonArg(raw, what, fileWhat = what) {
  let text = raw;
  if (raw.startsWith('@')) {
    const file = raw.slice(1);
    try {
      text = fs.readFileSync(file === '-' ? 0 : file, 'utf8');
    } catch (e) {
      throw new UsageError(`Cannot read the ${fileWhat} file "${file}": ${e.message}`);
    }
  }
  try {
    return { text, value: JSON.parse(text) };
  } catch (e) {
    throw new UsageError(`${what} is not valid JSON: ${e.message}`);
  }
}

const isTc = (e) => Boolean(e && typeof e === 'object' && typeof e.code === 'string' && typeof e.kind === 'string');

/** An error as --output json shows it: code, message, kind, retryable, and only what is known of the rest (no nulls). */
function errorDoc(e) {
  const tc = isTc(e);
  const doc = {
    code: tc ? e.code : 'CliError',
    message: e?.message ? e.message : String(e),
    kind: tc ? e.kind : 'other',
    retryable: tc ? e.retryable === true : false,
  };
  if (tc) for (const k of ['requestId', 'httpStatus', 'action']) if (e[k] !== undefined && e[k] !== null) doc[k] = e[k];
  return doc;
}

/** An error as one line: `Error CODE: message (RequestId: ...)`. */
function errorLine(e) {
  const d = errorDoc(e);
  return `Error ${d.code}: ${d.message}${d.requestId ? ` (RequestId: ${d.requestId})` : ''}`;
}

module.exports = { NAME, errorDoc, errorLine, UsageError, addSecret, redact, out, err, printJson, version, readJsonArg };
