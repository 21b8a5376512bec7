// --debug: the client's log entries on stderr, one line each. The client promises never to log a secret;
// this formatter does not rely on that: fields that name one are masked, whatever their value.
'use strict';

const SECRET_FIELD = /secret|token|signature|password|authorization|credential|body|payload/i;

function scalar(v) {
  if (v === null || v === undefined) return String(v);
  if (typeof v === 'string') return /^[^\s"=]+$/.test(v) ? v : JSON.stringify(v);
  if (typeof v === 'object') return JSON.stringify(v, (k, x) => (k && SECRET_FIELD.test(k) ? '***' : x));
  return String(v);
}

/** One log entry as a line: `debug: message key=value ...` (no newline). */
function formatLogEntry(level, message, data) {
  const parts = [`${level}: ${String(message)}`];
  if (data && typeof data === 'object') {
    for (const [k, v] of Object.entries(data)) parts.push(`${k}=${SECRET_FIELD.test(k) ? '***' : scalar(v)}`);
  } else if (data !== undefined) parts.push(scalar(data));
  return parts.join(' ');
}

/** A `logger` for the client config that writes each entry with `write` (stderr through the CLI's redaction). */
function makeLogger(write) {
  const at = (level) => (message, data) => write(`${formatLogEntry(level, message, data)}\n`);
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

module.exports = { formatLogEntry, makeLogger };
