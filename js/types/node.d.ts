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

/**
 * A fleet's journal in a file: one JSON line per entry, each appended and flushed to disk (fsync) before the
 * fleet goes on; a torn last line (the process died mid-write) is ignored. Pass it to `resetInstances`.
 * @example
 * await client.resetInstances(inputs, { journal: fileJournal('reset.journal') });   // run again after a crash: no reset twice
 */
export declare function fileJournal(path: string): Journal & { readonly path: string };
