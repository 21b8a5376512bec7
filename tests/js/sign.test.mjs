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

test('import exposes every name require does, plus the module as default', () => {
  const viaRequire = require('tc3-lighthouse');
  const named = Object.keys(pkg)
    .filter((k) => k !== 'default')
    .sort();
  assert.deepEqual(named, Object.keys(viaRequire).sort());
  for (const k of named) assert.equal(pkg[k], viaRequire[k], k);
  assert.equal(pkg.default, viaRequire);
});
