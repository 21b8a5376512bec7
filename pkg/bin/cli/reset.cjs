// reset: one instance (the RequestId; --wait follows it) or several (a fleet, see fleet.cjs), from the
// positional IDs, --blueprint and --cli-input-json (flags win over the file).
'use strict';

const { UsageError, out, err, printJson } = require('./io.cjs');
const { needRegion, waiterOptions } = require('./args.cjs');
const { WAITING } = require('./commands.cjs');
const { makeClient } = require('./client.cjs');

/** The ResetInstanceRequest of each instance: --cli-input-json, then the IDs and --blueprint over it. */
function resetInputs(values, args) {
  const base = values['cli-input-json'] !== undefined ? require('./input.cjs').readResetInput(values['cli-input-json']) : {};
  const ids = args.length ? args : base.InstanceId !== undefined ? [base.InstanceId] : [];
  if (ids.length === 0) throw new UsageError('"reset" needs an InstanceId (or InstanceId in --cli-input-json).');
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice !== undefined) throw new UsageError(`"reset" got ${twice} twice: each instance is reset once.`);
  return ids.map((InstanceId) => {
    const input = { ...base, InstanceId };
    if (values.blueprint !== undefined) input.BlueprintId = values.blueprint;
    return input;
  });
}

async function reset(values, args) {
  if (!values.wait && WAITING.some((k) => values[k] !== undefined)) {
    throw new UsageError('--max-wait, --min-delay and --max-delay need --wait.');
  }
  if (values.wait) {
    waiterOptions(values);
    needRegion(values, '"reset --wait"');
  }
  const inputs = resetInputs(values, args);
  const isFleet = inputs.length > 1 || values.journal !== undefined || values.concurrency !== undefined;
  if (isFleet) {
    const { fleet } = require('./fleet.cjs');
    return fleet(values, () => makeClient(values), inputs);
  }
  const client = makeClient(values);
  const [input] = inputs;
  const started = Date.now();
  const { RequestId } = await client.resetInstance(input);
  const format = values.output;
  if (!values.wait) {
    if (format === 'json') printJson({ RequestId });
    else if (format === 'text') out(`${input.InstanceId}\t${RequestId}\n`);
    else out(`${RequestId}\n`);
    return;
  }
  if (format === 'json' || format === 'text') err(`RequestId: ${RequestId}\n`);
  else if (format !== 'text') out(`${RequestId}\n`);
  const { waitFor, finalLine, secondsSince, waitText } = require('./wait.cjs');
  const { instance } = await waitFor(client, values, input.InstanceId, RequestId, started);
  if (format === 'json') printJson({ RequestId, Instance: instance });
  else if (format === 'text') out(waitText(instance, secondsSince(started)));
  // Timed from the reset's own request: the reset took at most this long.
  else out(finalLine(instance, { secs: secondsSince(started) }));
}

module.exports = { reset, resetInputs };
