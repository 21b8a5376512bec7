// ---------------------------------------------------------------------------------------------------------
// Credential providers every entry has (pages, workers, workerd, Node). Appended to client.d.ts.
// ---------------------------------------------------------------------------------------------------------

/** `fromHttp`'s options. */
export interface FromHttpOptions {
  /** Sent with the GET, e.g. a CSRF header your backend checks. */
  headers?: Record<string, string>;
  /** Default: the global fetch. */
  fetch?: typeof fetch;
  /** Default 5000. */
  timeoutMs?: number;
}

/**
 * Temporary credentials from your backend: GETs `url`, which answers `{ secretId, secretKey, token, expiresAt }`
 * or STS's `{ TmpSecretId, TmpSecretKey, Token, ExpiredTime }` (also inside `Credentials` or `Response`).
 * Cached until 5 minutes before expiry, one fetch shared by concurrent calls; a failure rejects with
 * `ClientError.Credentials` naming the URL (without its query string) and the cause. For pages and workers.
 * @example
 * const client = new LighthouseClient({ credentials: fromHttp('/api/sts-credentials'), endpoint: 'https://lighthouse.tencentcloudapi.com' });
 */
export declare function fromHttp(url: string | URL, options?: FromHttpOptions): CredentialProvider;
