// The web build in headless Chromium: a page and a module Web Worker sign every vector.
import test from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { startStaticServer } from '../helpers/static-server.mjs';
import { launch } from '../helpers/browser.mjs';
import { loadedFiles } from '../../bench/lib/payload.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const count = JSON.parse(readFileSync(path.join(root, 'tests/vectors/tc3.json'), 'utf8')).vectors.length;

for (const [label, query, loads, never, webDir] of [
  ['web build', '', '/pkg/web/tc3_lighthouse_bg.wasm', '/pkg/sign/', 'pkg/web'],
  ['signer entry (tc3-lighthouse/sign)', '?entry=sign', '/pkg/sign/web/tc3_lighthouse_sign_bg.wasm', '/pkg/web/tc3_lighthouse', 'pkg/sign/web'],
])
  test(`${label} in Chromium: page and module worker`, async (t) => {
    const server = await startStaticServer(root);
    const browser = await launch();
    t.after(async () => {
      await browser.close();
      await server.close();
    });
    const page = await browser.newPage();
    const errors = [];
    const fetched = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
    await page.goto(`${server.url}/tests/browser/sign-page.html${query}`);
    // The load event does not wait for the module's top-level await (the wasm's instantiation).
    await page.waitForFunction(() => window.__signResults !== undefined);
    const inPage = await page.evaluate(() => window.__signResults);
    assert.deepEqual(errors, []);
    assert.equal(inPage.error, undefined);
    assert.equal(inPage.results.length, count);
    for (const r of inPage.results) assert.ok(r.ok, `page: ${r.name}`);
    assert.equal(inPage.badInput.isClass, true);
    assert.equal(inPage.badInput.code, 'ClientError.InvalidArgument');
    assert.match(inPage.badInput.message, /input\.action/);
    assert.ok(fetched.includes(loads), fetched.join(' '));
    assert.ok(!fetched.some((p) => p.startsWith(never)), fetched.join(' '));
    // What the bench counts as the browser payload is exactly what the page fetched from pkg/.
    const counted = loadedFiles(path.join(root, webDir, 'index.js')).map((f) => '/' + path.relative(root, f).split(path.sep).join('/'));
    assert.deepEqual([...new Set(fetched.filter((p) => p.startsWith('/pkg/')))].sort(), counted.sort());

    const inWorker = await page.evaluate(
      () =>
        new Promise((resolve) => {
          const w = new Worker(`./sign-run.js${location.search}`, { type: 'module' });
          w.onmessage = (e) => resolve(e.data);
          w.onerror = (e) => resolve({ error: e.message });
        }),
    );
    assert.equal(inWorker.error, undefined);
    assert.equal(inWorker.results.length, count);
    for (const r of inWorker.results) assert.ok(r.ok, `worker: ${r.name}`);
    assert.equal(inWorker.badInput.code, 'ClientError.InvalidArgument');
  });
