// Issue #5: the web console (www/) driven in headless Chromium against the servers `npm start` runs (the local
// Lighthouse API seeded as a demo account, the signing proxy, the console). Screenshots go to test-results/;
// CONSOLE_SCREENSHOT_TO_DOCS=1 also refreshes docs/console.png (the README's).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, copyFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch, hasChromium } from '../helpers/browser.mjs';
import { DEMO_CREDENTIALS } from '../../local-api/server.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const RESULTS = path.join(root, 'test-results');
// The console lists one region at a time, as the API answers: the demo's ap-guangzhou has 3 of its 13 instances.
const GZ_IDS = 3;
const RESET_TIMEOUT = 30_000;

/** Starts `node scripts/start.mjs` on a free port; resolves with the URLs it printed. */
function startConsole() {
  // --no-build: test the pkg/ that `npm test` just built, even if someone is editing src/ meanwhile.
  const child = spawn(process.execPath, [path.join(root, 'scripts', 'start.mjs'), '--no-build'], {
    cwd: root,
    env: { ...process.env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => {
    err += d;
  });
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start printed no Console URL in 60 s:\n${out}\n${err}`)), 60_000);
    child.stdout.on('data', (d) => {
      out += d;
      const consoleUrl = out.match(/^Console: (http:\/\/127\.0\.0\.1:\d+\/)$/m)?.[1];
      if (consoleUrl) {
        clearTimeout(timer);
        resolve({ consoleUrl, apiUrl: out.match(/^Local API: (http:\/\/127\.0\.0\.1:\d+)$/m)?.[1], stdout: () => out });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited (${code}):\n${out}\n${err}`));
    });
  });
  return { child, ready };
}

/** A raw HTTP request (no URL normalisation, any Host header). */
function rawRequest(url, { method = 'GET', path: p, headers = {}, body } = {}) {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, method, path: p ?? u.pathname, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => {
        text += c;
      });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const control = async (apiUrl, what, body) => {
  const res = await fetch(`${apiUrl}/__control/${what}`, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) });
  return res.json();
};

describe('npm start: the web console in Chromium', { skip: !hasChromium && 'no Chromium at /usr/bin/chromium' }, () => {
  let proc;
  let urls;
  let browser;
  let page;
  const requests = [];
  const pageErrors = [];
  const consoleErrors = [];
  let directFrom = Infinity; // index in `requests` where direct mode began

  const row = (id) => page.locator(`#instance-rows tr[data-id="${id}"]`);
  /** Picks a region in the selector and waits for its list. */
  const showRegion = async (region) => {
    await page.selectOption('#region-filter', region);
    await page.waitForFunction((r) => !document.querySelector('#refresh').disabled && document.querySelector('#announce').textContent.includes(r), region);
  };
  /** The reset dialog's image options, once DescribeResetInstanceBlueprints has answered. */
  const pickerOptions = async () => {
    await page.waitForFunction(() => !document.querySelector('#reset-blueprint').hasAttribute('aria-busy'));
    return page.locator('#reset-blueprint option').evaluateAll((os) => os.map((o) => ({ value: o.value, disabled: o.disabled })));
  };
  const usable = (opts) => opts.filter((o) => !o.disabled).map((o) => o.value);
  const effectiveResets = async (id) =>
    (await control(urls.apiUrl, 'log')).filter((e) => e.action === 'ResetInstance' && !e.errorCode && (!id || e.params?.InstanceId === id));

  before(async () => {
    await mkdir(RESULTS, { recursive: true });
    proc = startConsole();
    urls = await proc.ready;
    assert.ok(urls.apiUrl, 'npm start prints the local API URL in demo mode');
    browser = await launch();
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('request', (r) => {
      requests.push((async () => ({ url: r.url(), method: r.method(), headers: await r.allHeaders().catch(() => r.headers()), body: r.postData() || '' }))());
    });
    await page.goto(urls.consoleUrl);
  });

  after(async () => {
    await browser?.close();
    if (proc && proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill('SIGKILL');
  });

  it('serves the console with a strict Content-Security-Policy, the web build and nothing else', async () => {
    const index = await rawRequest(urls.consoleUrl);
    assert.equal(index.status, 200);
    const csp = index.headers['content-security-policy'];
    assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'(;|$)/);
    assert.match(csp, /default-src 'none'/);
    assert.doesNotMatch(csp, /unsafe-inline/);
    assert.equal(index.headers['x-content-type-options'], 'nosniff');
    assert.doesNotMatch(index.text, /<script(?![^>]*\bsrc=)[^>]*>/i, 'no inline script');
    assert.doesNotMatch(index.text, /\son[a-z]+=/i, 'no inline event handler');

    const wasm = await rawRequest(`${urls.consoleUrl}pkg/tc3_lighthouse_bg.wasm`);
    assert.equal(wasm.status, 200);
    assert.equal(wasm.headers['content-type'], 'application/wasm');
    assert.match((await rawRequest(`${urls.consoleUrl}pkg/index.js`)).headers['content-type'], /^text\/javascript/);
    assert.match((await rawRequest(`${urls.consoleUrl}app.js`)).headers['content-type'], /^text\/javascript/);

    for (const p of ['/pkg/../package.json', '/pkg/%2e%2e/%2e%2e/package.json', '/..%2fscripts/start.mjs', '/%2e%2e/local-api/server.mjs']) {
      const r = await rawRequest(urls.consoleUrl, { path: p });
      assert.ok(r.status === 403 || r.status === 404, `${p}: ${r.status}`);
      assert.doesNotMatch(r.text, /tc3-lighthouse-workspace|createServer/);
    }
    // DNS rebinding and other sites: a foreign Host or Origin gets nothing from the proxy.
    assert.equal((await rawRequest(urls.consoleUrl, { headers: { host: 'evil.example:80' } })).status, 421);
    const foreign = await rawRequest(`${urls.consoleUrl}api`, {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/json', 'x-tc-action': 'DescribeInstances' },
      body: '{}',
    });
    assert.equal(foreign.status, 403);
    assert.doesNotMatch(foreign.text, /InstanceSet/);
    // Only the actions the console needs pass the proxy.
    const other = await rawRequest(`${urls.consoleUrl}api`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-tc-action': 'StopInstances' },
      body: '{"InstanceIds":["lhins-ruy9d2tw"]}',
    });
    assert.equal(JSON.parse(other.text).Response.Error.Code, 'UnauthorizedOperation.ActionNotAllowed');
  });

  it('loads the instance table of the region: name, ID, state, OS, blueprint, latest operation, zone, IP', async () => {
    await page
      .locator('#instance-rows tr')
      .nth(GZ_IDS - 1)
      .waitFor({ timeout: 15_000 });
    assert.equal(await page.locator('#instance-rows tr').count(), GZ_IDS);
    assert.match(await page.locator('#mode-badge').textContent(), /Signing proxy/);
    const text = await row('lhins-ruy9d2tw').innerText();
    for (const s of ['web-prod-gz-01', 'lhins-ruy9d2tw', 'RUNNING', 'CentOS 7.9', 'lhbp-cent79ab', 'ap-guangzhou-3', '43.138.52.117']) {
      assert.ok(text.includes(s), `row text has ${s}: ${text}`);
    }
    // The region selector lists the API's regions (DescribeRegions); each region shows its own instances.
    const regions = await page.locator('#region-filter option').evaluateAll((os) => os.map((o) => o.value));
    for (const r of ['ap-guangzhou', 'ap-shanghai', 'ap-singapore', 'ap-nanjing', 'eu-frankfurt']) assert.ok(regions.includes(r), regions.join());
    assert.equal(await page.inputValue('#region-filter'), 'ap-guangzhou');
    await showRegion('ap-nanjing');
    assert.match(await row('lhins-f4i1ed0x').locator('.col-op').innerText(), /ResetInstance\s+FAILED/);
    assert.equal(await row('lhins-ruy9d2tw').count(), 0, "another region's instance is not listed");
    await showRegion('ap-hongkong');
    assert.match(await row('lhins-dk8r4c2n').locator('.col-blueprint').innerText(), /DOCKER/);
    await showRegion('ap-singapore');
    assert.match(await row('lhins-w1n2k3sv').locator('.col-os').innerText(), /Windows/);
    // A reset already running when the region was listed is followed by the waiter too.
    await row('lhins-m5t7w2eb').locator('[data-op-state="SUCCESS"]').waitFor({ timeout: 15_000 });
    assert.equal(await page.locator('#instance-rows tr').count(), 2);
    assert.deepEqual(pageErrors, []);
  });

  it('offers the images DescribeResetInstanceBlueprints allows, says why the others cannot be used, and Escape gives the focus back', async () => {
    const button = row('lhins-w1n2k3sv').getByRole('button', { name: /^Reset / });
    await button.click();
    const dialog = page.locator('#reset-dialog');
    assert.equal(await dialog.evaluate((d) => d.open), true);
    const options = await pickerOptions();
    assert.deepEqual(usable(options), ['', 'lhbp-win2022d']);
    assert.ok(
      options.some((o) => o.value === 'lhbp-5e8807lo' && o.disabled),
      'a Linux image is shown, disabled',
    );
    const why = await page.locator('#blueprint-why').innerText();
    assert.match(why, /Ubuntu 22\.04 LTS \(lhbp-5e8807lo\): Switching between Linux and Windows systems is not supported/);
    assert.match(why, /lhbp-cent76ol\): The blueprint is not available/);
    const log = await control(urls.apiUrl, 'log');
    assert.ok(log.some((e) => e.action === 'DescribeResetInstanceBlueprints' && e.params.InstanceId === 'lhins-w1n2k3sv' && e.ok));
    await page.keyboard.press('Escape');
    assert.equal(await dialog.evaluate((d) => d.open), false);
    assert.equal(await button.evaluate((b) => b === document.activeElement), true, 'focus back on the Reset button');
  });

  it('asks for the exact instance ID before a reset, then follows it to SUCCESS', async () => {
    const id = 'lhins-ruy9d2tw';
    await showRegion('ap-guangzhou');
    await row(id)
      .getByRole('button', { name: /^Reset / })
      .click();
    const go = page.locator('#reset-go');
    assert.equal(await page.locator('#reset-dialog').evaluate((d) => d.open), true);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'reset-confirm', 'focus moves into the dialog');
    assert.match(await page.locator('#reset-dialog').innerText(), /wipes the system disk/i);
    const values = usable(await pickerOptions());
    assert.ok(values.includes('') && values.includes('lhbp-5e8807lo') && !values.includes('lhbp-win2022d'), values.join());
    assert.equal(await go.isDisabled(), true);
    for (const wrong of ['lhins-ruy9d2t', 'LHINS-RUY9D2TW', 'lhins-abcd1234', 'web-prod-gz-01']) {
      await page.fill('#reset-confirm', wrong);
      assert.equal(await go.isDisabled(), true, `disabled with "${wrong}"`);
    }
    assert.equal((await effectiveResets(id)).length, 0);
    await page.selectOption('#reset-blueprint', 'lhbp-5e8807lo');
    await page.fill('#reset-confirm', id);
    assert.equal(await go.isDisabled(), false);
    await go.click();
    assert.equal(await page.locator('#reset-dialog').evaluate((d) => d.open), false);

    await row(id).locator('progress').waitFor({ timeout: 10_000 });
    await row(id).locator('[data-op-state="OPERATING"]').waitFor({ timeout: 10_000 });
    await row(id).locator('[data-op-state="SUCCESS"]').waitFor({ timeout: RESET_TIMEOUT });
    assert.equal(await row(id).locator('progress').count(), 0);
    assert.match(await row(id).locator('.col-blueprint').innerText(), /Ubuntu/);
    const resets = await effectiveResets(id);
    assert.equal(resets.length, 1, 'one reset took effect');
    assert.deepEqual(resets[0].params, { InstanceId: id, BlueprintId: 'lhbp-5e8807lo' });
    assert.equal(await row(id).locator('.op-rid').innerText(), resets[0].requestId);
  });

  it('resets several selected instances at once, confirmed by typing their number', async () => {
    await showRegion('ap-shanghai');
    const ids = ['lhins-efgh5678', 'lhins-q8d2k7mz'];
    for (const id of ids) await row(id).locator('input.row-select').check();
    assert.match(await page.locator('#reset-selected').innerText(), /Reset selected \(2\)/);
    await page.click('#reset-selected');
    assert.equal(await page.locator('#reset-targets li').count(), 2);
    // Only the images both can take; the custom WordPress image of ap-shanghai is among them.
    assert.ok(usable(await pickerOptions()).includes('lhbp-shblog01'));
    const go = page.locator('#reset-go');
    await page.fill('#reset-confirm', '1');
    assert.equal(await go.isDisabled(), true);
    await page.fill('#reset-confirm', '2');
    assert.equal(await go.isDisabled(), false);
    await go.click();

    // The README's screenshot: the table with resets in progress.
    await row(ids[0]).locator('[data-op-state="OPERATING"]').waitFor({ timeout: 10_000 });
    await page.evaluate(() => window.scrollTo(0, 0));
    const shot = path.join(RESULTS, 'console.png');
    await page.screenshot({ path: shot });
    if (process.env.CONSOLE_SCREENSHOT_TO_DOCS === '1') await copyFile(shot, path.join(root, 'docs', 'console.png'));

    for (const id of ids) await row(id).locator('[data-op-state="SUCCESS"]').waitFor({ timeout: RESET_TIMEOUT });
    for (const id of ids) assert.equal((await effectiveResets(id)).length, 1, id);
    assert.match(await page.locator('#selection-status').innerText(), /No instance selected/);
  });

  it('shows an error with its code, message, RequestId and a hint for its kind', async () => {
    // The PENDING instance: the service refuses with OperationDenied.InstanceCreating (kind busy).
    const id = 'lhins-p3n9x1ca';
    await showRegion('ap-beijing');
    await row(id)
      .getByRole('button', { name: /^Reset / })
      .click();
    assert.match(await page.locator('#reset-state-note').innerText(), /PENDING/);
    await page.fill('#reset-confirm', id);
    await page.click('#reset-go');
    const item = page.locator('.error-item[data-code="OperationDenied.InstanceCreating"]');
    await item.waitFor({ timeout: 10_000 });
    const logged = (await control(urls.apiUrl, 'log')).find((e) => e.errorCode === 'OperationDenied.InstanceCreating');
    assert.ok(logged?.requestId);
    assert.equal(await item.locator('.error-code').innerText(), 'OperationDenied.InstanceCreating');
    assert.equal(await item.locator('.error-request-id').innerText(), logged.requestId);
    assert.match(await item.locator('.error-message').innerText(), /being created/);
    assert.match(await item.locator('.error-hint').innerText(), /Wait until the current operation finishes/);
    assert.match(await row(id).locator('.col-op').innerText(), /Reset failed: OperationDenied\.InstanceCreating/);

    // A permission error injected in the local API: kind auth, its own hint.
    await control(urls.apiUrl, 'fault', {
      action: 'ResetInstance',
      kind: 'serviceError',
      code: 'UnauthorizedOperation.NoPermission',
      message: 'No permission to reset this instance.',
      instanceId: 'lhins-abcd1234',
    });
    await showRegion('ap-guangzhou');
    await row('lhins-abcd1234')
      .getByRole('button', { name: /^Reset / })
      .click();
    await page.fill('#reset-confirm', 'lhins-abcd1234');
    await page.click('#reset-go');
    const auth = page.locator('.error-item[data-code="UnauthorizedOperation.NoPermission"]');
    await auth.waitFor({ timeout: 10_000 });
    assert.match(await auth.locator('.error-hint').innerText(), /credentials|CAM policy/);
    assert.match(await auth.locator('.error-request-id').innerText(), /^[0-9a-f-]{36}$/);
    assert.equal((await effectiveResets('lhins-abcd1234')).length, 0);
    assert.equal(await page.locator('#errors').isVisible(), true);
    await page.screenshot({ path: path.join(RESULTS, 'console-errors.png'), fullPage: true });
  });

  it('sends no TC3 signature from the page in proxy mode', async () => {
    const seen = await Promise.all(requests);
    const origin = new URL(urls.consoleUrl).origin;
    const api = seen.filter((r) => new URL(r.url).pathname === '/api');
    assert.ok(api.length >= 10, `requests to /api: ${api.length}`);
    for (const r of seen) {
      assert.equal(new URL(r.url).origin, origin, `only the console's origin: ${r.url}`);
      const headers = Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k.toLowerCase(), v]));
      assert.equal(headers.authorization, undefined, `${r.url} has no Authorization`);
      assert.equal(headers['x-tc-token'], undefined);
      assert.doesNotMatch(JSON.stringify(headers) + r.body, /TC3-HMAC-SHA256|AKIDLocalLighthouseDemo|LocalLighthouseDemoSecretKey/);
    }
    assert.ok(
      api.some((r) => r.body.includes('"InstanceId":"lhins-ruy9d2tw"')),
      'the reset went through the proxy',
    );
    // Every call says its region: the one selected when it was made.
    const lower = (h) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
    const regions = new Set(api.map((r) => lower(r.headers)['x-tc-region']));
    for (const r of ['ap-guangzhou', 'ap-shanghai', 'ap-singapore', 'ap-beijing']) assert.ok(regions.has(r), [...regions].join());
    assert.ok(!regions.has(undefined), 'no call without X-TC-Region');
    assert.deepEqual(pageErrors, []);
    assert.deepEqual(
      consoleErrors.filter((m) => /Content.Security.Policy|Refused to/i.test(m)),
      [],
      'nothing blocked by the CSP',
    );
  });

  it('fits a 390 px phone: no horizontal scroll, instances as cards', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.evaluate(() => window.scrollTo(0, 0));
    const m = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
    assert.ok(m.scroll <= m.inner, `scrollWidth ${m.scroll} > innerWidth ${m.inner}`);
    const box = await row('lhins-ruy9d2tw').boundingBox();
    assert.ok(box.width <= 390, `card width ${box.width}`);
    await row('lhins-ruy9d2tw').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(RESULTS, 'console-phone.png') });
    await row('lhins-ruy9d2tw')
      .getByRole('button', { name: /^Reset / })
      .click();
    const d = await page.locator('#reset-dialog').boundingBox();
    assert.ok(d.x >= 0 && d.x + d.width <= 390, `dialog ${JSON.stringify(d)}`);
    await page.screenshot({ path: path.join(RESULTS, 'console-phone-dialog.png') });
    await page.click('#reset-cancel');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('direct mode: pasted temporary credentials sign in the page, in memory only', async () => {
    directFrom = requests.length;
    await page.click('#connection summary');
    await page.check('input[name="mode"][value="direct"]');
    assert.match(await page.locator('#memory-note').innerText(), /never written to localStorage/);
    assert.equal(await page.inputValue('#d-endpoint'), urls.apiUrl);
    await page.fill('#d-secret-id', DEMO_CREDENTIALS.secretId);
    await page.fill('#d-secret-key', DEMO_CREDENTIALS.secretKey);
    await page.fill('#d-token', '');
    await page.fill('#d-expires', String(Math.floor(Date.now() / 1000) + 3600));
    await page.click('#direct-form button[type="submit"]');
    await page.waitForFunction(() => document.querySelector('#mode-badge')?.dataset.mode === 'direct');
    await page.waitForFunction(() => document.querySelectorAll('#instance-rows tr').length >= 3 && !document.querySelector('#refresh').disabled);
    assert.equal(await page.inputValue('#d-secret-key'), '', 'the SecretKey field is cleared');
    const storage = await page.evaluate(() => ({ local: localStorage.length, session: sessionStorage.length, cookie: document.cookie }));
    assert.deepEqual(storage, { local: 0, session: 0, cookie: '' });
    const html = await page.content();
    assert.doesNotMatch(html, new RegExp(DEMO_CREDENTIALS.secretKey));

    const direct = (await Promise.all(requests.slice(directFrom))).filter((r) => r.url.startsWith(urls.apiUrl));
    assert.ok(direct.length >= 2, 'the page called the API directly');
    const signed = direct.find((r) => r.method === 'POST');
    assert.match(signed.headers.authorization, /^TC3-HMAC-SHA256 Credential=AKIDLocalLighthouseDemo/);
    const log = await control(urls.apiUrl, 'log');
    assert.ok(
      log.some((e) => e.action === 'DescribeInstances' && e.ok),
      "the local API accepted the page's signature",
    );

    await page.click('#forget');
    await page.waitForFunction(() => document.querySelector('#mode-badge')?.dataset.mode === 'proxy');
    assert.equal(await page.inputValue('#d-secret-id'), '');
    assert.deepEqual(pageErrors, []);
  });

  it('temporary-credentials mode: fromHttp fetches STS credentials from the server, the page signs with them', async () => {
    const from = requests.length;
    await page.check('input[name="mode"][value="sts"]');
    await page.waitForFunction(() => document.querySelector('#mode-badge')?.dataset.mode === 'sts');
    // ap-guangzhou's 3 instances (the console lists one region at a time).
    await page.waitForFunction(() => document.querySelectorAll('#instance-rows tr').length === 3 && !document.querySelector('#refresh').disabled);
    await page.click('#refresh');
    await page.waitForFunction(() => !document.querySelector('#refresh').disabled);
    const seen = await Promise.all(requests.slice(from));
    assert.equal(seen.filter((r) => r.url === `${urls.consoleUrl}sts-credentials`).length, 1, 'fetched once, then cached');
    const signed = seen.filter((r) => r.url.startsWith(urls.apiUrl) && r.method === 'POST');
    assert.ok(signed.length >= 2, 'the page called the API directly');
    assert.ok(signed.every((r) => /^TC3-HMAC-SHA256 Credential=AKIDTmp/.test(r.headers.authorization) && r.headers['x-tc-token']));
    const log = await control(urls.apiUrl, 'log');
    assert.ok(
      log.some((e) => e.action === 'AssumeRole' && e.ok && e.secretId === DEMO_CREDENTIALS.secretId),
      'the server assumed the role',
    );
    assert.ok(
      log.some((e) => e.action === 'DescribeInstances' && e.ok && e.secretId?.startsWith('AKIDTmp')),
      'the API accepted the temporary credentials',
    );
    // Another site cannot take them.
    const cross = await rawRequest(`${urls.consoleUrl}sts-credentials`, { headers: { host: new URL(urls.consoleUrl).host, 'sec-fetch-site': 'cross-site' } });
    assert.equal(cross.status, 403);
    await page.check('input[name="mode"][value="proxy"]');
    await page.waitForFunction(() => document.querySelector('#mode-badge')?.dataset.mode === 'proxy');
    assert.deepEqual(pageErrors, []);
  });

  it('Ctrl-C stops the console and the local API', async () => {
    const exited = new Promise((resolve) => proc.child.on('exit', (code, signal) => resolve({ code, signal })));
    proc.child.kill('SIGINT');
    assert.deepEqual(await exited, { code: 0, signal: null });
    await assert.rejects(fetch(urls.consoleUrl), 'the console is closed');
    await assert.rejects(fetch(`${urls.apiUrl}/__control/stats`), 'the local API is closed');
  });
});
