// The package and the client, configured from the global options.
'use strict';

const { UsageError, err } = require('./io.cjs');
const { seconds, language, localeLanguage, region } = require('./args.cjs');

let lib;
function pkg() {
  if (!lib) lib = require('../../node/index.cjs');
  return lib;
}

/** The chain's credentials (or --profile's), their SecretKey redacted from the output: credentials.cjs. */
const credentials = (values) => require('./credentials.cjs').cliCredentials(pkg(), values);

/** The client config of the global options: endpoint, region, language (--language, else the locale's), timeout, --debug's logger. */
function clientConfig(values) {
  const config = {};
  const timeout = seconds(values, 'timeout', { positive: true });
  const reg = region(values);
  if (values.endpoint !== undefined) config.endpoint = values.endpoint;
  if (reg !== undefined) config.region = reg;
  config.language = language(values) ?? localeLanguage();
  if (timeout !== undefined) config.timeoutMs = timeout * 1000;
  if (values.debug) config.logger = require('./debug.cjs').makeLogger(err);
  return config;
}

function makeClient(values) {
  const config = clientConfig(values);
  config.credentials = credentials(values);
  try {
    return new (pkg().LighthouseClient)(config);
  } catch (e) {
    // Only the options above reach the config: a bad one is a usage error.
    if (e && e.code === 'ClientError.InvalidArgument') throw new UsageError(e.message);
    throw e;
  }
}

module.exports = { pkg, credentials, clientConfig, makeClient };
