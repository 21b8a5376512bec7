// The Node providers' option checks (typed errors naming the field). Node only: the web entries never load it.
'use strict';

const invalidArgument = (E, message) => new E('ClientError.InvalidArgument', message, { kind: 'invalidInput', retryable: false });

/** `options` absent, or an object with only `known` keys; `label` names it in the message. */
function checkOptions(E, options, label, known) {
  if (options === undefined || options === null) return {};
  if (typeof options !== 'object' || Array.isArray(options)) throw invalidArgument(E, `\`${label}\` must be an object.`);
  for (const k of Object.keys(options)) {
    if (!known.includes(k)) throw invalidArgument(E, `\`${label}.${k}\` is not a known option (known: ${known.join(', ') || 'none'}).`);
  }
  return options;
}

function optionalString(E, value, label) {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value === '') throw invalidArgument(E, `\`${label}\` must be a non-empty string.`);
  return value;
}

function positiveInteger(E, value, label, max = Number.MAX_SAFE_INTEGER) {
  if (value === undefined || value === null) return undefined;
  if (!Number.isInteger(value) || value <= 0 || value > max) {
    throw invalidArgument(E, `\`${label}\` must be a positive integer${max < Number.MAX_SAFE_INTEGER ? ` up to ${max}` : ''}.`);
  }
  return value;
}

module.exports = { invalidArgument, checkOptions, optionalString, positiveInteger };
