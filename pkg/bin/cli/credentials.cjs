// The CLI's credentials: the default chain (env -> profile -> TKE OIDC -> CVM role) or `--profile NAME`, every
// key and token it yields added to the output's redaction, and `tc3-lighthouse whoami` (STS GetCallerIdentity).
'use strict';

const { UsageError, addSecret, out, printJson } = require('./io.cjs');

const providers = new Map();

/** The provider for `values` (one per profile, so the CLI fetches once whatever it runs). */
function provider(lib, values) {
  const key = values.profile ?? '';
  if (!providers.has(key)) providers.set(key, lib.defaultCredentials(values.profile ? { profile: values.profile } : undefined));
  return providers.get(key);
}

/**
 * The credentials provider a CLI client is given: the chain's, with what it yields remembered by `redact`
 * and its "No credentials" message worded for a command line.
 */
function cliCredentials(lib, values, remember = addSecret) {
  const p = provider(lib, values);
  const wrapped = async () => {
    try {
      const c = await p();
      // The key only: `sign` prints the X-TC-Token header, which is what it is for.
      remember(c.secretKey);
      return c;
    } catch (e) {
      if (e?.code !== 'ClientError.Credentials') throw e;
      const message = e.message.replace('or pass `credentials`.', 'or pick a profile with --profile NAME.');
      throw new lib.TencentCloudError('ClientError.Credentials', message, { kind: 'auth', retryable: false });
    }
  };
  Object.defineProperty(wrapped, 'source', { get: () => p.source });
  return wrapped;
}

const mask = (id) => (id.length > 12 ? `${id.slice(0, 4)}...${id.slice(-4)}` : '****');

/** `whoami`: who the credentials the chain picked belong to, and which step picked them. */
async function whoami(lib, values, { out, printJson, remember }) {
  const credentials = cliCredentials(lib, values, remember);
  const c = await credentials();
  const { getCallerIdentity } = require('../../credentials/sts.cjs');
  const r = await getCallerIdentity(c, { endpoint: values['sts-endpoint'] });
  const result = {
    Arn: r.Arn,
    AccountId: r.AccountId,
    UserId: r.UserId,
    PrincipalId: r.PrincipalId,
    Type: r.Type,
    RequestId: r.RequestId,
    source: credentials.source,
    secretId: mask(c.secretId),
    temporary: Boolean(c.token),
  };
  if (c.expiresAt !== undefined) result.expiresAt = c.expiresAt;
  if (values.output === 'json' || values.json) return printJson(result);
  const rows = [
    ['Arn', r.Arn],
    ['Account', r.AccountId],
    ['UserId', r.UserId],
    ['Type', r.Type],
    ['Source', credentials.source],
    [
      'SecretId',
      `${mask(c.secretId)}${c.token ? ' (temporary' : ''}${c.expiresAt ? `, expires ${new Date(c.expiresAt * 1000).toISOString()})` : c.token ? ')' : ''}`,
    ],
  ];
  out(rows.map(([k, v]) => `${`${k}:`.padEnd(10)}${v}\n`).join(''));
}

/** The `whoami` command of commands.cjs. */
function whoamiCommand(values, args) {
  if (args.length) throw new UsageError(`"whoami" takes no arguments, got "${args[0]}".`);
  return whoami(require('./client.cjs').pkg(), values, { out, printJson, remember: addSecret });
}

module.exports = { cliCredentials, whoami, whoamiCommand };
