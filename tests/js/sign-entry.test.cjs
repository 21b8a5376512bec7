// `tc3-lighthouse/sign` through `require`: the same signing suite.
const test = require('node:test');
const assert = require('node:assert/strict');

require('./sign-cases.cjs').define(require('tc3-lighthouse/sign'), { test }, assert);
