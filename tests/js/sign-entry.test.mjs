// `tc3-lighthouse/sign`: signRequest alone, from its own smaller wasm, through `import`; the same
// signing suite as the whole package, and the same error class.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync, statSync } from 'node:fs';
import * as sign from 'tc3-lighthouse/sign';
import * as whole from 'tc3-lighthouse';

const require = createRequire(import.meta.url);
require('./sign-cases.cjs').define(sign, { test }, assert);

test('the signer entry: import and require share one instance; only signRequest and the error class', () => {
  const viaRequire = require('tc3-lighthouse/sign');
  assert.equal(viaRequire.signRequest, sign.signRequest);
  assert.deepEqual(
    Object.keys(sign)
      .filter((k) => !k.startsWith('__') && k !== 'default')
      .sort(),
    ['TencentCloudError', 'signRequest'],
  );
});

test("the signer entry throws the whole package's TencentCloudError class", () => {
  assert.equal(sign.TencentCloudError, whole.TencentCloudError);
  assert.throws(
    () => sign.signRequest({}),
    (e) => e instanceof whole.TencentCloudError && e.code === 'ClientError.InvalidArgument',
  );
});

test('the signer entry signs exactly as the whole package', () => {
  const input = {
    secretId: 'AKIDX',
    secretKey: 'k',
    action: 'ResetInstance',
    region: 'ap-guangzhou',
    token: 't',
    language: 'en-US',
    timestamp: 1700000000,
    payload: '{"InstanceId":"lhins-abcd1234"}',
  };
  assert.deepEqual(sign.signRequest(input), whole.signRequest(input));
});

test('the signer entry is a separate, smaller wasm', () => {
  const pkg = new URL('../../pkg/', import.meta.url);
  const a = statSync(new URL('sign/web/tc3_lighthouse_sign_bg.wasm', pkg)).size;
  const b = statSync(new URL('server/tc3_lighthouse_server_bg.wasm', pkg)).size;
  assert.ok(a < b / 2, `${a} vs ${b}`);
  assert.ok(!readFileSync(new URL('sign/node/tc3_lighthouse_sign.js', pkg), 'utf8').includes('LighthouseClient'));
});
