
/** The kinds of failure, for a dashboard to act on. */
export type TencentCloudErrorKind =
  | "throttling" | "clockSkew" | "transient" | "busy" | "auth" | "invalidInput" | "notFound"
  | "network" | "timeout" | "aborted" | "waiter" | "other";

/** Every failure of every export, thrown or rejected. */
export class TencentCloudError extends Error {
  constructor(code: string, message: string, options?: {
    kind?: TencentCloudErrorKind; retryable?: boolean; requestId?: string; httpStatus?: number;
    action?: string; cause?: unknown;
  });
  readonly name: "TencentCloudError";
  /** The service's Error.Code verbatim, or a client code such as "ClientError.InvalidArgument". */
  code: string;
  message: string;
  requestId?: string;
  httpStatus?: number;
  action?: string;
  kind: TencentCloudErrorKind;
  retryable: boolean;
  cause?: unknown;
  /** Waiter errors: the instance as last seen, time waited and polls made. */
  instance?: Instance;
  elapsedSeconds?: number;
  attempts?: number;
  /** True for errors from any copy of the package, where `instanceof` is not. */
  static isInstance(value: unknown): value is TencentCloudError;
  toJSON(): Record<string, unknown>;
}

/**
 * Node only: wraps a fetch-style handler (such as `createSigningProxy`'s) as a node:http listener.
 * @example http.createServer(toNodeListener(createSigningProxy({ region: 'ap-guangzhou' }))).listen(8080);
 */
export function toNodeListener(
  handler: (request: Request) => Promise<Response>,
  options?: { maxBodyBytes?: number },
): (req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse) => void;
