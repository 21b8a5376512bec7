// ---------------------------------------------------------------------------------------------------------
// Node only: appended to sign.d.ts + client.d.ts in the `node` entries. Uses @types/node's node:http types.
// ---------------------------------------------------------------------------------------------------------

/** `toNodeListener`'s options. */
export interface NodeListenerOptions {
  /** The largest request body buffered, in bytes; larger ones get HTTP 413. Default 1048576 (1 MiB). */
  maxBodyBytes?: number;
}

/**
 * Wraps a fetch-style handler (such as {@link createSigningProxy}'s) as a `node:http` request listener.
 * The body is buffered up to `maxBodyBytes`; a client that disconnects aborts the request's signal.
 * Edge runtimes need no wrapper: serve the handler as is.
 * @example
 * import http from 'node:http';
 * http.createServer(toNodeListener(createSigningProxy({ region: 'ap-guangzhou' }))).listen(8080);
 */
export declare function toNodeListener(
  handler: (request: Request) => Response | Promise<Response>,
  options?: NodeListenerOptions,
): (req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse) => void;

// ---------------------------------------------------------------------------------------------------------
// Node-only credential providers (also Deno and Bun through the `node` condition). Each returns a provider
// that caches until 5 minutes before expiry, shares one refresh between concurrent calls, retries on the next
// call after a failure (backing off when failures repeat) and rejects with `ClientError.Credentials`.
// ---------------------------------------------------------------------------------------------------------

/** `TENCENTCLOUD_SECRET_ID`, `TENCENTCLOUD_SECRET_KEY` and `TENCENTCLOUD_SESSION_TOKEN`, read at each call. */
export declare function fromEnv(): CredentialProvider;

/** `fromProfile`'s options. */
export interface FromProfileOptions {
  /** The section; default `TENCENTCLOUD_PROFILE`, else `"default"`. */
  profile?: string;
  /** Default `TENCENTCLOUD_CREDENTIALS_FILE`, else `~/.tencentcloud/credentials`, else `/etc/tencentcloud/credentials`. */
  file?: string;
}

/** An INI profile: `secret_id`, `secret_key` and optionally `token` of `[default]` (or `profile`). */
export declare function fromProfile(options?: FromProfileOptions): CredentialProvider;

/** `fromCvmRole`'s options. */
export interface FromCvmRoleOptions {
  /** Default: the role the metadata service names. */
  roleName?: string;
  /** Default `TENCENTCLOUD_METADATA_ENDPOINT`, else `"http://metadata.tencentyun.com"`. */
  endpoint?: string;
  /** Per request; default 1000. */
  timeoutMs?: number;
}

/**
 * The CVM or Lighthouse instance's CAM role, from the metadata service. `TENCENTCLOUD_METADATA_DISABLED=true`
 * switches the default endpoint off (an `endpoint` given here still works).
 */
export declare function fromCvmRole(options?: FromCvmRoleOptions): CredentialProvider;

/** `fromAssumeRole`'s options. */
export interface FromAssumeRoleOptions {
  /** e.g. `"qcs::cam::uin/12345678:roleName/ops"`. */
  roleArn: string;
  /** Default `"tc3-lighthouse-<ms>"`. */
  roleSessionName?: string;
  /** Default 7200, at most 43200. */
  durationSeconds?: number;
  /** A CAM policy (JSON text): the session can do at most what it allows. */
  policy?: string;
  externalId?: string;
  /** What AssumeRole is signed with; default the default chain. */
  credentials?: Credentials | CredentialProvider;
  /** Default `"ap-guangzhou"`. */
  region?: string;
  /** Default `TENCENTCLOUD_STS_ENDPOINT`, else `"https://sts.tencentcloudapi.com"`. */
  endpoint?: string;
}

/** STS AssumeRole, signed with the package's own signer: a role's temporary credentials. */
export declare function fromAssumeRole(options: FromAssumeRoleOptions): CredentialProvider;

/** `fromWebIdentity`'s options; each defaults to its TKE variable. */
export interface FromWebIdentityOptions {
  /** Default `TKE_ROLE_ARN`. */
  roleArn?: string;
  /** Default `TKE_PROVIDER_ID`. */
  providerId?: string;
  /** Default `TKE_WEB_IDENTITY_TOKEN_FILE`; read at each refresh. */
  tokenFile?: string;
  /** Default `TKE_REGION`, else `"ap-guangzhou"`. */
  region?: string;
  roleSessionName?: string;
  durationSeconds?: number;
  endpoint?: string;
}

/** STS AssumeRoleWithWebIdentity (TKE OIDC pods), which STS takes unsigned. */
export declare function fromWebIdentity(options?: FromWebIdentityOptions): CredentialProvider;

/** `defaultCredentials`'s options. */
export interface DefaultCredentialsOptions {
  /** A named profile: it must exist, and the environment is skipped. */
  profile?: string;
  /** For the CVM role step. */
  metadataEndpoint?: string;
  /** For the TKE OIDC step. */
  stsEndpoint?: string;
}

/** The default chain's provider; `source` says which step gave the last credentials (never a secret). */
export type DefaultCredentialProvider = CredentialProvider & { readonly source: string | undefined };

/**
 * env -> profile file -> TKE OIDC (when its variables are set) -> CVM role; the first that yields wins. The
 * default `credentials` of every client, the signing proxy and the CLI in Node.
 */
export declare function defaultCredentials(options?: DefaultCredentialsOptions): DefaultCredentialProvider;
/**
 * A fleet's journal in a file: one JSON line per entry, each appended and flushed to disk (fsync) before the
 * fleet goes on; a torn last line (the process died mid-write) is ignored. Pass it to `resetInstances`.
 * @example
 * await client.resetInstances(inputs, { journal: fileJournal('reset.journal') });   // run again after a crash: no reset twice
 */
export declare function fileJournal(path: string): Journal & { readonly path: string };
