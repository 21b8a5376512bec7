// What the driver hands to the caller's logger and journal (src/bindings/drive.rs). Kept in JS: building a
// message and an object here costs the wasm nothing.

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

// Appends one entry, as a Promise (a synchronous throw becomes a rejection).
export function appendEntry(journal, instanceId, requestId, state, at) {
  const entry = { InstanceId: instanceId };
  if (requestId !== undefined) entry.RequestId = requestId;
  entry.state = state;
  entry.at = at;
  return new Promise((resolve) => resolve(journal.append(entry)));
}

// The earlier run's entries, as a Promise of the array `journal.load()` gave.
export function loadEntries(journal) {
  return new Promise((resolve) => resolve(journal.load()));
}
