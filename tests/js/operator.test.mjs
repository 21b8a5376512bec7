// Issue 14, items 1 and 2 in the library: describeResetInstanceBlueprints (and the signing proxy's default
// allowlist), and the paginators paginateDescribeInstances / paginateDescribeBlueprints, against the local API.
import { describe, test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { LighthouseClient, TencentCloudError, createSigningProxy } from 'tc3-lighthouse';
import { startLighthouseApi, DEMO_CREDENTIALS } from '../../local-api/server.mjs';

const LINUX = 'lhins-ruy9d2tw'; // ap-guangzhou, CentOS
let api;
before(async () => {
  api = await startLighthouseApi({ rateLimit: 0 });
});
after(() => api.close());
beforeEach(() => api.reset());

const client = (extra = {}) =>
  new LighthouseClient({ credentials: DEMO_CREDENTIALS, endpoint: api.url, region: 'ap-guangzhou', language: 'en-US', rateLimit: false, ...extra });
const calls = (action) => api.log.filter((e) => e.action === action);

function invalid(fn, field) {
  let error;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  assert.ok(TencentCloudError.isInstance(error), `threw ${error}`);
  assert.equal(error.code, 'ClientError.InvalidArgument');
  assert.equal(error.kind, 'invalidInput');
  assert.ok(error.message.includes(field), `${error.message} names ${field}`);
  return error;
}

describe('describeResetInstanceBlueprints', () => {
  test('every image of the region with IsResettable and the reason why not', async () => {
    const out = await client().describeResetInstanceBlueprints({ InstanceId: LINUX, Limit: 100 });
    assert.equal(out.TotalCount, 7);
    assert.match(out.RequestId, /^[0-9a-f-]{36}$/);
    const by = Object.fromEntries(out.ResetInstanceBlueprintSet.map((x) => [x.BlueprintInfo.BlueprintId, x]));
    assert.deepEqual([by['lhbp-5e8807lo'].IsResettable, by['lhbp-5e8807lo'].NonResettableMessage], [true, '']);
    assert.equal(by['lhbp-win2022d'].IsResettable, false);
    assert.match(by['lhbp-win2022d'].NonResettableMessage, /Linux and Windows/);
    assert.equal(by['lhbp-cent76ol'].IsResettable, false);
    assert.deepEqual(calls('DescribeResetInstanceBlueprints')[0].params, { InstanceId: LINUX, Limit: 100 });
    // Filters, Offset and the region (the custom image is ap-shanghai's only).
    const sh = await client({ region: 'ap-shanghai' }).describeResetInstanceBlueprints({
      InstanceId: 'lhins-efgh5678',
      Filters: [{ Name: 'blueprint-type', Values: ['PRIVATE'] }],
    });
    assert.deepEqual(
      sh.ResetInstanceBlueprintSet.map((x) => x.BlueprintInfo.BlueprintId),
      ['lhbp-shblog01'],
    );
    // The service's language: Chinese unless English is asked for.
    const zh = await client({ language: 'zh-CN' }).describeResetInstanceBlueprints({
      InstanceId: LINUX,
      Filters: [{ Name: 'platform-type', Values: ['WINDOWS'] }],
    });
    assert.match(zh.ResetInstanceBlueprintSet[0].NonResettableMessage, /[\u4e00-\u9fff]/);
  });

  test('InstanceId is checked before any request, with the service codes; other fields as the other methods', async () => {
    const c = client();
    const cases = [
      [undefined, 'ClientError.InvalidArgument'],
      [{}, 'MissingParameter'],
      [{ InstanceId: '' }, 'MissingParameter'],
      [{ InstanceId: 'lhins-BAD' }, 'InvalidParameterValue.InstanceIdMalformed'],
      [{ InstanceId: 5 }, 'ClientError.InvalidArgument'],
      [{ InstanceId: LINUX, Limit: 101 }, 'ClientError.InvalidArgument'],
      [{ InstanceId: LINUX, Offset: -1 }, 'ClientError.InvalidArgument'],
      [{ InstanceId: LINUX, Filters: 'x' }, 'ClientError.InvalidArgument'],
    ];
    for (const [input, code] of cases) {
      const e = await c.describeResetInstanceBlueprints(input).then(
        () => null,
        (err) => err,
      );
      assert.ok(TencentCloudError.isInstance(e), JSON.stringify(input));
      assert.equal(e.code, code, `${JSON.stringify(input)}: ${e.message}`);
      assert.equal(e.action, 'DescribeResetInstanceBlueprints');
    }
    await assert.rejects(c.describeResetInstanceBlueprints({ InstanceId: LINUX }, { signa: 1 }), /options\.signa/);
    assert.equal(api.log.length, 0, 'nothing was sent');
    const notHere = await c.describeResetInstanceBlueprints({ InstanceId: 'lhins-efgh5678' }).catch((e) => e);
    assert.equal(notHere.code, 'ResourceNotFound.InstanceIdNotFound', 'an instance of another region');
  });

  test('the signing proxy forwards it by default', async () => {
    const handler = createSigningProxy({ credentials: DEMO_CREDENTIALS, endpoint: api.url, region: 'ap-guangzhou', rateLimit: false });
    const ask = async (action, body, language = 'en-US') => {
      const headers = { 'content-type': 'application/json', 'x-tc-action': action, 'x-tc-language': language };
      const res = await handler(new Request('http://console.example/api', { method: 'POST', headers, body }));
      return (await res.json()).Response;
    };
    const r = await ask('DescribeResetInstanceBlueprints', JSON.stringify({ InstanceId: LINUX }));
    assert.equal(r.Error, undefined, JSON.stringify(r));
    assert.equal(r.TotalCount, 7);
    assert.equal((await ask('DescribeZones', '{}')).Error.Code, 'UnauthorizedOperation.ActionNotAllowed');
    // The page's language reaches the API (a console shows the user's), as its region does.
    const zh = await ask('DescribeResetInstanceBlueprints', JSON.stringify({ InstanceId: 'lhins-zzzzzzzz' }), 'zh-CN');
    assert.match(zh.Error.Message, /[\u4e00-\u9fff]/);
    const en = await ask('DescribeResetInstanceBlueprints', JSON.stringify({ InstanceId: 'lhins-zzzzzzzz' }));
    assert.match(en.Error.Message, /does not exist/);
    assert.deepEqual(
      api.log.slice(-2).map((e) => e.errorCode),
      ['ResourceNotFound.InstanceIdNotFound', 'ResourceNotFound.InstanceIdNotFound'],
    );
  });
});

describe('paginateDescribeInstances and paginateDescribeBlueprints', () => {
  test('every page, Offset advanced by pageSize until TotalCount; each page is the answer as it came', async () => {
    api.reset({ fleet: 250 });
    const pages = [];
    for await (const page of client().paginateDescribeInstances({}, { pageSize: 100 })) pages.push(page);
    assert.deepEqual(
      pages.map((p) => p.InstanceSet.length),
      [100, 100, 50],
    );
    assert.ok(pages.every((p) => p.TotalCount === 250 && /^[0-9a-f-]{36}$/.test(p.RequestId)));
    assert.equal(new Set(pages.flatMap((p) => p.InstanceSet.map((i) => i.InstanceId))).size, 250);
    assert.deepEqual(
      calls('DescribeInstances').map((e) => [e.params.Offset, e.params.Limit]),
      [
        [0, 100],
        [100, 100],
        [200, 100],
      ],
    );
  });

  test('input.Limit is the page size when no pageSize; Offset, Filters and ordering are kept; an exact multiple sends no empty page', async () => {
    api.reset({ fleet: 60 });
    const c = client();
    const seen = [];
    const input = { Filters: [{ Name: 'instance-state', Values: ['RUNNING'] }], OrderField: 'CREATED_TIME', Offset: 20, Limit: 20 };
    for await (const page of c.paginateDescribeInstances(input)) seen.push(page.InstanceSet.length);
    assert.deepEqual(seen, [20, 20]);
    const sent = calls('DescribeInstances').map((e) => e.params);
    assert.deepEqual(
      sent.map((p) => [p.Offset, p.Limit, p.OrderField, p.Filters.length]),
      [
        [20, 20, 'CREATED_TIME', 1],
        [40, 20, 'CREATED_TIME', 1],
      ],
    );
    assert.deepEqual(
      input,
      { Filters: [{ Name: 'instance-state', Values: ['RUNNING'] }], OrderField: 'CREATED_TIME', Offset: 20, Limit: 20 },
      'input untouched',
    );
    // The default page is 100 items: one request for the 7 blueprints; an empty listing is one empty page.
    const bps = [];
    for await (const page of c.paginateDescribeBlueprints()) bps.push(page);
    assert.deepEqual(
      bps.map((p) => [p.TotalCount, p.BlueprintSet.length]),
      [[7, 7]],
    );
    assert.equal(calls('DescribeBlueprints')[0].params.Limit, 100);
    const none = [];
    for await (const page of c.paginateDescribeInstances({ Filters: [{ Name: 'instance-name', Values: ['no-such'] }] })) none.push(page);
    assert.deepEqual(
      none.map((p) => p.TotalCount),
      [0],
    );
  });

  test('stopping early sends no further request; the iterator is its own async iterable', async () => {
    api.reset({ fleet: 30 });
    const it = client().paginateDescribeInstances({}, { pageSize: 10 });
    assert.equal(it[Symbol.asyncIterator](), it);
    for await (const page of it) {
      assert.equal(page.InstanceSet.length, 10);
      break;
    }
    assert.equal(calls('DescribeInstances').length, 1);
    assert.deepEqual(await it.next(), { value: undefined, done: true });
  });

  test('an error rejects next() with the TencentCloudError of that page; the call options reach every call', async () => {
    api.reset({ fleet: 30 });
    api.injectFault({ action: 'DescribeInstances', kind: 'serviceError', code: 'UnauthorizedOperation.NoPermission', message: 'no', times: -1 });
    const it = client({ maxAttempts: 1 }).paginateDescribeInstances({}, { pageSize: 10, timeoutMs: 5000 });
    await assert.rejects(it.next(), (e) => TencentCloudError.isInstance(e) && e.code === 'UnauthorizedOperation.NoPermission');
    api.clearFaults();
    const ac = new AbortController();
    ac.abort();
    const aborted = client().paginateDescribeBlueprints({}, { signal: ac.signal });
    await assert.rejects(aborted.next(), (e) => e.code === 'ClientError.Aborted');
  });

  test('bad input throws ClientError.InvalidArgument naming the field, before any request', () => {
    const c = client();
    invalid(() => c.paginateDescribeInstances('lhins-ruy9d2tw'), '`input`');
    invalid(() => c.paginateDescribeInstances([]), '`input`');
    invalid(() => c.paginateDescribeInstances({ Offset: -1 }), 'input.Offset');
    invalid(() => c.paginateDescribeInstances({ Offset: 1.5 }), 'input.Offset');
    invalid(() => c.paginateDescribeBlueprints({ Limit: 0 }), 'input.Limit');
    invalid(() => c.paginateDescribeBlueprints({ Limit: '20' }), 'input.Limit');
    invalid(() => c.paginateDescribeInstances({}, { pageSize: 101 }), 'options.pageSize');
    invalid(() => c.paginateDescribeInstances({}, { pageSize: 0 }), 'options.pageSize');
    invalid(() => c.paginateDescribeInstances({}, 5), '`options`');
    const e = invalid(() => c.paginateDescribeBlueprints({}, { pageSize: Number.NaN }), 'options.pageSize');
    assert.equal(e.action, 'DescribeBlueprints');
    const unbound = c.paginateDescribeInstances;
    invalid(() => unbound({}), 'without a client');
    const freed = client();
    freed.free();
    invalid(() => freed.paginateDescribeInstances(), 'freed');
    assert.equal(api.log.length, 0);
  });

  test('what the methods check, the pages check too: a bad filter rejects the first next()', async () => {
    const it = client().paginateDescribeInstances({ InstanceIds: ['nope'] });
    await assert.rejects(it.next(), (e) => e.code === 'InvalidParameterValue.InstanceIdMalformed');
    assert.equal(api.log.length, 0);
  });
});

test('waiting needs a region (DescribeInstances lists one): refused before the reset is sent', async (t) => {
  const api = await startLighthouseApi();
  t.after(() => api.close());
  const client = new LighthouseClient({ credentials: DEMO_CREDENTIALS, endpoint: api.url });
  const message = /^`config\.region` is needed to wait: DescribeInstances lists the instances of one region/;
  const id = 'lhins-ruy9d2tw';
  for (const call of [
    () => client.resetInstanceAndWait({ InstanceId: id }),
    () => client.waitUntilInstanceReset({ InstanceId: id }),
    () => client.resetInstances([{ InstanceId: id }]),
  ]) {
    await assert.rejects(call, (e) => TencentCloudError.isInstance(e) && e.code === 'ClientError.InvalidArgument' && message.test(e.message));
  }
  assert.equal(api.log.length, 0, 'nothing was sent');
  // Without waiting, a fleet needs no region: ResetInstance finds the instance by its ID.
  const [r] = await client.resetInstances([{ InstanceId: id }], { wait: false });
  assert.equal(r.ok, true, r.error?.message);
});
