// The STS and metadata parts' options and handle methods, kept out of server.mjs (see README: STS and metadata).

import { DEFAULT_ACCOUNT } from './sts.mjs';

/** The service's STS/metadata state from startLighthouseApi's `sts` and `metadata` options. */
export function stsState(options) {
  const sts = options.sts ?? {};
  const metadata = options.metadata ?? {};
  return {
    sts: { accountId: sts.accountId ?? DEFAULT_ACCOUNT, roles: sts.roles ?? null, webIdentity: sts.webIdentity ?? null },
    metadata: {
      role: metadata.role === undefined ? 'local-instance-role' : metadata.role,
      durationSeconds: metadata.durationSeconds ?? 21600,
    },
    minted: [],
    metadataLog: [],
  };
}

/** api.minted, api.metadataLog, api.configureMetadata(), api.expireTemporaryCredentials(). */
export function stsHandle(service) {
  return {
    /** Every temporary credential minted: { secretId, expiredTime, arn, via } (never the key or token). */
    get minted() {
      return service.minted;
    },
    /** Every metadata GET: { time, path }. */
    get metadataLog() {
      return service.metadataLog;
    },
    /** Change `role` (null: no role) and `durationSeconds` of the metadata service at run time. */
    configureMetadata(patch = {}) {
      if ('role' in patch) service.metadata.role = patch.role;
      if ('durationSeconds' in patch) service.metadata.durationSeconds = patch.durationSeconds;
      return { ...service.metadata };
    },
    /** Make every minted credential expired now (the API then answers AuthFailure.TokenFailure to them). */
    expireTemporaryCredentials() {
      for (const c of service.credentials.values()) if (c.expiresAtMs != null) c.expiresAtMs = 0;
    },
  };
}
