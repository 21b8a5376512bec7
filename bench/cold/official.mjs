// Cold start, the official signer: a fresh process, from loading its signing module
// (tencentcloud-sdk-nodejs-common/tencentcloud/common/sign.js) to the first Sign.sign3.
// With --entry it first loads the package's entry (what an SDK user's process loads).
// An ES module like ours.mjs, so both processes boot the same way.
// Prints one JSON line: { importToSignMs, processStartToSignMs, authorization }.
import { performance } from 'node:perf_hooks';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const input = JSON.parse(readFileSync(new URL('./inputs.json', import.meta.url), 'utf8'));
const t0 = performance.now();
if (process.argv.includes('--entry')) require('tencentcloud-sdk-nodejs-common');
const Sign = require('tencentcloud-sdk-nodejs-common/tencentcloud/common/sign.js').default;
const authorization = Sign.sign3({
  method: 'POST',
  url: 'https://lighthouse.tencentcloudapi.com/',
  payload: Buffer.from(input.payload, 'utf8'),
  timestamp: input.timestamp,
  service: 'lighthouse',
  secretId: input.secretId,
  secretKey: input.secretKey,
  multipart: false,
  headers: { 'Content-Type': 'application/json' },
});
const t1 = performance.now();
process.stdout.write(`${JSON.stringify({ importToSignMs: t1 - t0, processStartToSignMs: t1, authorization })}\n`);
