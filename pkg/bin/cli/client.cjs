// The package and the client, configured from the global options.
'use strict';

const { UsageError, err } = require('./io.cjs');
const { seconds, language, localeLanguage, region } = require('./args.cjs');

let lib;
function pkg() {
  if (!lib) lib = require('../../node/index.cjs');
  return lib;
}

/** The CLI's credentials are the TENCENTCLOUD_* variables: say which to set (the library's own message
 *  talks about `config.credentials`, which a CLI user has no way to pass). */
function requireCredentials() {
  const env = process.env;
  if (env.TENCENTCLOUD_SECRET_ID && env.TENCENTCLOUD_SECRET_KEY) return;
  const E = pkg().TencentCloudError;
  const missing = ['TENCENTCLOUD_SECRET_ID', 'TENCENTCLOUD_SECRET_KEY'].filter((k) => !env[k]).join(' and ');
  throw new E(
    'ClientError.Credentials',
    `No credentials: ${missing} ${missing.includes(' and ') ? 'are' : 'is'} not set. Set TENCENTCLOUD_SECRET_ID and ` +
      'TENCENTCLOUD_SECRET_KEY in the environment (and TENCENTCLOUD_SESSION_TOKEN with temporary credentials).',
    { kind: 'auth', retryable: false },
  );
}

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
  requireCredentials();
  try {
    return new (pkg().LighthouseClient)(config);
  } catch (e) {
    // Only the options above reach the config: a bad one is a usage error.
    if (e && e.code === 'ClientError.InvalidArgument') throw new UsageError(e.message);
    throw e;
  }
}

module.exports = { pkg, requireCredentials, clientConfig, makeClient };
