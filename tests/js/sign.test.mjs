// The package through `import` (Node resolves the exports map's "node" entry).
import test from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import * as pkg from 'tc3-lighthouse';

const require = createRequire(import.meta.url);
require('./sign-cases.cjs').define(pkg, { test }, assert);

test('import and require load one and the same module instance', () => {
  const viaRequire = require('tc3-lighthouse');
  assert.equal(viaRequire.TencentCloudError, pkg.TencentCloudError);
  assert.equal(viaRequire.signRequest, pkg.signRequest);
});
