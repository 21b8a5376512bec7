// reset ID ID...: a fleet through the library's resetInstances, one line per instance on stderr
// (redrawn in place on a terminal, one line per change otherwise), the results on stdout.
'use strict';

const { NAME, UsageError, out, err, printJson, errorDoc, errorLine } = require('./io.cjs');
const { waiterOptions } = require('./args.cjs');
const { pkg } = require('./client.cjs');
const { table, text } = require('./format.cjs');
const { interruptible, describeState } = require('./wait.cjs');

const since = (t0, t1 = Date.now()) => `${((t1 - t0) / 1000).toFixed(1)}s`;

/**
 * The live lines: `ID: state (elapsed)`, frozen once an instance's reset has ended. On a terminal with room,
 * one line per instance redrawn in place ("lines"); a fleet taller than the terminal gets one summary line
 * redrawn in place, with each instance's line printed above it when it ends ("compact"); not a terminal,
 * a plain line per change ("plain").
 */
function fleetDisplay(ids, started, { tty = Boolean(process.stderr.isTTY), height = process.stderr.rows || 24 } = {}) {
  const mode = !tty ? 'plain' : ids.length < height - 1 ? 'lines' : 'compact';
  const rows = new Map(ids.map((id) => [id, { state: 'resetting', ended: null }]));
  const line = (id) => {
    const r = rows.get(id);
    return `${id}: ${r.state} (${since(started, r.ended ?? Date.now())})`;
  };
  const summary = () => {
    const ended = [...rows.values()].filter((r) => r.ended).length;
    return `${ended} of ${ids.length} resets ended (${since(started)})`;
  };
  let drawn = false;
  const draw = () => {
    // Back to the first line, then every line cleared and rewritten.
    if (mode === 'lines') err(`${drawn ? `\x1b[${ids.length}A` : ''}${ids.map((id) => `\r\x1b[K${line(id)}\n`).join('')}`);
    else if (mode === 'compact') err(`\r\x1b[K${summary()}`);
    drawn = true;
  };
  const set = (id, state, ended) => {
    const r = rows.get(id);
    if (!r || r.ended || (r.state === state && !ended)) return;
    r.state = state;
    if (ended) r.ended = Date.now();
    if (mode === 'plain') err(`${line(id)}\n`);
    else if (mode === 'compact' && ended) err(`\r\x1b[K${line(id)}\n`);
  };
  let timer = null;
  if (mode !== 'plain') {
    draw();
    timer = setInterval(draw, 250);
  }
  return {
    mode,
    onProgress(event) {
      const i = event.instance;
      const r = rows.get(event.InstanceId);
      if (!r) return;
      // The fleet's events carry no RequestId: a SUCCESS or FAILED before this reset was seen running may be
      // the previous operation's, so only one after OPERATING ends the line (stop() settles the rest).
      const op = i.LatestOperation === 'ResetInstance' ? i.LatestOperationState : null;
      if (op === 'OPERATING') r.running = true;
      const ended = r.running && (op === 'SUCCESS' || op === 'FAILED');
      set(event.InstanceId, r.running || op === null ? describeState(i) : `reset sent, instance ${i.InstanceState}`, ended);
      if (mode !== 'plain') draw();
    },
    stop(results) {
      if (timer) clearInterval(timer);
      for (const r of results ?? []) {
        // A success the polls showed is already on its line; the rest get how they ended.
        if (r.ok && rows.get(r.InstanceId)?.ended) continue;
        const state = r.ok ? (r.instance ? `reset ${r.instance.LatestOperationState}` : 'reset accepted') : `failed: ${r.error?.code ?? 'error'}`;
        set(r.InstanceId, state, true);
      }
      if (mode !== 'plain') draw();
      if (mode === 'compact') err('\n');
    },
  };
}

/** The result rows: INSTANCE ID, RESULT, REQUEST ID, DETAIL. */
function resultRow(r) {
  if (!r.ok) return [r.InstanceId, 'FAILED', r.RequestId, errorLine(r.error).replace(/^Error /, '')];
  const i = r.instance;
  return [r.InstanceId, i ? i.LatestOperationState : 'ACCEPTED', r.RequestId, i ? `instance ${i.InstanceState}${i.OsName ? `, ${i.OsName}` : ''}` : ''];
}

/** A result as --output json shows it: only what is known (no nulls), the error as errors are shown. */
function resultDoc(r) {
  const doc = { InstanceId: r.InstanceId, ok: r.ok };
  if (r.RequestId) doc.RequestId = r.RequestId;
  if (r.instance) doc.Instance = r.instance;
  if (r.error) doc.error = errorDoc(r.error);
  return doc;
}

function journalOption(path) {
  try {
    return pkg().fileJournal(path);
  } catch (e) {
    throw new UsageError(`--journal: ${e.message}`);
  }
}

function concurrency(values) {
  const raw = values.concurrency;
  if (raw === undefined) return undefined;
  const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= 1 && n <= 1000)) throw new UsageError(`--concurrency must be a whole number from 1 to 1000, got "${raw}".`);
  return n;
}

/** Resets `inputs`; `makeClient` is called once the fleet's own options are known to be good. */
async function fleet(values, makeClient, inputs) {
  const options = { wait: Boolean(values.wait), ...(values.wait ? waiterOptions(values) : {}) };
  const c = concurrency(values);
  if (c !== undefined) options.concurrency = c;
  if (values.journal !== undefined) options.journal = journalOption(values.journal);
  const client = makeClient();
  const ids = inputs.map((i) => i.InstanceId);
  const started = Date.now();
  const display = values.wait ? fleetDisplay(ids, started) : null;
  if (display) options.onProgress = (e) => display.onProgress(e);
  let interrupted = false;
  let results;
  try {
    results = await interruptible((signal, wasInterrupted) =>
      client.resetInstances(inputs, { ...options, signal }).finally(() => {
        interrupted = wasInterrupted();
      }),
    );
  } catch (e) {
    display?.stop();
    throw e;
  }
  display?.stop(results);
  if (values.output === 'json') {
    printJson({ Results: results.map(resultDoc) });
  } else if (values.output === 'text') out(text(results.map(resultRow)));
  else out(table(['INSTANCE ID', 'RESULT', 'REQUEST ID', 'DETAIL'], results.map(resultRow)));
  if (interrupted) {
    const sent = results.filter((r) => !r.ok && r.RequestId);
    err(`Interrupted: resets already sent continue on the server.${values.journal ? ` Resume with the same command (--journal ${values.journal}).` : ''}\n`);
    for (const r of sent) err(`  ${NAME} wait ${r.InstanceId} --request-id ${r.RequestId}\n`);
    const ex = new Error('interrupted');
    ex.interrupted = true;
    throw ex;
  }
  const failed = results.filter((r) => !r.ok).length;
  if (failed) {
    const ex = new Error(`${failed} of ${results.length} resets failed.`);
    ex.fleetFailed = true; // each error is in the results already: main prints only this line
    throw ex;
  }
}

module.exports = { fleet, fleetDisplay, resultRow };
