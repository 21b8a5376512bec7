// sign: the headers of a signed POST request, for curl or another HTTP client.
'use strict';

const { UsageError, out, printJson, readJsonArg } = require('./io.cjs');
const { language, region } = require('./args.cjs');
const { pkg, credentials } = require('./client.cjs');
const { text } = require('./format.cjs');

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
  // Signed byte for byte, as it must be sent.
  const payload = values.payload === undefined ? '{}' : readJsonArg(values.payload, '--payload', 'payload').text;
  const c = await credentials(values)();
  const input = { secretId: c.secretId, secretKey: c.secretKey, action: values.action, payload };
  if (c.token) input.token = c.token;
  if (host) input.host = host;
  const reg = region(values);
  if (reg) input.region = reg;
  if (lang) input.language = lang;
  if (timestamp !== undefined) input.timestamp = timestamp;
  const signed = pkg().signRequest(input);
  if (values.output === 'json') return printJson(signed);
  if (values.output === 'text') return out(text(Object.entries(signed.headers)));
  out(
    Object.entries(signed.headers)
      .map(([k, v]) => `${k}: ${v}\n`)
      .join(''),
  );
}

module.exports = { sign };
