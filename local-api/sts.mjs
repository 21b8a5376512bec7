// STS (sts.tencentcloudapi.com, version 2018-08-13) on the same server: AssumeRole and GetCallerIdentity
// (TC3-signed, service `sts`), AssumeRoleWithWebIdentity (unsigned, `Authorization: SKIP`). The temporary
// credentials it mints join the server's accepted credentials, with their token, until their ExpiredTime.
// Requests are told apart from Lighthouse's by X-TC-Version 2018-08-13 (both answer at "/").

import { randomBytes, randomUUID } from 'node:crypto';
import { ApiError, fail } from './errors.mjs';
import { apiContext } from './request.mjs';

export const STS_VERSION = '2018-08-13';
const ROLE_ARN = /^qcs::cam::uin\/(\d+):roleName\/([\w+=,.@-]{1,128})$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
export const DEFAULT_ACCOUNT = '100000000001';

const alnum = (n) =>
  randomBytes(n)
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, '')
    .padEnd(n, 'x')
    .slice(0, n);

/** True when `req` is for STS (its version header), not for Lighthouse. */
export function isStsRequest(req) {
  return req.headers['x-tc-version'] === STS_VERSION;
}

/**
 * Mints temporary credentials for `identity` valid `seconds` from the server's now, and registers them;
 * returns them in STS's shape.
 */
export function mint(service, identity, seconds) {
  const nowMs = service.model.now();
  const expiredTime = Math.floor(nowMs / 1000) + seconds;
  const cred = {
    secretId: `AKIDTmp${alnum(29)}`,
    secretKey: alnum(32),
    token: alnum(96),
    expiresAtMs: expiredTime * 1000,
    identity,
  };
  service.credentials.set(cred.secretId, cred);
  service.minted.push({ secretId: cred.secretId, expiredTime, arn: identity.Arn, via: identity.via });
  return {
    Credentials: { Token: cred.token, TmpSecretId: cred.secretId, TmpSecretKey: cred.secretKey },
    ExpiredTime: expiredTime,
    Expiration: new Date(expiredTime * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
}

function duration(params) {
  const d = params.DurationSeconds ?? 7200;
  if (!Number.isInteger(d) || d < 1 || d > 43200) fail('InvalidParameterValue', 'DurationSeconds must be an integer from 1 to 43200.');
  return d;
}

function roleIdentity(params, sts) {
  if (typeof params.RoleArn !== 'string') fail('MissingParameter', 'The parameter `RoleArn` is missing.');
  const m = ROLE_ARN.exec(params.RoleArn);
  if (!m) fail('InvalidParameterValue.RoleArn', 'RoleArn must look like qcs::cam::uin/12345678:roleName/ops.');
  if (sts.roles && !sts.roles.includes(m[2])) fail('ResourceNotFound.RoleNotExist', `The role ${m[2]} does not exist.`);
  if (typeof params.RoleSessionName !== 'string') fail('MissingParameter', 'The parameter `RoleSessionName` is missing.');
  if (!SESSION_NAME.test(params.RoleSessionName)) fail('InvalidParameterValue.RoleSessionName', 'RoleSessionName must be 2 to 64 of [\\w+=,.@-].');
  const principal = `${alnum(10)}:${params.RoleSessionName}`;
  return {
    Arn: `qcs::sts:${m[1]}:assumed-role/${alnum(12)}/${params.RoleSessionName}`,
    AccountId: m[1],
    UserId: principal,
    PrincipalId: m[1],
    Type: 'CAMRole',
    role: m[2],
  };
}

const ACTIONS = {
  AssumeRole(service, ctx, params) {
    service.verifier.verify(ctx, service.model.now(), service.cfg.maxSkewSeconds, 'sts');
    if (params.Policy !== undefined && typeof params.Policy !== 'string') fail('InvalidParameterValue.Policy', 'Policy must be a URL-encoded string.');
    const identity = { ...roleIdentity(params, service.sts), via: 'AssumeRole' };
    return mint(service, identity, duration(params));
  },
  AssumeRoleWithWebIdentity(service, ctx, params) {
    if (ctx.headers.authorization !== 'SKIP') fail('AuthFailure.InvalidAuthorization', 'AssumeRoleWithWebIdentity is called with `Authorization: SKIP`.');
    for (const k of ['ProviderId', 'WebIdentityToken']) {
      if (typeof params[k] !== 'string' || params[k] === '') fail('MissingParameter', `The parameter \`${k}\` is missing.`);
    }
    const oidc = service.sts.webIdentity;
    if (oidc?.providerId && params.ProviderId !== oidc.providerId) fail('InvalidParameter.ProviderIdNotFound', 'The identity provider is not found.');
    if (oidc?.tokens && !oidc.tokens.includes(params.WebIdentityToken))
      fail('InvalidParameter.WebIdentityTokenError', 'The web identity token is invalid or expired.');
    const identity = { ...roleIdentity(params, service.sts), via: 'AssumeRoleWithWebIdentity' };
    return mint(service, identity, duration(params));
  },
  GetCallerIdentity(service, ctx) {
    const cred = service.verifier.verify(ctx, service.model.now(), service.cfg.maxSkewSeconds, 'sts');
    if (cred.identity) {
      const { Arn, AccountId, UserId, PrincipalId, Type } = cred.identity;
      return { Arn, AccountId, UserId, PrincipalId, Type };
    }
    const account = service.sts.accountId;
    return { Arn: `qcs::cam::uin/${account}:uin/${account}`, AccountId: account, UserId: account, PrincipalId: account, Type: 'CAMUser' };
  },
};

/** Answers one STS request (`body`: a Buffer), logged as the API's are. */
export function handleSts(service, req, res, body, send) {
  const ctx = apiContext(req, body, false, '');
  const entry = {
    time: Date.now(),
    action: ctx.action,
    secretId: ctx.auth?.secretId ?? null,
    params: null,
    status: 200,
    errorCode: null,
    requestId: ctx.requestId,
    fault: null,
    ok: false,
  };
  service.log.push(entry);
  service.counters.total++;
  service.counters.byAction[ctx.action ?? '(none)'] = (service.counters.byAction[ctx.action ?? '(none)'] ?? 0) + 1;
  let answer;
  try {
    if (!Object.hasOwn(ACTIONS, ctx.action ?? '')) fail('InvalidAction', `The action \`${ctx.action}\` is not found or not supported by sts ${STS_VERSION}.`);
    if (!ctx.params.ok) fail('InvalidParameter', ctx.params.error);
    answer = { Response: { ...ACTIONS[ctx.action](service, ctx, ctx.params.value), RequestId: ctx.requestId } };
    entry.ok = true;
  } catch (e) {
    const err = e instanceof ApiError ? e : new ApiError('InternalError', `An internal error has occurred: ${e?.message ?? e}`);
    entry.errorCode = err.code;
    service.counters.errors++;
    answer = { Response: { Error: { Code: err.code, Message: err.message }, RequestId: ctx.requestId ?? randomUUID() } };
  }
  send(service, res, 200, 'application/json', JSON.stringify(answer));
}
