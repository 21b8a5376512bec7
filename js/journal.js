// The driver's side of a fleet's journal (src/bindings/drive.rs, journal.rs); only the server build imports it.

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

// An earlier run's entries by InstanceId (each instance's in the order written), so the fleet reads only its own
// instances' entries; or the index of the first entry without an `InstanceId` string.
export function groupEntries(list) {
  const by = new Map();
  for (let i = 0; i < list.length; i++) {
    let id;
    try {
      id = list[i]?.InstanceId;
    } catch {
      return i;
    }
    if (typeof id !== 'string') return i;
    const mine = by.get(id);
    if (mine) mine.push(list[i]);
    else by.set(id, [list[i]]);
  }
  return by;
}
