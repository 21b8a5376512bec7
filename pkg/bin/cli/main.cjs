// Parse, dispatch to the command's module (loaded lazily), and turn what went wrong into an exit code.
'use strict';

const { NAME, UsageError, out, err, printJson, version, errorDoc, errorLine } = require('./io.cjs');
const { parse } = require('./args.cjs');
const { COMMANDS } = require('./commands.cjs');

function usageFailure(e) {
  err(`${NAME}: ${e.message}\nTry '${NAME} --help'.\n`);
  return 2;
}

function reportError(e, json) {
  err(`${errorLine(e)}\n`);
  if (json) printJson({ error: errorDoc(e) });
}

/** Resolves with the exit status: 0 success, 1 API or client error, 2 usage error, 130 interrupted. */
async function main(argv) {
  let parsed;
  try {
    parsed = parse(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    return usageFailure(e);
  }
  const { command, values, args } = parsed;
  if (values.help || command === 'help') {
    const { USAGE, commandHelp } = require('./help.cjs');
    const topic = command === 'help' ? args[0] : command;
    if (topic !== undefined && !Object.hasOwn(COMMANDS, topic)) return usageFailure(new UsageError(`Unknown command "${topic}".`));
    out(topic === undefined || topic === 'help' ? USAGE : commandHelp(topic));
    return 0;
  }
  if (values.version) {
    out(`${version()}\n`);
    return 0;
  }
  if (command === undefined) {
    err(require('./help.cjs').USAGE);
    return 2;
  }
  const json = values.output === 'json';
  try {
    await COMMANDS[command].load()(values, args);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) return usageFailure(e);
    if (e?.interrupted) {
      if (json && e.cause) reportError(e.cause, true);
      return 130;
    }
    if (e?.fleetFailed) {
      err(`${NAME}: ${e.message}\n`);
      return 1;
    }
    reportError(e, json);
    return 1;
  }
}

module.exports = { main };
