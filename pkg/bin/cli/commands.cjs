// The dispatch table: each command, the options it accepts besides the global ones, and its module,
// loaded only when the command runs (start-up time: `describe` never loads the fleet display).
'use strict';

const WAITING = ['max-wait', 'min-delay', 'max-delay'];

const COMMANDS = {
  reset: { options: ['blueprint', 'wait', 'cli-input-json', 'journal', 'concurrency', ...WAITING], load: () => require('./reset.cjs').reset },
  wait: { options: ['request-id', ...WAITING], load: () => require('./wait.cjs').wait },
  describe: { options: ['filter'], load: () => require('./describe.cjs').describe },
  blueprints: { options: ['filter', 'for'], load: () => require('./describe.cjs').blueprints },
  call: { options: ['params'], load: () => require('./call.cjs').call },
  sign: { options: ['action', 'payload', 'timestamp', 'host'], load: () => require('./sign.cjs').sign },
  whoami: { options: ['sts-endpoint'], load: () => require('./credentials.cjs').whoamiCommand },
  completion: { options: [], load: () => require('./completion.cjs').completion },
  help: { options: [], load: null },
};

module.exports = { COMMANDS, WAITING };
