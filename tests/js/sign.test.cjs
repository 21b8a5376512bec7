// The package through `require`.
const test = require('node:test');
const assert = require('node:assert/strict');
require('./sign-cases.cjs').define(require('tc3-lighthouse'), { test }, assert);
