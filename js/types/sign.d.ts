// ---------------------------------------------------------------------------------------------------------
// Signing: signRequest and the error class every export throws. This fragment alone is the types of
// `tc3-lighthouse/sign`; the other entries append js/types/client.d.ts (and Node's js/types/node.d.ts).
// Only `export declare` / `export interface` / `export type`: each concatenation is a module on its own,
// ESM or CommonJS. Nothing from Node or outside lib ES2022 + DOM.
// ---------------------------------------------------------------------------------------------------------

/** What {@link signRequest} signs. Field names are camelCase; defaults are those of Lighthouse. */
export interface SignInput {
  /** The SecretId of the credentials. */
  secretId: string;
  /** The SecretKey. It stays in wasm memory and is never printed, in any message or property. */
  secretKey: string;
  /** Session token of temporary (STS) credentials: sent as `X-TC-Token`, not signed. */
  token?: string;
  /** The API's service name, signed into the credential scope. Default `"lighthouse"`. */
  service?: string;
  /** The Host header as sent. Default `"lighthouse.tencentcloudapi.com"`; include `":port"` when the wire Host has one. */
  host?: string;
  /** The action, e.g. `"ResetInstance"`; sent as `X-TC-Action`. */
  action: string;
  /** The API version, sent as `X-TC-Version`. Default `"2020-03-24"`. */
  version?: string;
  /** Sent as `X-TC-Region`, e.g. `"ap-guangzhou"`. */
  region?: string;
  /** Sent as `X-TC-Language`. */
  language?: "zh-CN" | "en-US";
  /** Unix seconds. Default: now. The credential scope uses its **UTC** date. */
  timestamp?: number;
  /** Default `"POST"`. */
  method?: "POST" | "GET";
  /** Default `"application/json"` (POST), `"application/x-www-form-urlencoded"` (GET). */
  contentType?: string;
  /** GET: the query string exactly as sent, without `"?"`. */
  query?: string;
  /** POST: the exact body; its UTF-8 bytes are signed, so send these very bytes. Default `"{}"` (POST), `""` (GET). */
  payload?: string;
}

/** The headers {@link signRequest} returns: everything to send with the request. */
export type SignedHeaders = {
  /** `TC3-HMAC-SHA256 Credential=..., SignedHeaders=content-type;host, Signature=...` */
  Authorization: string;
  "Content-Type": string;
  Host: string;
  "X-TC-Action": string;
  "X-TC-Version": string;
  /** The timestamp, in Unix seconds, as a string. */
  "X-TC-Timestamp": string;
  /** Present when `region` was given. */
  "X-TC-Region"?: string;
  /** Present when `token` was given. */
  "X-TC-Token"?: string;
  /** Present when `language` was given. */
  "X-TC-Language"?: string;
};

/** A signature and every stage that produced it (the stages are what Tencent's docs show, for debugging). */
export interface SignedRequest {
  /** The `Authorization` header's value. */
  authorization: string;
  /** The hex HMAC-SHA256 signature. */
  signature: string;
  canonicalRequest: string;
  stringToSign: string;
  /** `<UTC date>/<service>/tc3_request` */
  credentialScope: string;
  /** The timestamp signed, in Unix seconds. */
  timestamp: number;
  /** Authorization, Content-Type, Host, X-TC-Action, X-TC-Version, X-TC-Timestamp, and X-TC-Region/-Token/-Language when given. */
  headers: SignedHeaders;
}

/**
 * Signs a Tencent Cloud API 3.0 request (TC3-HMAC-SHA256), byte for byte as the official SDKs do.
 * Throws a {@link TencentCloudError} with code `ClientError.InvalidArgument` on bad input.
 *
 * @example
 * const payload = JSON.stringify({ InstanceId: 'lhins-ruy9d2tw' });
 * const { headers } = signRequest({ secretId, secretKey, action: 'ResetInstance', region: 'ap-guangzhou', payload });
 * await fetch('https://lighthouse.tencentcloudapi.com', { method: 'POST', headers, body: payload });
 */
export declare function signRequest(input: SignInput): SignedRequest;

// ---------------------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------------------

/** What kind of failure it was, for a dashboard or a retry loop to act on. */
export type TencentCloudErrorKind =
  | "throttling"
  | "clockSkew"
  | "transient"
  | "busy"
  | "auth"
  | "invalidInput"
  | "notFound"
  | "network"
  | "timeout"
  | "aborted"
  | "waiter"
  | "other";

/** The codes this package produces itself (not the service). */
export type TencentCloudClientErrorCode =
  | "ClientError.InvalidArgument" // a wrong type, a missing or malformed argument or config
  | "ClientError.Credentials" // no credentials, or the credentials provider failed
  | "ClientError.Network"
  | "ClientError.Timeout"
  | "ClientError.Aborted"
  | "ClientError.BadResponse" // not the API's JSON: a gateway's HTML, empty, truncated, not HTTP 200
  | "ClientError.Unsupported" // an export of the server build called from the browser build (createSigningProxy)
  | "WaiterError.Timeout" // gave up after maxWaitSeconds (elapsedSeconds, attempts, instance)
  | "WaiterError.OperationFailed"; // the reset ended in FAILED (instance, requestId)

/** Service codes the package knows of: the common ones and every code of ResetInstance. */
export type TencentCloudServiceErrorCode =
  | "AuthFailure.InvalidAuthorization"
  | "AuthFailure.InvalidSecretId"
  | "AuthFailure.MFAFailure"
  | "AuthFailure.SecretIdNotFound"
  | "AuthFailure.SignatureExpire"
  | "AuthFailure.SignatureFailure"
  | "AuthFailure.TokenFailure"
  | "AuthFailure.UnauthorizedOperation"
  | "RequestLimitExceeded"
  | "RequestLimitExceeded.IPLimitExceeded"
  | "RequestLimitExceeded.UinLimitExceeded"
  | "RequestLimitExceeded.GlobalRegionUinLimitExceeded"
  | "InternalError"
  | "InternalError.DescribeInstanceStatus"
  | "InternalError.InvalidCommandNotFound"
  | "ServiceUnavailable"
  | "InvalidAction"
  | "InvalidParameter"
  | "InvalidParameter.GamePortalInstanceOnlySupportCurrentBlueprint"
  | "InvalidParameterValue"
  | "InvalidParameterValue.BlueprintConfigNotMatch"
  | "InvalidParameterValue.BlueprintId"
  | "InvalidParameterValue.BlueprintIdMalformed"
  | "InvalidParameterValue.Duplicated"
  | "InvalidParameterValue.InstanceIdMalformed"
  | "InvalidParameterValue.InvalidParameterCombination"
  | "InvalidParameterValue.InvalidPassword"
  | "InvalidParameterValue.LimitExceeded"
  | "InvalidParameterValue.NotAllowToChangePlatformType"
  | "InvalidParameterValue.OutOfRange"
  | "InvalidParameterValue.TooLong"
  | "MissingParameter"
  | "UnknownParameter"
  | "NoSuchVersion"
  | "UnsupportedRegion"
  | "RequestSizeLimitExceeded"
  | "FailedOperation"
  | "FailedOperation.DescribeInstanceStatus"
  | "FailedOperation.InstanceOperationFailed"
  | "LimitExceeded"
  | "OperationDenied.InstanceCreating"
  | "OperationDenied.InstanceOperationInProgress"
  | "ResourceInUse"
  | "ResourceInsufficient"
  | "ResourceNotFound.BlueprintIdNotFound"
  | "ResourceNotFound.InstanceIdNotFound"
  | "ResourceNotFound.InstanceNotFound"
  | "ResourceNotFound.KeyPairNotFound"
  | "ResourceUnavailable.BlueprintUnavailable"
  | "UnauthorizedOperation.ActionNotAllowed"
  | "UnauthorizedOperation.MFANotFound"
  | "UnauthorizedOperation.NoPermission"
  | "UnsupportedOperation"
  | "UnsupportedOperation.BlueprintTypeNotSupportOperation"
  | "UnsupportedOperation.InstanceDisplayAreaNotSupportOperation"
  | "UnsupportedOperation.InvalidInstanceState"
  | "UnsupportedOperation.LatestOperationUnfinished"
  | "UnsupportedOperation.OperationNotSupportAutoGeneratePassword"
  | "UnsupportedOperation.SystemBusy";

/**
 * An error code: the service's `Error.Code` verbatim or a client code. The known ones autocomplete;
 * any other string (a code the service adds later) is accepted too.
 */
export type TencentCloudErrorCode = TencentCloudClientErrorCode | TencentCloudServiceErrorCode | (string & {});

/** The third argument of `new TencentCloudError(...)`. Defaults: kind `"other"`, retryable `false`. */
export interface TencentCloudErrorOptions {
  kind?: TencentCloudErrorKind;
  retryable?: boolean;
  requestId?: string;
  httpStatus?: number;
  action?: string;
  cause?: unknown;
  instance?: Instance;
  elapsedSeconds?: number;
  attempts?: number;
}

/** What `JSON.stringify(error)` shows: never a secret, a token or the `cause`. */
export interface TencentCloudErrorJSON {
  name: "TencentCloudError";
  code: TencentCloudErrorCode;
  message: string;
  kind: TencentCloudErrorKind;
  retryable: boolean;
  requestId?: string;
  httpStatus?: number;
  action?: string;
  elapsedSeconds?: number;
  attempts?: number;
}

/**
 * Every failure of every export, thrown or rejected. The same class whichever entry threw it.
 *
 * @example
 * try {
 *   await client.resetInstance({ InstanceId: 'lhins-ruy9d2tw' });
 * } catch (e) {
 *   if (TencentCloudError.isInstance(e) && e.kind === 'busy') console.log('instance busy, RequestId', e.requestId);
 *   else throw e;
 * }
 */
export declare class TencentCloudError extends Error {
  constructor(code: string, message: string, options?: TencentCloudErrorOptions);
  readonly name: "TencentCloudError";
  /** The service's `Error.Code` verbatim, or a client code such as `"ClientError.InvalidArgument"`. */
  code: TencentCloudErrorCode;
  /** The service's message, or an English sentence naming the field or cause (never a value). */
  message: string;
  /** The service's RequestId, when the service answered. */
  requestId?: string;
  /** The HTTP status, for `ClientError.BadResponse`. */
  httpStatus?: number;
  /** The action that failed, e.g. `"ResetInstance"`. */
  action?: string;
  kind: TencentCloudErrorKind;
  /** True when trying again later may succeed (throttling, clock skew, transient, busy, network, timeout). */
  retryable: boolean;
  /** The underlying error (a fetch failure, the provider's rejection, the AbortSignal's reason). */
  cause?: unknown;
  /** Waiter errors: the instance as last seen. */
  instance?: Instance;
  /** Waiter errors: the seconds waited. */
  elapsedSeconds?: number;
  /** `WaiterError.Timeout`: the polls made. */
  attempts?: number;
  /** True for errors from any copy of the package (two bundles, two versions), where `instanceof` is not. */
  static isInstance(value: unknown): value is TencentCloudError;
  toJSON(): TencentCloudErrorJSON;
}

// ---------------------------------------------------------------------------------------------------------
// The Lighthouse instance (DescribeInstances' Instance). Declared here because waiter errors carry one;
// the rest of the Lighthouse shapes are in client.d.ts.
// Enumerations are `Known | (string & {})`: the known values autocomplete and narrow, and a value the
// service adds later still type-checks.
// ---------------------------------------------------------------------------------------------------------

/** An instance's state. */
export type InstanceState =
  | "PENDING"
  | "LAUNCH_FAILED"
  | "RUNNING"
  | "STOPPED"
  | "STARTING"
  | "STOPPING"
  | "REBOOTING"
  | "SHUTDOWN"
  | "TERMINATING"
  | "DELETING"
  | "FREEZING"
  | "ENTER_RESCUE_MODE"
  | "RESCUE_MODE"
  | "EXIT_RESCUE_MODE";

/** The state of an instance's latest operation. A reset succeeded when it is `SUCCESS`. */
export type LatestOperationState = "SUCCESS" | "OPERATING" | "FAILED";

/** Asynchronous instance operations reported as `LatestOperation`. */
export type InstanceOperation = "ResetInstance" | "StartInstances" | "StopInstances" | "RebootInstances";

/** The OS family; a reset cannot change it. */
export type PlatformType = "LINUX_UNIX" | "WINDOWS";

/** Whether the instance is restricted. */
export type InstanceRestrictState = "NORMAL" | "EXPIRED" | "PROTECTIVELY_ISOLATED";

/** Auto-renewal of a prepaid instance. */
export type RenewFlag = "NOTIFY_AND_AUTO_RENEW" | "NOTIFY_AND_MANUAL_RENEW" | "DISABLE_NOTIFY_AND_AUTO_RENEW";

/** The system disk of an instance. */
export interface SystemDisk {
  DiskType: "LOCAL_BASIC" | "LOCAL_SSD" | "CLOUD_BASIC" | "CLOUD_SSD" | "CLOUD_PREMIUM" | (string & {});
  /** GB. */
  DiskSize: number;
  DiskId: string | null;
}

/** Public network access of an instance. */
export interface InternetAccessible {
  InternetChargeType: "TRAFFIC_POSTPAID_BY_HOUR" | "BANDWIDTH_POSTPAID_BY_HOUR" | "FLOW_PACKAGE" | (string & {});
  /** Mbps. */
  InternetMaxBandwidthOut: number;
  PublicIpAssigned: boolean;
}

/** An instance's login settings. */
export interface LoginSettings {
  /** Key pairs bound to the instance (`lhkp-...`); may be empty. */
  KeyIds: string[];
}

/** A tag. */
export interface Tag {
  Key: string;
  Value: string;
}

/** Whether the instance can have IPv6. */
export interface SupportIpv6Detail {
  IsSupport: boolean;
  Detail: string;
  Message: string;
}

/** One Lighthouse instance, as DescribeInstances returns it. Times are ISO 8601 UTC (`YYYY-MM-DDThh:mm:ssZ`). */
export interface Instance {
  /** `lhins-` and 8 lower-case letters or digits. */
  InstanceId: string;
  BundleId: string;
  /** The image (`lhbp-...`). */
  BlueprintId: string;
  /** Cores. */
  CPU: number;
  /** GB. */
  Memory: number;
  InstanceName: string;
  /** `"PREPAID"`. */
  InstanceChargeType: "PREPAID" | (string & {});
  SystemDisk: SystemDisk;
  PrivateAddresses: string[];
  PublicAddresses: string[];
  InternetAccessible: InternetAccessible;
  RenewFlag: RenewFlag | (string & {});
  LoginSettings: LoginSettings;
  InstanceState: InstanceState | (string & {});
  Uuid: string;
  /** The latest operation, e.g. `"ResetInstance"`; null when none. */
  LatestOperation: InstanceOperation | (string & {}) | null;
  /** The latest operation's state; null when none. */
  LatestOperationState: LatestOperationState | (string & {}) | null;
  /** The RequestId of the latest operation: ties `LatestOperationState` to the RequestId ResetInstance returned. */
  LatestOperationRequestId: string | null;
  /** When the latest operation started. */
  LatestOperationStartedTime: string | null;
  IsolatedTime: string | null;
  CreatedTime: string | null;
  ExpiredTime: string | null;
  PlatformType: PlatformType | (string & {});
  /** e.g. `"UBUNTU"`, `"CENTOS"`, `"WINDOWS"`. */
  Platform: string;
  OsName: string;
  /** e.g. `"ap-guangzhou-3"`. */
  Zone: string;
  Tags: Tag[];
  InstanceRestrictState: InstanceRestrictState | (string & {});
  SupportIpv6Detail?: SupportIpv6Detail;
  PublicIpv6Addresses?: string[];
  /** The TAT command invocation run at creation, when any. */
  InitInvocationId?: string;
}
