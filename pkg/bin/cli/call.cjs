// call ACTION: any Lighthouse action through the client (signing, retries, limiter), the Response printed.
'use strict';

const { UsageError, out, printJson, readJsonArg } = require('./io.cjs');
const { makeClient } = require('./client.cjs');
const { table, text, responseRows } = require('./format.cjs');

async function call(values, args) {
  if (args.length === 0) throw new UsageError('"call" needs an ACTION (e.g. call DescribeRegions).');
  if (args.length > 1) throw new UsageError(`"call" takes one ACTION, got ${args.length}: give the parameters with --params JSON.`);
  const [action] = args;
  if (!/^[A-Z][A-Za-z0-9]*$/.test(action)) throw new UsageError(`"${action}" is not an action name (e.g. DescribeInstances).`);
  let params = {};
  if (values.params !== undefined) {
    params = readJsonArg(values.params, '--params', '--params').value;
    if (!params || typeof params !== 'object' || Array.isArray(params))
      throw new UsageError('--params must be a JSON object (e.g. --params \'{"Limit": 5}\').');
  }
  const res = await makeClient(values).request(action, params);
  // An arbitrary Response reads best as JSON: that is call's default.
  if (values.output === undefined || values.output === 'json') return printJson(res);
  const { headers, rows } = responseRows(res);
  out(values.output === 'text' ? text(rows) : table(headers, rows));
}

module.exports = { call };
