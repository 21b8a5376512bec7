// wait, and the single-instance reset --wait: follow one reset on stderr, Ctrl-C aborts the wait only.
'use strict';

const { NAME, UsageError, out, err, printJson } = require('./io.cjs');
const { needRegion, oneInstanceId, waiterOptions } = require('./args.cjs');
const { makeClient } = require('./client.cjs');
const { text } = require('./format.cjs');

function describeState(instance, requestId) {
  if (!instance) return 'waiting for DescribeInstances';
  const state = `instance ${instance.InstanceState}`;
  if (requestId && instance.LatestOperationRequestId !== requestId) return `reset not started yet, ${state}`;
  if (!instance.LatestOperation) return `no operation yet, ${state}`;
  return `${instance.LatestOperation} ${instance.LatestOperationState ?? 'unknown'}, ${state}`;
}

/** Follows a wait on stderr: redrawn in place on a terminal, one line per change otherwise. */
function progressReporter(instanceId, requestId, started) {
  const tty = Boolean(process.stderr.isTTY);
  let last = null;
  let printed = null; // the state last written (not a TTY)
  let timer = null;
  const line = () => `${instanceId}: ${describeState(last, requestId)} (${((Date.now() - started) / 1000).toFixed(1)}s)`;
  const draw = () => err(`\r\x1b[K${line()}`);
  const report = () => {
    if (tty) return draw();
    const state = describeState(last, requestId);
    if (state !== printed) {
      printed = state;
      err(`${line()}\n`);
    }
  };
  if (tty) {
    draw();
    timer = setInterval(draw, 250);
  }
  return {
    onProgress(event) {
      last = event.instance;
      report();
    },
    stop(final) {
      if (timer) clearInterval(timer);
      if (final) last = final;
      if (last) report();
      if (tty) err('\n');
    },
  };
}

/** Runs `run(signal)` with Ctrl-C wired to an AbortController; `interrupted()` says whether it fired. */
async function interruptible(run) {
  const controller = new AbortController();
  let interrupted = false;
  const handler = () => {
    if (interrupted) process.exit(130); // a second Ctrl-C: leave now
    interrupted = true;
    controller.abort();
  };
  process.on('SIGINT', handler);
  try {
    return await run(controller.signal, () => interrupted);
  } catch (e) {
    if (interrupted) {
      const ex = new Error('interrupted');
      ex.interrupted = true;
      ex.cause = e;
      throw ex;
    }
    throw e;
  } finally {
    process.off('SIGINT', handler);
  }
}

/** Waits; resolves with the instance and whether any poll saw the reset unfinished (`false`: it had
 *  finished before the wait began). */
async function waitFor(client, values, instanceId, requestId, started) {
  const progress = progressReporter(instanceId, requestId, started);
  let pending = false;
  const onProgress = (event) => {
    const i = event.instance;
    if (i.LatestOperation !== 'ResetInstance' || i.LatestOperationState !== 'SUCCESS' || (requestId && i.LatestOperationRequestId !== requestId))
      pending = true;
    progress.onProgress(event);
  };
  const resume = `${NAME} wait ${instanceId}${requestId ? ` --request-id ${requestId}` : ''}`;
  let instance;
  try {
    instance = await interruptible((signal) =>
      client.waitUntilInstanceReset(requestId ? { InstanceId: instanceId, RequestId: requestId } : { InstanceId: instanceId }, {
        ...waiterOptions(values),
        signal,
        onProgress,
      }),
    );
  } catch (e) {
    progress.stop(e?.instance);
    if (e?.interrupted) {
      err(`Interrupted: the reset continues on the server. Resume with: ${resume}\n`);
    }
    throw e;
  }
  progress.stop(instance);
  return { instance, pending };
}

/** The last line: what happened, and only durations that were measured. */
function finalLine(instance, outcome) {
  const rest =
    `, instance ${instance.InstanceState}` + `${instance.OsName ? `, ${instance.OsName}` : ''}${instance.BlueprintId ? ` (${instance.BlueprintId})` : ''}\n`;
  const state = instance.LatestOperationState;
  if (outcome.already) {
    const known = [
      instance.LatestOperationRequestId && `RequestId ${instance.LatestOperationRequestId}`,
      instance.LatestOperationStartedTime && `started ${instance.LatestOperationStartedTime}`,
    ].filter(Boolean);
    return `${instance.InstanceId}: the latest reset had already finished: ${state}` + `${known.length ? ` (${known.join(', ')})` : ''}${rest}`;
  }
  return `${instance.InstanceId}: reset ${state} ${outcome.waitedOnly ? 'after waiting' : 'in'} ${outcome.secs}s${rest}`;
}

const secondsSince = (started) => ((Date.now() - started) / 1000).toFixed(1);

/** --output text of a finished wait: InstanceId, RequestId, LatestOperationState, InstanceState, seconds. */
const waitText = (instance, secs) =>
  text([[instance.InstanceId, instance.LatestOperationRequestId, instance.LatestOperationState, instance.InstanceState, secs]]);

async function wait(values, args) {
  const instanceId = oneInstanceId('wait', args);
  needRegion(values, '"wait"');
  const requestId = values['request-id'];
  if (requestId === '') throw new UsageError('--request-id must not be empty.');
  waiterOptions(values);
  const client = makeClient(values);
  const started = Date.now();
  const { instance, pending } = await waitFor(client, values, instanceId, requestId, started);
  if (values.output === 'json') printJson(instance);
  else if (values.output === 'text') out(waitText(instance, secondsSince(started)));
  // The reset started before this command: only the wait was timed, and only when there was one.
  else out(finalLine(instance, { already: !pending, waitedOnly: true, secs: secondsSince(started) }));
}

module.exports = { wait, waitFor, finalLine, secondsSince, interruptible, describeState, waitText };
