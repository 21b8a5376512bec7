// What the driver hands to the caller's logger (src/bindings/drive.rs). Kept in JS: building the entry's object
// here costs the wasm nothing.

// One logger entry: `logger[level](message, data)`. Names, codes and numbers only: never a secret, a token,
// a signature or a body. A logger that throws or lacks the method is the caller's, and must not fail the call.
export function logEntry(logger, level, event, message, action, region, attempt, status, code, requestId, ms) {
  const data = { event, action };
  if (region !== undefined) data.region = region;
  data.attempt = attempt;
  if (status !== undefined) data.status = status;
  if (code !== undefined) data.code = code;
  if (requestId !== undefined) data.requestId = requestId;
  data.ms = Math.round(ms);
  try {
    const f = logger[level];
    if (typeof f === 'function') f.call(logger, message, data);
  } catch {
    // The caller's logger failed: the call goes on.
  }
}
