//! TypeScript declarations for the shapes the exports take and return.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const SIGN_TYPES: &'static str = r#"
/** What `signRequest` signs. */
export interface SignInput {
  secretId: string;
  secretKey: string;
  /** Session token of temporary (STS) credentials; sent as X-TC-Token, not signed. */
  token?: string;
  /** Default "lighthouse". */
  service?: string;
  /** Default "lighthouse.tencentcloudapi.com"; include ":port" when the wire Host has one. */
  host?: string;
  action: string;
  /** Default "2020-03-24". */
  version?: string;
  region?: string;
  language?: "zh-CN" | "en-US";
  /** Unix seconds; default: now. */
  timestamp?: number;
  /** Default "POST". */
  method?: "POST" | "GET";
  /** Default "application/json" (POST), "application/x-www-form-urlencoded" (GET). */
  contentType?: string;
  /** GET: the query string exactly as sent, without "?". */
  query?: string;
  /** POST: the exact body; its UTF-8 bytes are signed. Default "{}" (POST), "" (GET). */
  payload?: string;
}

/** Every stage of the signature and every header to send. */
export interface SignedRequest {
  authorization: string;
  signature: string;
  canonicalRequest: string;
  stringToSign: string;
  credentialScope: string;
  timestamp: number;
  /** Authorization, Content-Type, Host, X-TC-Action, X-TC-Version, X-TC-Timestamp, and X-TC-Region/-Token/-Language when given. */
  headers: Record<string, string>;
}
"#;

#[wasm_bindgen(typescript_custom_section)]
const CLIENT_TYPES: &'static str = r#"
/** Credentials; `token` and `expiresAt` come with temporary (STS) credentials. */
export interface Credentials { secretId: string; secretKey: string; token?: string; expiresAt?: number /* Unix s */ }

export interface ClientConfig {
  /** A static object or an async provider (cached until 5 min before `expiresAt`). Node default: TENCENTCLOUD_SECRET_ID/_SECRET_KEY/_SESSION_TOKEN. */
  credentials?: Credentials | (() => Promise<Credentials>);
  /** Sent as X-TC-Region. */
  region?: string;
  /** Default "https://lighthouse.tencentcloudapi.com"; any URL, e.g. "http://127.0.0.1:8080"; a path ("/api/tc3") with `unsigned`. */
  endpoint?: string;
  /** Default "lighthouse", whatever the endpoint's host is. */
  service?: string;
  language?: "zh-CN" | "en-US";
  /** Per attempt. */
  timeoutMs?: number;
  /** Attempts in all for retries of safe failures (throttling; transient failures of reads). Default 3. */
  maxAttempts?: number;
  /** Default: the global fetch. */
  fetch?: typeof fetch;
  /** The endpoint is a signing proxy (`createSigningProxy`): send requests unsigned, hold no credentials. */
  unsigned?: boolean;
  /** Default true: wait for the realm-wide limiter (10 requests/second per SecretId and action). */
  rateLimit?: boolean;
}

export interface CallOptions { signal?: AbortSignal; timeoutMs?: number }

export interface Container {
  ContainerImage: string; ContainerName?: string; Envs?: Array<{ Key: string; Value: string }>;
  PublishPorts?: Array<{ HostPort: number; ContainerPort: number; Ip?: string; Protocol?: string }>;
  Volumes?: Array<{ ContainerPath: string; HostPath: string }>; Command?: string; RestartPolicy?: string;
}
export interface LoginConfiguration { AutoGeneratePassword?: "YES" | "NO"; Password?: string; KeyIds?: string[] }
export interface ResetInstanceRequest {
  InstanceId: string;
  /** Without it the current image is reinstalled. */
  BlueprintId?: string;
  Containers?: Container[];
  LoginConfiguration?: LoginConfiguration;
}
export interface ResetInstanceResponse { RequestId: string }

export interface Filter { Name: string; Values: string[] }
export interface DescribeInstancesRequest { InstanceIds?: string[]; Filters?: Filter[]; Offset?: number; Limit?: number }
export interface DescribeBlueprintsRequest { BlueprintIds?: string[]; Filters?: Filter[]; Offset?: number; Limit?: number }

export type InstanceState = "PENDING" | "LAUNCH_FAILED" | "RUNNING" | "STOPPED" | "STARTING" | "STOPPING" | "REBOOTING"
  | "SHUTDOWN" | "TERMINATING" | "DELETING" | "FREEZING" | "ENTER_RESCUE_MODE" | "RESCUE_MODE" | "EXIT_RESCUE_MODE";

export interface Instance {
  InstanceId: string; InstanceName: string; InstanceState: InstanceState | string;
  BundleId?: string; BlueprintId: string; CPU?: number; Memory?: number; OsName?: string; Platform?: string;
  PlatformType?: "LINUX_UNIX" | "WINDOWS" | string; Zone?: string;
  PublicAddresses?: string[]; PrivateAddresses?: string[]; CreatedTime?: string; ExpiredTime?: string;
  LatestOperation?: string | null; LatestOperationState?: "SUCCESS" | "OPERATING" | "FAILED" | null | string;
  LatestOperationRequestId?: string | null; LatestOperationStartedTime?: string | null;
  [field: string]: unknown;
}
export interface DescribeInstancesResponse { TotalCount: number; InstanceSet: Instance[]; RequestId: string }

export interface Blueprint {
  BlueprintId: string; DisplayTitle?: string; DisplayVersion?: string; Description?: string; OsName?: string;
  Platform?: string; PlatformType?: "LINUX_UNIX" | "WINDOWS" | string;
  BlueprintType?: "APP_OS" | "PURE_OS" | "DOCKER" | "PRIVATE" | "SHARED" | string; BlueprintState?: string;
  RequiredSystemDiskSize?: number; RequiredMemorySize?: number; ImageUrl?: string;
  [field: string]: unknown;
}
export interface DescribeBlueprintsResponse { TotalCount: number; BlueprintSet: Blueprint[]; RequestId: string }
"#;

#[wasm_bindgen(typescript_custom_section)]
const WAITER_TYPES: &'static str = r#"
/** What to wait for: the instance, and the RequestId of the reset when known (then only that reset counts). */
export interface WaitInput { InstanceId: string; RequestId?: string }

export interface ProgressEvent {
  InstanceId: string; LatestOperationState: string | null; InstanceState: string;
  attempt: number; elapsedSeconds: number; instance: Instance;
}

export interface WaiterOptions {
  /** Default 1200 (20 minutes). */
  maxWaitSeconds?: number;
  /** Default 5. */
  minDelaySeconds?: number;
  /** Default 30. */
  maxDelaySeconds?: number;
  signal?: AbortSignal;
  /** Per DescribeInstances attempt. */
  timeoutMs?: number;
  /** Called on every poll. */
  onProgress?: (event: ProgressEvent) => void;
}

export interface ResetInstancesOptions extends WaiterOptions {
  /** Default true: wait for every reset to finish. */
  wait?: boolean;
  /** Resets in flight at once; default 10 (the limiter paces them anyway). */
  concurrency?: number;
}

export interface ResetInstancesResult {
  InstanceId: string; ok: boolean; RequestId?: string; instance?: Instance; error?: TencentCloudError;
}
"#;

#[wasm_bindgen(typescript_custom_section)]
const PROXY_TYPES: &'static str = r#"
export interface SigningProxyConfig extends ClientConfig {
  /** Default ["ResetInstance", "DescribeInstances", "DescribeBlueprints"]. */
  allowActions?: string[];
  /** Largest request body accepted, in bytes; default 65536. */
  maxBodyBytes?: number;
}
"#;
