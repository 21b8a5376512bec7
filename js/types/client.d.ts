// ---------------------------------------------------------------------------------------------------------
// The client, waiters, fleets and the signing proxy: common to browsers, workers and Node. Appended to
// sign.d.ts (it uses Instance and TencentCloudError from there).
// ---------------------------------------------------------------------------------------------------------

/** Credentials; `token` and `expiresAt` come with temporary (STS) credentials. */
export interface Credentials {
  secretId: string;
  secretKey: string;
  /** Session token of temporary credentials, sent as `X-TC-Token`. */
  token?: string;
  /** Unix seconds. A provider's credentials are reused until 5 minutes before it. */
  expiresAt?: number;
}

/** An async function yielding credentials, e.g. temporary ones fetched from your backend. */
export type CredentialProvider = () => Promise<Credentials>;

/** How a client reaches the API. Every field is optional. */
export interface ClientConfig {
  /**
   * A static object, or a provider called when credentials are needed (cached until 5 minutes before
   * `expiresAt`; one refresh shared by concurrent calls). Node default: {@link defaultCredentials}'s chain
   * (environment, profile file, TKE OIDC, CVM role), one instance shared by every client without `credentials`.
   */
  credentials?: Credentials | CredentialProvider | (() => Credentials | PromiseLike<Credentials>);
  /** Sent as `X-TC-Region`, e.g. `"ap-guangzhou"`. DescribeInstances answers for this region only. */
  region?: string;
  /**
   * Default `"https://lighthouse.tencentcloudapi.com"`. Any URL (`"http://127.0.0.1:8080"`), or a
   * same-origin path (`"/api"`) together with `unsigned: true`.
   */
  endpoint?: string;
  /** The service name signed. Default `"lighthouse"`, whatever the endpoint's host is. */
  service?: string;
  /** Sent as `X-TC-Language`. */
  language?: "zh-CN" | "en-US";
  /** Milliseconds per attempt. Default: no timeout. */
  timeoutMs?: number;
  /** Attempts in all (1 to 20) for failures that are safe to retry. Default 3. */
  maxAttempts?: number;
  /** Default: the global `fetch` (Node 20, pages, workers). */
  fetch?: typeof fetch;
  /** Talk to a signing proxy ({@link createSigningProxy}): send no credentials and no signature. Default false. */
  unsigned?: boolean;
  /** Wait for the realm-wide limiter (10 requests/second per SecretId and action, see {@link setRateLimit}). Default true. */
  rateLimit?: boolean;
  /**
   * Where the client says what it did (`console` works): one entry per attempt, retry, throttle wait,
   * clock-skew correction, credentials refresh and reconciliation. Never a secret, a token, a signature or a body.
   */
  logger?: Logger;
}

/** A logger: `console`, or any object with some of these methods (a missing one drops its entries). */
export interface Logger {
  debug?(message: string, data?: LogData): void;
  info?(message: string, data?: LogData): void;
  warn?(message: string, data?: LogData): void;
  error?(message: string, data?: LogData): void;
}

/** What a log entry reports (`event`), and about which attempt. */
export interface LogData {
  event:
    | "attempt"
    | "retry"
    | "rateLimitWait"
    | "clockSkew"
    | "credentialsRefresh"
    | "reconcileStarted"
    | "reconciledHappened"
    | "reconciledNotHappened";
  action: string;
  region?: string;
  /** From 1. */
  attempt: number;
  /** The HTTP status, when there was an answer. */
  status?: number;
  /** The error code, when it failed. */
  code?: string;
  requestId?: string;
  /** Milliseconds: the attempt's duration, the wait before a retry or send, or the clock offset. */
  ms: number;
}

/** The last argument of every call. */
export interface CallOptions {
  /** Aborts the call (`ClientError.Aborted`); its fetch, timers and listeners are cancelled. */
  signal?: AbortSignal;
  /** Milliseconds per attempt; overrides the config's. */
  timeoutMs?: number;
}

/** The paginators' options: a call's, and the page size. */
export interface PaginateOptions extends CallOptions {
  /** Items asked for per page (`Limit`): an integer from 1 to 100. Default `input.Limit`, else 100. */
  pageSize?: number;
}

// ---------------------------------------------------------------------------------------------------------
// Waiters and fleets
// ---------------------------------------------------------------------------------------------------------

/** What to wait for: the instance, and the RequestId of the reset when known (then only that reset counts). */
export interface WaitInput {
  InstanceId: string;
  RequestId?: string;
}

/** What a waiter saw on one poll. */
export interface ProgressEvent {
  InstanceId: string;
  LatestOperationState: LatestOperationState | (string & {}) | null;
  InstanceState: InstanceState | (string & {});
  /** Which poll this is, counted from 0 (0 on the first). */
  attempt: number;
  /** Seconds since the wait began, to a tenth. */
  elapsedSeconds: number;
  instance: Instance;
}

/** How a waiter polls DescribeInstances. */
export interface WaiterOptions {
  /** Never waits past it. Default 1200 (20 minutes). */
  maxWaitSeconds?: number;
  /** The shortest delay between polls; they back off exponentially with full jitter. Default 5. */
  minDelaySeconds?: number;
  /** The longest delay between polls. Default 30. */
  maxDelaySeconds?: number;
  /** Aborts the wait (`ClientError.Aborted`). */
  signal?: AbortSignal;
  /** Milliseconds per DescribeInstances attempt. */
  timeoutMs?: number;
  /** Called on every poll. */
  onProgress?: (event: ProgressEvent) => void;
}

/** `resetInstanceAndWait`'s options. */
export interface ResetInstanceAndWaitOptions extends WaiterOptions {
  /**
   * Wait for an operation in progress to end before resetting, instead of failing with kind `busy`.
   * Default false.
   */
  waitForIdle?: boolean;
}

/** `resetInstances`' options. */
export interface ResetInstancesOptions extends WaiterOptions {
  /** Wait for every reset to finish. Default true. */
  wait?: boolean;
  /** Resets in flight at once, 1 to 1000. Default 10 (the limiter paces them anyway). */
  concurrency?: number;
  /**
   * Makes the fleet resumable: an `intent` is appended (and flushed) before each reset is sent, `sent` with
   * its RequestId when answered, the outcome when waited for. Run again on the same journal after a crash, no
   * instance is reset twice. Node: {@link fileJournal}. The browser build refuses it (`ClientError.Unsupported`).
   */
  journal?: Journal;
}

/** Where a fleet records what it did, so a run that was interrupted can be run again safely. */
export interface Journal {
  /** The entries of earlier runs, in the order appended. */
  load(): Promise<JournalEntry[]>;
  /** Appends one entry durably; the fleet sends nothing for the item until it resolves. */
  append(entry: JournalEntry): Promise<void>;
}

/** One journal entry. */
export interface JournalEntry {
  InstanceId: string;
  RequestId?: string;
  state: "intent" | "sent" | "succeeded" | "failed";
  /** Unix milliseconds. */
  at: number;
}

/** One instance of a fleet whose reset was accepted (and, with `wait`, finished in SUCCESS). */
export interface ResetInstancesSuccess {
  InstanceId: string;
  ok: true;
  RequestId: string;
  /** With `wait`: the instance once reset. */
  instance?: Instance;
  error?: undefined;
}

/** One instance of a fleet that failed: refused, not reset, or the wait failed (then `RequestId` is known). */
export interface ResetInstancesFailure {
  InstanceId: string;
  ok: false;
  RequestId?: string;
  instance?: undefined;
  error: TencentCloudError;
}

/** One item of `resetInstances`' result, in input order; check `ok`. */
export type ResetInstancesResult = ResetInstancesSuccess | ResetInstancesFailure;

// ---------------------------------------------------------------------------------------------------------
// The client
// ---------------------------------------------------------------------------------------------------------

/**
 * A Lighthouse client over `fetch`: signs, retries safe failures, resets exactly once, corrects clock skew,
 * and waits under the realm-wide rate limiter. Printing or serialising it shows the endpoint only.
 *
 * @example
 * const client = new LighthouseClient({ region: 'ap-guangzhou' });   // Node: credentials from TENCENTCLOUD_*
 * const { RequestId } = await client.resetInstance({ InstanceId: 'lhins-ruy9d2tw', BlueprintId: 'lhbp-5e8807lo' });
 * const instance = await client.waitUntilInstanceReset({ InstanceId: 'lhins-ruy9d2tw', RequestId });
 */
export declare class LighthouseClient {
  /** Checks the config at once (`ClientError.InvalidArgument`). */
  constructor(config?: ClientConfig);
  /**
   * Starts reinstalling an instance's image. Never resets twice: when an answer is lost, the client
   * asks DescribeInstances whether its reset started.
   * @example
   * const { RequestId } = await client.resetInstance({ InstanceId: 'lhins-ruy9d2tw' });
   */
  resetInstance(input: ResetInstanceRequest, options?: CallOptions): Promise<ResetInstanceResponse>;
  /**
   * Lists instances (of the config's region); retried on throttling and transient failures.
   * @example
   * const { InstanceSet } = await client.describeInstances({ InstanceIds: ['lhins-ruy9d2tw'] });
   */
  describeInstances(input?: DescribeInstancesRequest, options?: CallOptions): Promise<DescribeInstancesResponse>;
  /**
   * Lists images.
   * @example
   * const { BlueprintSet } = await client.describeBlueprints({ Filters: [{ Name: 'platform-type', Values: ['LINUX_UNIX'] }] });
   */
  describeBlueprints(input?: DescribeBlueprintsRequest, options?: CallOptions): Promise<DescribeBlueprintsResponse>;
  /**
   * Lists the images this instance can be reset to (in the config's region), each with `IsResettable` and,
   * when false, the service's `NonResettableMessage` saying why. `InstanceId` is checked before any request.
   * @example
   * const { ResetInstanceBlueprintSet } = await client.describeResetInstanceBlueprints({ InstanceId: 'lhins-ruy9d2tw' });
   * const usable = ResetInstanceBlueprintSet.filter((b) => b.IsResettable).map((b) => b.BlueprintInfo);
   */
  describeResetInstanceBlueprints(
    input: DescribeResetInstanceBlueprintsRequest,
    options?: CallOptions,
  ): Promise<DescribeResetInstanceBlueprintsResponse>;
  /**
   * Every page of DescribeInstances: `Offset` advanced by `pageSize` (default 100; `input.Limit` when given)
   * until `TotalCount` is reached. Bad input throws `ClientError.InvalidArgument` naming the field.
   * @example
   * for await (const page of client.paginateDescribeInstances({ Filters: [{ Name: 'instance-state', Values: ['RUNNING'] }] })) {
   *   for (const i of page.InstanceSet) console.log(i.InstanceId);
   * }
   */
  paginateDescribeInstances(input?: DescribeInstancesRequest, options?: PaginateOptions): AsyncIterableIterator<DescribeInstancesResponse>;
  /** Every page of DescribeBlueprints, as `paginateDescribeInstances` does. */
  paginateDescribeBlueprints(input?: DescribeBlueprintsRequest, options?: PaginateOptions): AsyncIterableIterator<DescribeBlueprintsResponse>;
  /**
   * Calls any Lighthouse action and resolves with the API's `Response` object (RequestId included).
   * `T` is what you expect back; it is not checked at run time.
   * @example
   * const r = await client.request<{ TotalCount: number; ZoneInfoSet: object[] }>('DescribeZones');
   */
  request<T extends object = Record<string, unknown>>(action: string, params?: object, options?: CallOptions): Promise<T>;
  /**
   * Resolves with the instance once its latest operation is this ResetInstance (by RequestId, when given)
   * in SUCCESS. Rejects with `WaiterError.OperationFailed`, `WaiterError.Timeout`, `ClientError.Aborted`,
   * `ResourceNotFound.InstanceNotFound` (missing from more than three polls in a row) or the API's error.
   */
  waitUntilInstanceReset(input: WaitInput, options?: WaiterOptions): Promise<Instance>;
  /**
   * Resets (exactly once) and waits for the reset to finish; with `waitForIdle`, first waits for an
   * operation in progress to end.
   * @example
   * const instance = await client.resetInstanceAndWait({ InstanceId: 'lhins-ruy9d2tw' }, { onProgress: (e) => console.log(e.LatestOperationState) });
   */
  resetInstanceAndWait(input: ResetInstanceRequest, options?: ResetInstanceAndWaitOptions): Promise<Instance>;
  /**
   * Resets many instances. Every item settles (one bad item rejects nothing); results come in input
   * order. With `wait` (default true) the waits share one poller asking for up to 100 instances a call.
   * @example
   * const results = await client.resetInstances(ids.map((InstanceId) => ({ InstanceId })), { concurrency: 10 });
   * for (const r of results) if (!r.ok) console.error(r.InstanceId, r.error.code);
   */
  resetInstances(inputs: readonly ResetInstanceRequest[], options?: ResetInstancesOptions): Promise<ResetInstancesResult[]>;
  /**
   * Releases the client's wasm memory now rather than at garbage collection; the client is unusable
   * afterwards. Optional: clients are freed when collected.
   */
  free(): void;
  /** `LighthouseClient { endpoint: <url> }`: no credentials. */
  toString(): string;
  /** What `JSON.stringify` shows: the endpoint, never credentials. */
  toJSON(): { endpoint: string };
}

/**
 * Resets an instance with a one-off client; `config` carries the call options too.
 * @example
 * await resetInstance({ InstanceId: 'lhins-ruy9d2tw' }, { credentials, region: 'ap-guangzhou', timeoutMs: 10_000 });
 */
export declare function resetInstance(input: ResetInstanceRequest, config: ClientConfig & CallOptions): Promise<ResetInstanceResponse>;

/**
 * Waits for a reset with a one-off client (see `LighthouseClient.waitUntilInstanceReset`); `config`
 * carries the waiter options too.
 * @example
 * const instance = await waitUntilInstanceReset({ InstanceId: 'lhins-ruy9d2tw', RequestId }, { region: 'ap-guangzhou', maxWaitSeconds: 600 });
 */
export declare function waitUntilInstanceReset(input: WaitInput, config: ClientConfig & WaiterOptions): Promise<Instance>;

/**
 * Resets and waits with a one-off client (see `LighthouseClient.resetInstanceAndWait`).
 * @example
 * const instance = await resetInstanceAndWait({ InstanceId: 'lhins-ruy9d2tw' }, { region: 'ap-guangzhou', waitForIdle: true });
 */
export declare function resetInstanceAndWait(
  input: ResetInstanceRequest,
  config: ClientConfig & WaiterOptions & { waitForIdle?: boolean },
): Promise<Instance>;

/**
 * Resets a fleet with a one-off client (see `LighthouseClient.resetInstances`).
 * @example
 * const results = await resetInstances([{ InstanceId: 'lhins-ruy9d2tw' }], { region: 'ap-guangzhou', wait: false });
 */
export declare function resetInstances(
  inputs: readonly ResetInstanceRequest[],
  config: ClientConfig & ResetInstancesOptions,
): Promise<ResetInstancesResult[]>;

/**
 * Sets the client-side rate limit shared by every client in this JS realm: `requestsPerSecond` per
 * SecretId for `action` (every action when omitted); `false` or 0 turns it off. Default 10 requests/second
 * (ResetInstance's documented limit).
 * @example
 * setRateLimit(5, 'ResetInstance');
 */
export declare function setRateLimit(requestsPerSecond: number | false, action?: string): void;

/** What a signing proxy accepts: a client config plus the proxy's limits. */
export interface SigningProxyConfig extends ClientConfig {
  /**
   * The actions forwarded. Default `["ResetInstance", "DescribeInstances", "DescribeBlueprints", "DescribeResetInstanceBlueprints"]`;
   * others are refused with `UnauthorizedOperation.ActionNotAllowed`.
   */
  allowActions?: readonly string[];
  /** The largest request body accepted, in bytes. Default 65536. */
  maxBodyBytes?: number;
}

/** A fetch-style handler: what edge runtimes (workerd, Deno, Bun) serve. */
export type SigningProxyHandler = (request: Request) => Promise<Response>;

/**
 * The backend half of a browser console: a handler that takes the API's request shape unsigned (POST,
 * `X-TC-Action`/`X-TC-Region` headers, JSON body), allows only `allowActions`, signs with the config's
 * credentials and forwards through a client (limiter, retries, exactly-once resets). Refusals come in
 * the API's own error shape. Server-side only (Node, Deno, Bun, Cloudflare Workers): the browser build
 * leaves it out and throws `ClientError.Unsupported`.
 * @example
 * const handler = createSigningProxy({ region: 'ap-guangzhou' });   // Node: credentials from TENCENTCLOUD_*
 * export default { fetch: handler };                                 // a worker; Node: toNodeListener(handler)
 */
export declare function createSigningProxy(config?: SigningProxyConfig): SigningProxyHandler;
