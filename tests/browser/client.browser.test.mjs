// Issue #3 in headless Chromium: a page served on one port calls the local Lighthouse API on another port
// through CORS with the web build: success, a service error, BadResponse, network, abort, timeout, temporary
// credentials and clock-skew recovery. Faults and the skew are set through the API's control endpoints.
import test, { describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStaticServer } from '../helpers/static-server.mjs';
import { launch } from '../helpers/browser.mjs';
import { startLighthouseApi, DEMO_CREDENTIALS } from '../../local-api/server.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TEMP = {
  secretId: 'AKIDBrowserTemporary00000000000000001',
  secretKey: 'BrowserTest-temp-key-DO-NOT-LEAK-0001',
  token: 'BrowserTest-temp-token-DO-NOT-LEAK-0002',
};

async function closedPort() {
  const s = net.createServer();
  await new Promise((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address();
  await new Promise((resolve) => s.close(resolve));
  return port;
}

describe('web build in Chromium: the client against a cross-origin local API', () => {
  let server;
  let api;
  let browser;
  let r;
  const pageErrors = [];
  const consoleErrors = [];

  before(async () => {
    server = await startStaticServer(root);
    api = await startLighthouseApi({ credentials: [DEMO_CREDENTIALS, TEMP], rateLimit: 0, cors: true });
    browser = await launch();
    const page = await browser.newPage();
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    await page.goto(`${server.url}/tests/browser/client-page.html`);
    await page.waitForFunction(() => typeof window.__clientRun === 'function', null, { timeout: 10_000 });
    r = await page.evaluate((args) => window.__clientRun(args), {
      api: api.url,
      credentials: { ...DEMO_CREDENTIALS },
      temporary: TEMP,
      closedEndpoint: `http://127.0.0.1:${await closedPort()}`,
    });
  });
  after(async () => {
    await browser?.close();
    await api?.close();
    await server?.close();
  });

  test('two origins, no page errors', () => {
    assert.notEqual(new URL(server.url).port, String(api.port));
    assert.deepEqual(pageErrors, []);
  });

  test('describeInstances, describeBlueprints, resetInstance (signed Host with the port, set by the browser)', () => {
    const ctx = JSON.stringify({ consoleErrors: consoleErrors.slice(0, 5) });
    assert.equal(r.describe.ok, true, `${JSON.stringify(r.describe)} ${ctx}`);
    assert.deepEqual({ total: r.describe.value.total, n: r.describe.value.n }, { total: 13, n: 2 });
    assert.equal(api.log.find((e) => e.requestId === r.describe.value.requestId)?.action, 'DescribeInstances');
    assert.equal(r.describeBlueprints.ok, true, JSON.stringify(r.describeBlueprints));
    assert.deepEqual(r.describeBlueprints.value.ids, ['lhbp-deb12x64']);
    assert.equal(r.reset.ok, true, JSON.stringify(r.reset));
    assert.equal(typeof r.reset.value.RequestId, 'string');
    const resets = api.log.filter((e) => e.action === 'ResetInstance' && !e.errorCode);
    assert.deepEqual(
      resets.map((e) => e.requestId),
      [r.reset.value.RequestId],
    );
    assert.deepEqual(resets[0].params, { InstanceId: 'lhins-ruy9d2tw', BlueprintId: 'lhbp-5e8807lo' });
  });

  test("a service error: TencentCloudError with the code verbatim and the answer's RequestId", () => {
    assert.equal(r.serviceError.ok, false);
    const se = r.serviceError.error;
    assert.equal(se.isClass, true);
    assert.equal(se.isInstance, true);
    assert.equal(se.isError, true);
    assert.equal(se.name, 'TencentCloudError');
    assert.equal(se.code, 'ResourceNotFound.InstanceIdNotFound');
    assert.equal(se.kind, 'notFound');
    assert.equal(se.retryable, false);
    assert.equal(se.httpStatus, 200);
    assert.equal(se.action, 'ResetInstance');
    assert.match(se.message, /lhins-zzzzzzzz/);
    const found = api.log.filter((e) => e.errorCode === 'ResourceNotFound.InstanceIdNotFound');
    assert.equal(found.length, 1);
    assert.equal(se.requestId, found[0].requestId);
    assert.equal(r.invalid.error.code, 'InvalidParameterValue.InstanceIdMalformed');
    assert.equal(
      api.log.some((e) => e.params?.InstanceId === 'lhins-NOPE'),
      false,
      'refused before any request',
    );
  });

  test('the browser build: a logger gets one entry per attempt, no secret; the proxy and the journal are refused as server-side', () => {
    assert.equal(r.logger.ok, true, JSON.stringify(r.logger));
    assert.equal(r.logger.value.leaked, false);
    assert.deepEqual(
      r.logger.value.entries.map((e) => [e.message, e.action, e.status, e.attempt]),
      [['tc3-lighthouse: attempt', 'DescribeInstances', 200, 1]],
    );
    for (const refused of [r.proxy, r.journal]) {
      assert.equal(refused.ok, false, JSON.stringify(refused));
      assert.equal(refused.error.code, 'ClientError.Unsupported');
      assert.equal(refused.error.isClass, true);
    }
  });

  test('temporary credentials from an async provider (X-TC-Token through CORS); a wrong token is refused', () => {
    assert.equal(r.temporary.ok, true, JSON.stringify(r.temporary));
    assert.equal(r.temporary.value.id, 'lhins-abcd1234');
    assert.equal(r.wrongToken.error.code, 'AuthFailure.TokenFailure');
    assert.equal(r.wrongToken.error.kind, 'auth');
  });

  test('BadResponse via a fault set through POST /__control/fault; a read is retried', () => {
    assert.equal(r.badResponse.ok, false);
    assert.equal(r.badResponse.error.code, 'ClientError.BadResponse');
    assert.equal(r.badResponse.error.httpStatus, 500);
    assert.equal(r.badResponse.error.retryable, true);
    assert.equal(api.log.filter((e) => e.errorCode === 'Fault.html500').length, 2);
    assert.equal(r.badGatewayRetried.ok, true, JSON.stringify(r.badGatewayRetried));
    assert.equal(r.badGatewayRetried.value, 1);
  });

  test('network error, abort before and during a slow call, timeout', () => {
    assert.equal(r.network.error.code, 'ClientError.Network');
    assert.equal(r.network.error.kind, 'network');
    assert.equal(r.network.error.causeIsTypeError, true);
    assert.equal(r.abortBefore.error.code, 'ClientError.Aborted');
    assert.equal(r.abortBefore.error.kind, 'aborted');
    assert.equal(r.abortDuring.ok, false);
    assert.equal(r.abortDuring.error.code, 'ClientError.Aborted');
    assert.ok(r.abortDuring.settledMs < 1000, `settled ${r.abortDuring.settledMs} ms after abort (the server holds it 3 s)`);
    assert.equal(r.timeout.error.code, 'ClientError.Timeout');
    assert.equal(r.timeout.error.kind, 'timeout');
    assert.ok(r.timeout.elapsedMs >= 190 && r.timeout.elapsedMs < 1500, `timeout after ${r.timeout.elapsedMs} ms`);
  });

  test('clock skew set through POST /__control/config: one SignatureExpire (Date exposed by CORS), then the offset is kept', () => {
    assert.equal(r.skew.ok, true, JSON.stringify(r.skew));
    assert.equal(r.skewAgain.ok, true, JSON.stringify(r.skewAgain));
    const afterSkew = api.log.slice(r.logIndexBeforeSkew).map((e) => [e.action, e.errorCode]);
    assert.deepEqual(afterSkew, [
      ['DescribeInstances', 'AuthFailure.SignatureExpire'],
      ['DescribeInstances', null],
      ['DescribeBlueprints', null],
    ]);
  });

  test("no secret in any error or in the client's printable forms", () => {
    for (const [k, v] of Object.entries(r)) {
      if (v && typeof v === 'object' && v.error) assert.equal(v.error.leaked, false, `secret leaked in ${k}`);
    }
    assert.equal(r.clientLeaked, false);
    assert.match(r.clientRendered, /LighthouseClient/);
    for (const s of [DEMO_CREDENTIALS.secretKey, TEMP.secretKey, TEMP.token]) assert.ok(!JSON.stringify(r).includes(s));
  });
});
