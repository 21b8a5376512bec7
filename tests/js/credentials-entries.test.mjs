// Issue #13: which entry has which credential provider. Node's `import`, `require` and bundler (`module`)
// entries export the same seven; the web and workerd entries have fromHttp only, and the Node-only modules
// (profile files, metadata, STS) are nowhere in their module graph, so not in the browser payload either.
import test from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { loadedFiles } from '../../bench/lib/payload.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);
const PROVIDERS = ['defaultCredentials', 'fromAssumeRole', 'fromCvmRole', 'fromEnv', 'fromHttp', 'fromProfile', 'fromWebIdentity'];

test('Node: import, require and the bundler entry export the same providers, the same functions', async () => {
  const cjs = require('tc3-lighthouse');
  const esm = await import('tc3-lighthouse');
  const bundled = readFileSync(path.join(root, 'pkg/node/bundled.mjs'), 'utf8');
  for (const name of PROVIDERS) {
    assert.equal(typeof cjs[name], 'function', name);
    assert.equal(esm[name], cjs[name], name);
    assert.match(bundled, new RegExp(`^  ${name},$`, 'm'), `bundled.mjs exports ${name}`);
  }
});

test('the web and workerd entries: fromHttp only; no Node-only module in their graph', () => {
  for (const entry of ['pkg/web/index.js', 'pkg/server/workerd.js']) {
    const src = readFileSync(path.join(root, entry), 'utf8');
    assert.match(src, /export const fromHttp = makeFromHttp\(TencentCloudError\);/, entry);
    for (const name of PROVIDERS.filter((n) => n !== 'fromHttp')) assert.doesNotMatch(src, new RegExp(`\\b${name}\\b`), `${entry} has ${name}`);
  }
  const files = loadedFiles(path.join(root, 'pkg/web/index.js')).map((f) => path.relative(root, f));
  assert.ok(files.includes('pkg/credentials/shared.js'), files.join(', '));
  assert.deepEqual(
    files.filter((f) => f.startsWith('pkg/credentials/')),
    ['pkg/credentials/shared.js'],
  );
  const shared = readFileSync(path.join(root, 'pkg/credentials/shared.js'), 'utf8');
  assert.doesNotMatch(shared, /\bimport\b|\brequire\(|process\.|node:/, 'shared.js needs nothing of Node');
});
