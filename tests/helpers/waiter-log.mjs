// Reading the local Lighthouse API's request log in the waiter tests (Node and browser).

/** The log's entries for `action`. */
export const entries = (log, action) => log.filter((e) => e.action === action);

/** ResetInstance requests that took effect (no errorCode: see local-api/README.md). */
export const effectiveResets = (log) => entries(log, 'ResetInstance').filter((e) => !e.errorCode);

/** `{ [action]: count }` of the log. */
export function byAction(log) {
  const out = {};
  for (const e of log) out[e.action] = (out[e.action] ?? 0) + 1;
  return out;
}

/** Entries answered with RequestLimitExceeded (the server's throttling). */
export const throttled = (log) => log.filter((e) => typeof e.errorCode === 'string' && e.errorCode.startsWith('RequestLimitExceeded'));

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once `predicate()` is true (checked every 20 ms), or throws after `ms`. */
export async function until(predicate, ms = 5000, what = 'condition') {
  const end = Date.now() + ms;
  while (!(await predicate())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}
