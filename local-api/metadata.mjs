// The CVM/Lighthouse metadata service's CAM paths (metadata.tencentyun.com), on the same server:
//   GET /latest/meta-data/cam/security-credentials/        the instance's role name, as text (404: no role)
//   GET /latest/meta-data/cam/security-credentials/<role>  {"Code":"Success","TmpSecretId",...,"ExpiredTime",...}
// The credentials are minted by sts.mjs's `mint`, so the API then accepts them until they expire.

import { mint } from './sts.mjs';

const ROLE_PATH = '/latest/meta-data/cam/security-credentials/';

export const isMetadataPath = (path) => path.startsWith('/latest/');

/** Answers one metadata GET; `send` is http.mjs's. */
export function handleMetadata(service, req, res, path, send) {
  const { role, durationSeconds } = service.metadata;
  const text = (status, body) => send(service, res, status, 'text/plain; charset=utf-8', body);
  service.metadataLog.push({ time: Date.now(), path });
  if (req.method !== 'GET') return text(405, 'Method not allowed');
  if (path === ROLE_PATH || path === ROLE_PATH.slice(0, -1)) return role ? text(200, role) : text(404, 'Not found');
  if (!path.startsWith(ROLE_PATH)) return text(404, 'Not found');
  let name;
  try {
    name = decodeURIComponent(path.slice(ROLE_PATH.length));
  } catch {
    return text(404, 'Not found');
  }
  if (!role || name !== role) return text(404, 'Not found');
  const account = service.sts.accountId;
  const identity = {
    Arn: `qcs::sts:${account}:assumed-role/instance/${role}`,
    AccountId: account,
    UserId: `instance:${role}`,
    PrincipalId: account,
    Type: 'CAMRole',
    via: 'metadata',
  };
  const m = mint(service, identity, durationSeconds);
  const body = {
    TmpSecretId: m.Credentials.TmpSecretId,
    TmpSecretKey: m.Credentials.TmpSecretKey,
    ExpiredTime: m.ExpiredTime,
    Expiration: m.Expiration,
    Token: m.Credentials.Token,
    Code: 'Success',
  };
  return send(service, res, 200, 'application/json', JSON.stringify(body));
}
