// --cli-input-json: a whole ResetInstanceRequest, checked field by field before any request, so that a
// typo fails here naming the field instead of as the service's UnknownParameter after a round trip.
'use strict';

const { UsageError, addSecret, readJsonArg } = require('./io.cjs');

const str = { type: 'string' };
const int = { type: 'integer' };
const list = (items, max) => ({ type: 'array', items, max });
const obj = (fields, required = []) => ({ type: 'object', fields, required });

const CONTAINER = obj(
  {
    ContainerImage: str,
    ContainerName: str,
    Envs: list(obj({ Key: str, Value: str }, ['Key', 'Value'])),
    PublishPorts: list(obj({ HostPort: int, ContainerPort: int, Ip: str, Protocol: str }, ['HostPort', 'ContainerPort'])),
    Volumes: list(obj({ ContainerPath: str, HostPath: str }, ['ContainerPath'])),
    Command: str,
    RestartPolicy: str,
  },
  ['ContainerImage'],
);
const LOGIN = obj({ AutoGeneratePassword: { type: 'string', oneOf: ['YES', 'NO'] }, Password: str, KeyIds: list(str, 5) });
const RESET_REQUEST = obj({ InstanceId: str, BlueprintId: str, Containers: list(CONTAINER), LoginConfiguration: LOGIN });

const kindOf = (v) => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `a ${typeof v}`);

function check(v, schema, at) {
  const fail = (msg) => {
    throw new UsageError(`--cli-input-json: ${at} ${msg}`);
  };
  switch (schema.type) {
    case 'string':
      if (typeof v !== 'string') fail(`must be a string, got ${kindOf(v)}.`);
      if (schema.oneOf && !schema.oneOf.includes(v)) fail(`must be ${schema.oneOf.map((o) => `"${o}"`).join(' or ')}, got "${v}".`);
      return;
    case 'integer':
      if (!Number.isSafeInteger(v)) fail(`must be a whole number, got ${typeof v === 'number' ? v : kindOf(v)}.`);
      return;
    case 'array':
      if (!Array.isArray(v)) fail(`must be an array, got ${kindOf(v)}.`);
      if (schema.max !== undefined && v.length > schema.max) fail(`has ${v.length} items, at most ${schema.max} are allowed.`);
      for (const [i, x] of v.entries()) check(x, schema.items, `${at}[${i}]`);
      return;
    case 'object': {
      if (!v || typeof v !== 'object' || Array.isArray(v)) fail(`must be an object, got ${kindOf(v)}.`);
      const known = Object.keys(schema.fields);
      for (const k of Object.keys(v)) {
        if (known.includes(k)) continue;
        const near = known.find((n) => n.toLowerCase() === k.toLowerCase() || n.toLowerCase().startsWith(k.toLowerCase().slice(0, 4)));
        fail(`has an unknown field "${k}"${near ? ` (did you mean "${near}"?)` : ''}; known: ${known.join(', ')}.`);
      }
      for (const r of schema.required) if (v[r] === undefined) fail(`needs ${r}.`);
      for (const k of known) if (v[k] !== undefined) check(v[k], schema.fields[k], `${at}.${k}`);
      return;
    }
  }
}

/** The request in --cli-input-json (inline JSON, @file or @-), checked; its Password is never printed. */
function readResetInput(raw) {
  const { value } = readJsonArg(raw, '--cli-input-json', '--cli-input-json');
  check(value, RESET_REQUEST, 'ResetInstanceRequest');
  const login = value.LoginConfiguration;
  if (login) {
    addSecret(login.Password);
    if (login.Password !== undefined && login.KeyIds?.length) {
      throw new UsageError('--cli-input-json: ResetInstanceRequest.LoginConfiguration takes Password or KeyIds, not both.');
    }
    if (login.Password !== undefined && login.AutoGeneratePassword === 'YES') {
      throw new UsageError('--cli-input-json: ResetInstanceRequest.LoginConfiguration.Password needs AutoGeneratePassword "NO" (or none).');
    }
  }
  return value;
}

module.exports = { readResetInput };
