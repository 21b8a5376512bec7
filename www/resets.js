// Resetting: one instance with resetInstanceAndWait, several with resetInstances, and resets already running
// when the list loaded followed with waitUntilInstanceReset; each row shows the waiter's progress.
import { jobRunning, state } from './state.js';
import { renderRow, syncSelection } from './table.js';
import { announce, describeError, showError } from './ui.js';

/** Polling pace of the waiter: brisk in the demo, gentler on the real API. */
const WAIT = { demo: { minDelaySeconds: 1, maxDelaySeconds: 3 }, live: { minDelaySeconds: 3, maxDelaySeconds: 15 } };

const TERMINAL = new Set(['SUCCESS', 'FAILED']);

function waitOptions() {
  return { ...(state.config.demo ? WAIT.demo : WAIT.live), maxWaitSeconds: 1200 };
}

function onProgress(ev) {
  const job = state.jobs.get(ev.InstanceId);
  if (!job || job.phase === 'done' || job.phase === 'failed') return;
  if (job.phase === 'sending' && ev.LatestOperationState === 'OPERATING') {
    announce(`${ev.instance?.InstanceName || ev.InstanceId}: reset accepted, OPERATING.`);
  }
  job.phase = 'waiting';
  job.opState = ev.LatestOperationState;
  job.attempt = ev.attempt;
  job.elapsed = (performance.now() - job.started) / 1000;
  // In a fleet, each event comes after the instance's reset was accepted: a finished ResetInstance is this one
  // (a stale answer is followed by OPERATING again, which un-settles the row).
  job.settled = job.fleet && ev.instance?.LatestOperation === 'ResetInstance' && TERMINAL.has(ev.LatestOperationState);
  if (ev.instance) state.instances.set(ev.InstanceId, ev.instance);
  renderRow(ev.InstanceId);
}

function finishJob(id, instance, requestId) {
  const job = state.jobs.get(id);
  job.phase = 'done';
  job.elapsed = (performance.now() - job.started) / 1000;
  job.requestId = requestId || instance?.LatestOperationRequestId;
  if (instance) state.instances.set(id, instance);
  renderRow(id);
  syncSelection();
}

function failJob(id, error, context) {
  const job = state.jobs.get(id);
  job.phase = 'failed';
  job.code = describeError(error).code;
  if (error?.instance) state.instances.set(id, error.instance);
  renderRow(id);
  const i = state.instances.get(id);
  showError(error, context ? `${context} failed` : `Reset of ${i?.InstanceName || id} (${id}) failed`);
}

export async function startResets(ids, blueprintId, waitForIdle) {
  const client = state.client;
  for (const id of ids) {
    state.jobs.set(id, { phase: 'sending', opState: null, attempt: 0, elapsed: 0, started: performance.now(), waitIdle: waitForIdle, fleet: ids.length > 1 });
    renderRow(id);
  }
  for (const id of ids) state.selected.delete(id);
  syncSelection();
  const inputs = ids.map((InstanceId) => (blueprintId ? { InstanceId, BlueprintId: blueprintId } : { InstanceId }));
  announce(ids.length === 1 ? `Resetting ${ids[0]}…` : `Resetting ${ids.length} instances…`);

  if (ids.length === 1) {
    try {
      const instance = await client.resetInstanceAndWait(inputs[0], { ...waitOptions(), waitForIdle, onProgress });
      finishJob(ids[0], instance);
      announce(`Reset of ${instance.InstanceName || ids[0]} finished: ${instance.LatestOperationState}.`);
    } catch (e) {
      failJob(ids[0], e);
    }
    return;
  }

  let results;
  try {
    results = await client.resetInstances(inputs, { ...waitOptions(), concurrency: 10, onProgress });
  } catch (e) {
    // The whole call was refused (e.g. bad options): every row failed the same way.
    for (const id of ids) failJob(id, e);
    return;
  }
  let ok = 0;
  for (const r of results) {
    if (r.ok) {
      ok++;
      finishJob(r.InstanceId, r.instance, r.RequestId);
    } else failJob(r.InstanceId, r.error);
  }
  announce(`${ok} of ${results.length} resets finished with SUCCESS.`);
}

/** Follows resets that were already running when the list loaded (started elsewhere, or before a reload). */
export function watchRunningResets() {
  const client = state.client;
  for (const i of state.instances.values()) {
    const id = i.InstanceId;
    if (i.LatestOperation !== 'ResetInstance' || i.LatestOperationState !== 'OPERATING' || jobRunning(id)) continue;
    state.jobs.set(id, { phase: 'waiting', opState: 'OPERATING', attempt: 0, elapsed: 0, started: performance.now(), watch: true });
    renderRow(id);
    const input = i.LatestOperationRequestId ? { InstanceId: id, RequestId: i.LatestOperationRequestId } : { InstanceId: id };
    client
      .waitUntilInstanceReset(input, { ...waitOptions(), onProgress })
      .then((instance) => finishJob(id, instance))
      .catch((e) => failJob(id, e, `The reset of ${i.InstanceName || id} (${id}) that was already running`));
  }
}
