// STS (service sts, version 2018-08-13): AssumeRole signed with the package's own signer, and
// AssumeRoleWithWebIdentity (TKE OIDC), which STS takes unsigned (`Authorization: SKIP`). Node only.
'use strict';

const shared = require('./shared.js');
const { credentialsError, memoize, fetchWithTimeout, parseJson, describeUrl } = shared;
const { checkOptions, optionalString, positiveInteger, invalidArgument } = require('./util.cjs');
const { E, env, NotHere } = require('./node.cjs');

const STS_ENDPOINT = 'https://sts.tencentcloudapi.com';
const STS_VERSION = '2018-08-13';
const DEFAULT_REGION = 'ap-guangzhou';
const TIMEOUT_MS = 10_000;

function stsEndpoint(given) {
  return given ?? env('TENCENTCLOUD_STS_ENDPOINT') ?? STS_ENDPOINT;
}

/**
 * One STS call; resolves to its Response object. `credentials` null: unsigned. Failures are
 * ClientError.Credentials naming `what`, with the service's code and RequestId (never its parameters).
 */
async function stsCall({ action, params, credentials, endpoint, region, what }) {
  const url = new URL(endpoint);
  const payload = JSON.stringify(params);
  let headers;
  if (credentials) {
    const { signRequest } = require('../sign/node/tc3_lighthouse_sign.js');
    const input = {
      secretId: credentials.secretId,
      secretKey: credentials.secretKey,
      service: 'sts',
      host: url.host,
      action,
      version: STS_VERSION,
      region,
      payload,
    };
    if (credentials.token) input.token = credentials.token;
    headers = signRequest(input).headers;
  } else {
    headers = {
      Authorization: 'SKIP',
      'Content-Type': 'application/json',
      Host: url.host,
      'X-TC-Action': action,
      'X-TC-Version': STS_VERSION,
      'X-TC-Region': region,
      'X-TC-Timestamp': String(Math.floor(Date.now() / 1000)),
    };
  }
  delete headers.Host; // fetch sets it from the URL (it refuses to be given one)
  const res = await fetchWithTimeout(E, globalThis.fetch, url.href, { method: 'POST', headers, body: payload }, TIMEOUT_MS, what);
  const body = res.text === '' ? null : parseJson(E, res.text, what);
  const r = body?.Response;
  if (!r || typeof r !== 'object') throw credentialsError(E, `${what}: HTTP ${res.status}, not STS's answer.`);
  if (r.Error) {
    const id = typeof r.RequestId === 'string' ? ` (RequestId ${r.RequestId})` : '';
    throw credentialsError(E, `${what}: ${String(r.Error.Code)}: ${String(r.Error.Message)}${id}`);
  }
  return r;
}

/** Resolves `credentials` (an object, a provider, or undefined: the default chain) to sign with. */
async function sourceCredentials(given) {
  if (given === undefined || given === null) {
    const { defaultCredentials } = require('./node.cjs');
    if (!sourceCredentials.chain) sourceCredentials.chain = defaultCredentials();
    return sourceCredentials.chain();
  }
  return typeof given === 'function' ? given() : given;
}

const ROLE_ARN = /^qcs::cam::/;

function sessionName(given, label) {
  const name = optionalString(E, given, `${label}.roleSessionName`) ?? `tc3-lighthouse-${Date.now()}`;
  if (!/^[\w+=,.@-]{2,64}$/.test(name)) throw invalidArgument(E, `\`${label}.roleSessionName\` must be 2 to 64 of letters, digits and +=,.@_-.`);
  return name;
}

function fromAssumeRole(options) {
  const label = 'fromAssumeRole options';
  if (options === undefined || options === null) throw invalidArgument(E, '`fromAssumeRole(options)`: `options.roleArn` is required.');
  const o = checkOptions(E, options, label, ['roleArn', 'roleSessionName', 'durationSeconds', 'policy', 'externalId', 'credentials', 'region', 'endpoint']);
  const roleArn = optionalString(E, o.roleArn, `${label}.roleArn`);
  if (!roleArn) throw invalidArgument(E, `\`${label}.roleArn\` is required, e.g. "qcs::cam::uin/12345678:roleName/ops".`);
  if (!ROLE_ARN.test(roleArn)) throw invalidArgument(E, `\`${label}.roleArn\` must look like "qcs::cam::uin/12345678:roleName/ops".`);
  const roleSessionName = sessionName(o.roleSessionName, label);
  const durationSeconds = positiveInteger(E, o.durationSeconds, `${label}.durationSeconds`, 43200) ?? 7200;
  const policy = optionalString(E, o.policy, `${label}.policy`);
  const externalId = optionalString(E, o.externalId, `${label}.externalId`);
  const region = optionalString(E, o.region, `${label}.region`) ?? DEFAULT_REGION;
  const endpoint = stsEndpoint(optionalString(E, o.endpoint, `${label}.endpoint`));
  if (o.credentials !== undefined && o.credentials !== null && typeof o.credentials !== 'function' && typeof o.credentials !== 'object') {
    throw invalidArgument(E, `\`${label}.credentials\` must be credentials or a provider.`);
  }
  const what = `fromAssumeRole (STS AssumeRole of ${roleArn} at ${describeUrl(endpoint)})`;
  return memoize(
    E,
    async () => {
      let source;
      try {
        source = shared.checkCredentials(E, await sourceCredentials(o.credentials), `${what}: the credentials to sign with`);
      } catch (e) {
        throw credentialsError(E, `${what}: no credentials to sign with: ${e.message}`, e);
      }
      const params = { RoleArn: roleArn, RoleSessionName: roleSessionName, DurationSeconds: durationSeconds };
      if (policy) params.Policy = encodeURIComponent(policy); // STS wants the policy URL-encoded
      if (externalId) params.ExternalId = externalId;
      return shared.fromAnyShape(await stsCall({ action: 'AssumeRole', params, credentials: source, endpoint, region, what }));
    },
    what,
  );
}

/** fromWebIdentity's settings from `o`, else the TKE_* variables; NotHere names what is missing. */
function webIdentityOptions(o, label) {
  const roleArn = optionalString(E, o.roleArn, `${label}.roleArn`) ?? env('TKE_ROLE_ARN');
  const providerId = optionalString(E, o.providerId, `${label}.providerId`) ?? env('TKE_PROVIDER_ID');
  const tokenFile = optionalString(E, o.tokenFile, `${label}.tokenFile`) ?? env('TKE_WEB_IDENTITY_TOKEN_FILE');
  const missing = [
    [roleArn, 'roleArn (TKE_ROLE_ARN)'],
    [providerId, 'providerId (TKE_PROVIDER_ID)'],
    [tokenFile, 'tokenFile (TKE_WEB_IDENTITY_TOKEN_FILE)'],
  ]
    .filter(([v]) => !v)
    .map(([, n]) => n);
  return {
    roleArn,
    providerId,
    tokenFile,
    missing,
    region: optionalString(E, o.region, `${label}.region`) ?? env('TKE_REGION') ?? DEFAULT_REGION,
    roleSessionName: sessionName(o.roleSessionName, label),
    durationSeconds: positiveInteger(E, o.durationSeconds, `${label}.durationSeconds`, 43200) ?? 7200,
    endpoint: stsEndpoint(optionalString(E, o.endpoint, `${label}.endpoint`)),
  };
}

/** Raw credentials from AssumeRoleWithWebIdentity; the token file is read at each call (TKE rotates it). */
async function readWebIdentity(w) {
  if (w.missing.length) throw new NotHere(`${w.missing.join(', ')} not set`);
  const what = `STS AssumeRoleWithWebIdentity of ${w.roleArn} at ${describeUrl(w.endpoint)}`;
  let token;
  try {
    token = process.getBuiltinModule('node:fs').readFileSync(w.tokenFile, 'utf8').trim();
  } catch (e) {
    throw credentialsError(E, `${what}: the token file ${w.tokenFile} could not be read (${e?.code ?? e?.name}).`);
  }
  if (!token) throw credentialsError(E, `${what}: the token file ${w.tokenFile} is empty.`);
  const params = {
    ProviderId: w.providerId,
    WebIdentityToken: token,
    RoleArn: w.roleArn,
    RoleSessionName: w.roleSessionName,
    DurationSeconds: w.durationSeconds,
  };
  return shared.fromAnyShape(await stsCall({ action: 'AssumeRoleWithWebIdentity', params, credentials: null, endpoint: w.endpoint, region: w.region, what }));
}

function fromWebIdentity(options) {
  const label = 'fromWebIdentity options';
  const o = checkOptions(E, options, label, ['roleArn', 'providerId', 'tokenFile', 'region', 'roleSessionName', 'durationSeconds', 'endpoint']);
  const w = webIdentityOptions(o, label);
  return memoize(
    E,
    async () => {
      try {
        return await readWebIdentity(w);
      } catch (e) {
        if (e instanceof NotHere) throw credentialsError(E, `fromWebIdentity: ${e.message}.`);
        throw credentialsError(E, `fromWebIdentity: ${e.message}`, e.cause);
      }
    },
    'fromWebIdentity',
  );
}

/** STS GetCallerIdentity with `credentials`: { Arn, AccountId, UserId, PrincipalId, Type } (the CLI's whoami). */
async function getCallerIdentity(credentials, { endpoint, region } = {}) {
  const ep = stsEndpoint(endpoint);
  return stsCall({
    action: 'GetCallerIdentity',
    params: {},
    credentials,
    endpoint: ep,
    region: region ?? DEFAULT_REGION,
    what: `STS GetCallerIdentity at ${describeUrl(ep)}`,
  });
}

module.exports = { fromAssumeRole, fromWebIdentity, readWebIdentity, webIdentityOptions, getCallerIdentity, stsCall };
