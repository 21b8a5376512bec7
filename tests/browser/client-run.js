// Issue #3 in a page: the web build calls the local Lighthouse API on another origin (CORS) and reports
// what happened; tests/browser/client.browser.test.mjs asserts on it and on the API's log.
import { createSigningProxy, LighthouseClient, resetInstance, TencentCloudError } from '../../pkg/web/index.js';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function describeError(e, secrets) {
  const rendered = [String(e), e?.message, e?.stack, JSON.stringify(e), String(e?.cause), e?.cause?.stack].join('\n');
  return {
    isClass: e instanceof TencentCloudError,
    isInstance: TencentCloudError.isInstance(e),
    isError: e instanceof Error,
    name: e?.name,
    code: e?.code,
    message: e?.message,
    kind: e?.kind,
    retryable: e?.retryable,
    requestId: e?.requestId,
    httpStatus: e?.httpStatus,
    action: e?.action,
    causeName: e?.cause?.name,
    causeIsTypeError: e?.cause instanceof TypeError,
    leaked: secrets.some((s) => rendered.includes(s)),
  };
}

async function outcome(fn, secrets) {
  try {
    return { ok: true, value: await fn() };
  } catch (e) {
    return { ok: false, error: describeError(e, secrets) };
  }
}

async function control(api, path, body) {
  const r = await fetch(
    `${api}/__control/${path}`,
    body === undefined
      ? {}
      : {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        },
  );
  if (!r.ok) throw new Error(`control ${path}: ${r.status} ${await r.text()}`);
  return r.json();
}

export async function run({ api, credentials, temporary, closedEndpoint }) {
  const secrets = [credentials.secretKey, temporary.secretKey, temporary.token];
  const out = {};
  const client = new LighthouseClient({ credentials, endpoint: api, region: 'ap-guangzhou' });

  out.describe = await outcome(async () => {
    const r = await client.describeInstances({ Limit: 2 });
    return { total: r.TotalCount, n: r.InstanceSet.length, requestId: r.RequestId };
  }, secrets);

  out.describeBlueprints = await outcome(async () => {
    const r = await client.describeBlueprints({ BlueprintIds: ['lhbp-deb12x64'] });
    return { ids: r.BlueprintSet.map((b) => b.BlueprintId) };
  }, secrets);

  out.reset = await outcome(
    () => resetInstance({ InstanceId: 'lhins-ruy9d2tw', BlueprintId: 'lhbp-5e8807lo' }, { credentials, endpoint: api, region: 'ap-guangzhou' }),
    secrets,
  );

  out.serviceError = await outcome(() => client.resetInstance({ InstanceId: 'lhins-zzzzzzzz' }), secrets);

  out.invalid = await outcome(() => client.resetInstance({ InstanceId: 'lhins-NOPE' }), secrets);

  out.temporary = await outcome(async () => {
    const c = new LighthouseClient({ endpoint: api, credentials: async () => ({ ...temporary, expiresAt: Math.floor(Date.now() / 1000) + 3600 }) });
    const r = await c.describeInstances({ InstanceIds: ['lhins-abcd1234'] });
    return { id: r.InstanceSet[0].InstanceId };
  }, secrets);

  out.wrongToken = await outcome(
    () => new LighthouseClient({ endpoint: api, credentials: { ...temporary, token: 'wrong-token' } }).describeInstances(),
    secrets,
  );

  await control(api, 'fault', { action: 'DescribeBlueprints', kind: 'html500', times: -1 });
  out.badResponse = await outcome(() => new LighthouseClient({ credentials, endpoint: api, maxAttempts: 2 }).describeBlueprints(), secrets);
  await control(api, 'clear-faults', {});

  await control(api, 'fault', { action: 'DescribeInstances', kind: 'badGateway', times: 1 });
  out.badGatewayRetried = await outcome(async () => (await client.describeInstances({ Limit: 1 })).InstanceSet.length, secrets);

  out.network = await outcome(() => new LighthouseClient({ credentials, endpoint: closedEndpoint, maxAttempts: 1 }).describeInstances(), secrets);

  const before = new AbortController();
  before.abort();
  out.abortBefore = await outcome(() => client.describeInstances({}, { signal: before.signal }), secrets);

  await control(api, 'fault', { action: 'DescribeInstances', kind: 'slow', delayMs: 3000, times: 1 });
  const during = new AbortController();
  const pending = outcome(() => client.describeInstances({}, { signal: during.signal }), secrets);
  await sleep(200);
  const abortedAt = performance.now();
  during.abort();
  out.abortDuring = await pending;
  out.abortDuring.settledMs = performance.now() - abortedAt;

  await control(api, 'fault', { action: 'DescribeBlueprints', kind: 'slow', delayMs: 3000, times: 1 });
  const t0 = performance.now();
  out.timeout = await outcome(() => new LighthouseClient({ credentials, endpoint: api, timeoutMs: 200, maxAttempts: 1 }).describeBlueprints(), secrets);
  out.timeout.elapsedMs = performance.now() - t0;

  // The browser build: a logger, and what it leaves out (the signing proxy, the journal) refused as such.
  const logged = [];
  const logger = { debug: (message, data) => logged.push({ message, ...data }) };
  out.logger = await outcome(async () => {
    await new LighthouseClient({ credentials, endpoint: api, region: 'ap-guangzhou', logger }).describeInstances({ Limit: 1 });
    return { entries: logged.filter((e) => e.event === 'attempt'), leaked: secrets.some((x) => JSON.stringify(logged).includes(x)) };
  }, secrets);
  out.proxy = await outcome(async () => createSigningProxy({ credentials }), secrets);
  out.journal = await outcome(() => client.resetInstances([], { journal: { load: async () => [], append: async () => {} } }), secrets);

  // Skew last: the learnt offset is kept by this realm for the endpoint.
  out.logIndexBeforeSkew = (await control(api, 'log')).length;
  await control(api, 'config', { clockOffsetMs: 3_600_000 });
  out.skew = await outcome(async () => (await client.describeInstances({ Limit: 1 })).InstanceSet.length, secrets);
  out.skewAgain = await outcome(async () => (await client.describeBlueprints({ Limit: 1 })).BlueprintSet.length, secrets);

  out.clientRendered = [String(client), JSON.stringify(client)].join('\n');
  out.clientLeaked = secrets.some((s) => out.clientRendered.includes(s));
  return out;
}

window.__clientRun = run;
