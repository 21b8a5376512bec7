// The local API as strict as the real service (issue 14, item 6): regions, the actions around a reset, ordering,
// languages, the Host header and the rate-limit message. Run: node --test local-api/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { demoSeed } from './server.mjs';
import { call, describe, errorCode, raw, withApi } from './test-support.mjs';

const ids = (set) => set.map((x) => x.InstanceId ?? x.BlueprintId ?? x.BlueprintInfo?.BlueprintId);
const ok = (r) => {
  assert.equal(errorCode(r), null, r.text);
  return r.json.Response;
};
const CJK = /[\u3400-\u9fff]/;

test('regions: each instance and blueprint lives in one; unknown regions are UnsupportedRegion; Region required as documented', async () => {
  await withApi({ rateLimit: 0 }, async (api) => {
    const seed = demoSeed().instances;
    const regions = [...new Set(seed.map((i) => i.Zone.replace(/-\d+$/, '')))];
    assert.ok(regions.length >= 5, regions.join());
    let total = 0;
    for (const region of regions) {
      const r = ok(await call(api, 'DescribeInstances', { Limit: 100 }, { region }));
      assert.ok(r.InstanceSet.length > 0 && r.InstanceSet.every((i) => i.Zone.startsWith(`${region}-`)), region);
      total += r.TotalCount;
    }
    assert.equal(total, seed.length, 'every instance in exactly one region');
    // An instance of another region does not exist there, for every action that takes Region.
    const sg = { region: 'ap-singapore' };
    assert.equal(ok(await call(api, 'DescribeInstances', { InstanceIds: ['lhins-ruy9d2tw'] }, sg)).TotalCount, 0);
    assert.equal(errorCode(await call(api, 'StopInstances', { InstanceIds: ['lhins-ruy9d2tw'] }, sg)), 'ResourceNotFound.InstanceIdNotFound');
    assert.equal(errorCode(await call(api, 'DescribeResetInstanceBlueprints', { InstanceId: 'lhins-ruy9d2tw' }, sg)), 'ResourceNotFound.InstanceIdNotFound');
    // The custom image exists only in ap-shanghai.
    const bps = async (region) => ids(ok(await call(api, 'DescribeBlueprints', { Limit: 100 }, { region })).BlueprintSet);
    assert.ok((await bps('ap-shanghai')).includes('lhbp-shblog01'));
    assert.ok(!(await bps('ap-guangzhou')).includes('lhbp-shblog01'));
    assert.equal(
      errorCode(await call(api, 'ResetInstance', { InstanceId: 'lhins-ruy9d2tw', BlueprintId: 'lhbp-shblog01' })),
      'ResourceNotFound.BlueprintIdNotFound',
    );

    for (const region of ['ap-nowhere', 'us-east-1', 'AP-GUANGZHOU']) {
      for (const action of ['DescribeInstances', 'ResetInstance', 'DescribeRegions']) {
        const r = await call(api, action, action === 'ResetInstance' ? { InstanceId: 'lhins-ruy9d2tw' } : {}, { region });
        assert.equal(errorCode(r), 'UnsupportedRegion', `${action} in ${region}`);
      }
    }
    assert.equal(api.getInstance('lhins-ruy9d2tw').LatestOperationState, null, 'no reset took effect');
    for (const action of ['DescribeInstances', 'DescribeBlueprints', 'DescribeZones', 'DescribeBundles', 'DescribeKeyPairs', 'StartInstances']) {
      const r = await call(api, action, action === 'StartInstances' ? { InstanceIds: ['lhins-q8d2k7mz'] } : {}, { region: null });
      assert.equal(errorCode(r), 'MissingParameter', action);
      assert.match(r.json.Response.Error.Message, /Region/);
    }
    // ResetInstance's Region is not required: the instance is found by its ID, whatever X-TC-Region says.
    ok(await call(api, 'ResetInstance', { InstanceId: 'lhins-efgh5678' }, { region: null }));
    ok(await call(api, 'ResetInstance', { InstanceId: 'lhins-sv5u4ab1' }, { region: 'ap-tokyo' }));
    assert.equal(api.getInstance('lhins-sv5u4ab1').LatestOperationState, 'OPERATING');
    assert.equal(ok(await call(api, 'DescribeRegions', {}, { region: null })).TotalCount > 10, true);
  });
});

test('DescribeResetInstanceBlueprints: every image of the region, IsResettable and why not, in the language asked', async () => {
  await withApi({ rateLimit: 0 }, async (api) => {
    const list = async (InstanceId, region, o = {}) =>
      ok(await call(api, 'DescribeResetInstanceBlueprints', { InstanceId, Limit: 100, ...o.params }, { region, ...o }));
    const gz = await list('lhins-ruy9d2tw', 'ap-guangzhou', { headers: { 'X-TC-Language': 'en-US' } });
    assert.equal(gz.TotalCount, 7);
    const by = Object.fromEntries(gz.ResetInstanceBlueprintSet.map((x) => [x.BlueprintInfo.BlueprintId, x]));
    for (const x of gz.ResetInstanceBlueprintSet) {
      assert.deepEqual(Object.keys(x), ['BlueprintInfo', 'IsResettable', 'NonResettableMessage']);
      assert.equal(x.IsResettable, x.NonResettableMessage === '');
      assert.ok(!('Regions' in x.BlueprintInfo), 'seed-only fields never in an answer');
    }
    assert.equal(by['lhbp-5e8807lo'].IsResettable, true);
    assert.match(by['lhbp-win2022d'].NonResettableMessage, /Linux and Windows/);
    assert.match(by['lhbp-cent76ol'].NonResettableMessage, /not available/);
    // The Frankfurt instance has 1 GB of memory; WordPress needs 2.
    const fra = await list('lhins-sv5u4ab1', 'eu-frankfurt', { headers: { 'X-TC-Language': 'en-US' } });
    const wp = fra.ResetInstanceBlueprintSet.find((x) => x.BlueprintInfo.BlueprintId === 'lhbp-wordprs6');
    assert.deepEqual([wp.IsResettable, /memory/.test(wp.NonResettableMessage)], [false, true]);
    // Chinese by default.
    const zh = await list('lhins-ruy9d2tw', 'ap-guangzhou');
    const win = zh.ResetInstanceBlueprintSet.find((x) => x.BlueprintInfo.BlueprintId === 'lhbp-win2022d');
    assert.match(win.NonResettableMessage, CJK);
    // The Windows instance can take only the Windows image.
    const w = await list('lhins-w1n2k3sv', 'ap-singapore');
    assert.deepEqual(ids(w.ResetInstanceBlueprintSet.filter((x) => x.IsResettable)), ['lhbp-win2022d']);
    // Filters and paging as DescribeBlueprints'; the custom image only in its region.
    const sh = await list('lhins-efgh5678', 'ap-shanghai', { params: { Filters: [{ Name: 'blueprint-type', Values: ['PRIVATE'] }] } });
    assert.deepEqual(ids(sh.ResetInstanceBlueprintSet), ['lhbp-shblog01']);
    const page = await list('lhins-ruy9d2tw', 'ap-guangzhou', { params: { Offset: 2, Limit: 2 } });
    assert.deepEqual([page.TotalCount, page.ResetInstanceBlueprintSet.length], [7, 2]);
    const err = async (p) => errorCode(await call(api, 'DescribeResetInstanceBlueprints', p));
    assert.equal(await err({}), 'MissingParameter');
    assert.equal(await err({ InstanceId: 'lhins-BAD' }), 'InvalidParameterValue.InstanceIdMalformed');
    assert.equal(await err({ InstanceId: 'lhins-zzzzzzzz' }), 'ResourceNotFound.InstanceIdNotFound');
    assert.equal(await err({ InstanceId: 'lhins-ruy9d2tw', Limit: 0 }), 'InvalidParameterValue.OutOfRange');
    assert.equal(await err({ InstanceId: 'lhins-ruy9d2tw', BlueprintIds: [] }), 'UnknownParameter');
  });
});

test('DescribeRegions, DescribeZones, DescribeBundles, DescribeKeyPairs', async () => {
  await withApi({ rateLimit: 0 }, async (api) => {
    const en = { headers: { 'X-TC-Language': 'en-US' } };
    const regions = ok(await call(api, 'DescribeRegions', {}, en));
    assert.equal(regions.TotalCount, regions.RegionSet.length);
    const gz = regions.RegionSet.find((r) => r.Region === 'ap-guangzhou');
    assert.deepEqual(gz, { Region: 'ap-guangzhou', RegionName: 'South China (Guangzhou)', RegionState: 'AVAILABLE', IsChinaMainland: true });
    assert.match(ok(await call(api, 'DescribeRegions')).RegionSet[0].RegionName, CJK);
    for (const i of demoSeed().instances)
      assert.ok(
        regions.RegionSet.some((r) => i.Zone.startsWith(`${r.Region}-`)),
        i.Zone,
      );

    const zones = ok(await call(api, 'DescribeZones', { OrderField: 'ZONE', Order: 'DESC' }, { region: 'ap-shanghai', ...en }));
    assert.deepEqual(
      zones.ZoneInfoSet.map((z) => z.Zone),
      ['ap-shanghai-8', 'ap-shanghai-5', 'ap-shanghai-4', 'ap-shanghai-3', 'ap-shanghai-2'],
    );
    assert.deepEqual(zones.ZoneInfoSet.at(-1), { Zone: 'ap-shanghai-2', ZoneName: 'Shanghai Zone 2', InstanceDisplayLabel: 'NORMAL' });
    assert.equal(errorCode(await call(api, 'DescribeZones', { OrderField: 'NAME' })), 'InvalidParameterValue');

    const bundles = ok(await call(api, 'DescribeBundles', { Filters: [{ Name: 'support-platform-type', Values: ['WINDOWS'] }] }));
    assert.ok(bundles.TotalCount > 0 && bundles.BundleSet.every((b) => b.SupportWindowsPlatform && !b.SupportLinuxUnixPlatform));
    for (const f of [
      'BundleId',
      'Memory',
      'SystemDiskType',
      'SystemDiskSize',
      'MonthlyTraffic',
      'Price',
      'CPU',
      'InternetMaxBandwidthOut',
      'BundleSalesState',
      'BundleType',
    ]) {
      assert.ok(f in bundles.BundleSet[0], f);
    }
    // Every seed instance's BundleId is a bundle.
    const all = ids(ok(await call(api, 'DescribeBundles', { Limit: 100 })).BundleSet.map((b) => ({ InstanceId: b.BundleId })));
    for (const i of demoSeed().instances) assert.ok(all.includes(i.BundleId), i.BundleId);

    const keys = ok(await call(api, 'DescribeKeyPairs', {}));
    assert.deepEqual(
      keys.KeyPairSet.map((k) => k.KeyId),
      ['lhkp-a1b2c3d4', 'lhkp-k8sops01', 'lhkp-deploy99'],
    );
    assert.deepEqual(keys.KeyPairSet[0].AssociatedInstanceIds, ['lhins-sv5u4ab1']);
    assert.equal(keys.KeyPairSet[0].PrivateKey, null);
    const byName = ok(await call(api, 'DescribeKeyPairs', { Filters: [{ Name: 'key-name', Values: ['deploy'] }] }));
    assert.deepEqual(
      byName.KeyPairSet.map((k) => k.KeyId),
      ['lhkp-deploy99'],
    );
    assert.equal(errorCode(await call(api, 'DescribeKeyPairs', { KeyIds: ['nope'] })), 'InvalidParameterValue.KeyPairIdMalformed');
  });
});

test('DescribeInstances: OrderField and Order', async () => {
  await withApi({ rateLimit: 0 }, async (api) => {
    const list = async (p) => ids(ok(await call(api, 'DescribeInstances', p)).InstanceSet);
    // ap-guangzhou: x9v0l2ks created 2025-10-01, ruy9d2tw 2025-11-02, abcd1234 2026-03-14.
    assert.deepEqual(await list({ OrderField: 'CREATED_TIME' }), ['lhins-x9v0l2ks', 'lhins-ruy9d2tw', 'lhins-abcd1234']);
    assert.deepEqual(await list({ OrderField: 'CREATED_TIME', Order: 'DESC' }), ['lhins-abcd1234', 'lhins-ruy9d2tw', 'lhins-x9v0l2ks']);
    assert.deepEqual(await list({ OrderField: 'EXPIRED_TIME', Order: 'ASC', Limit: 1 }), ['lhins-x9v0l2ks']);
    assert.equal(errorCode(await call(api, 'DescribeInstances', { OrderField: 'NAME' })), 'InvalidParameterValue');
    assert.equal(errorCode(await call(api, 'DescribeInstances', { OrderField: 'CREATED_TIME', Order: 'down' })), 'InvalidParameterValue');
  });
});

test('Start/Stop/Reboot are asynchronous; a reset during them is OperationDenied.InstanceOperationInProgress', async () => {
  await withApi({ rateLimit: 0, operatingPolls: 2 }, async (api) => {
    const region = 'ap-guangzhou';
    const id = 'lhins-ruy9d2tw';
    const rid = ok(await call(api, 'RebootInstances', { InstanceIds: [id] }, { region })).RequestId;
    const during = await describe(api, id);
    assert.deepEqual(
      [during.InstanceState, during.LatestOperation, during.LatestOperationState, during.LatestOperationRequestId],
      ['REBOOTING', 'RebootInstances', 'OPERATING', rid],
    );
    assert.match(during.LatestOperationStartedTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const reset = await call(api, 'ResetInstance', { InstanceId: id });
    assert.equal(errorCode(reset), 'OperationDenied.InstanceOperationInProgress');
    assert.equal(errorCode(await call(api, 'StopInstances', { InstanceIds: [id] }, { region })), 'OperationDenied.InstanceOperationInProgress');
    await describe(api, id);
    const after = await describe(api, id);
    assert.deepEqual([after.InstanceState, after.LatestOperationState], ['RUNNING', 'SUCCESS']);
    // Stop then start, each followed to its end; a reset still running is LatestOperationUnfinished.
    ok(await call(api, 'StopInstances', { InstanceIds: [id] }, { region }));
    assert.equal((await describe(api, id)).InstanceState, 'STOPPING');
    await describe(api, id);
    assert.equal((await describe(api, id)).InstanceState, 'STOPPED');
    ok(await call(api, 'ResetInstance', { InstanceId: id }));
    assert.equal(errorCode(await call(api, 'StartInstances', { InstanceIds: [id] }, { region })), 'UnsupportedOperation.LatestOperationUnfinished');
    assert.equal(errorCode(await call(api, 'StartInstances', { InstanceIds: [] }, { region })), 'MissingParameter');
  });
});

test('messages: Chinese by default and for zh-CN, English for en-US, never mixed', async () => {
  await withApi({ rateLimit: 0 }, async (api) => {
    const failing = [
      ['DescribeInstances', {}, { cred: { secretId: 'AKIDnobody', secretKey: 'x' } }],
      ['DescribeInstances', {}, { timestamp: 1 }],
      ['DescribeInstances', {}, { region: 'ap-nowhere' }],
      ['DescribeInstances', {}, { region: null }],
      ['DescribeInstances', { Limit: 1000 }, {}],
      ['DescribeInstances', { Bogus: 1 }, {}],
      ['DescribeInstances', { Filters: [{ Name: 'nope', Values: [] }] }, {}],
      ['DescribeInstances', {}, { version: '2017-03-12' }],
      ['TerminateInstances', {}, {}],
      ['ResetInstance', {}, {}],
      ['ResetInstance', { InstanceId: 'lhins-zzzzzzzz' }, {}],
      ['ResetInstance', { InstanceId: 'lhins-ruy9d2tw', BlueprintId: 'lhbp-win2022d' }, {}],
      ['ResetInstance', { InstanceId: 'lhins-ruy9d2tw', LoginConfiguration: { Password: 'short' } }, {}],
      ['ResetInstance', { InstanceId: 'lhins-p3n9x1ca' }, {}],
      ['ResetInstance', { InstanceId: 'lhins-m5t7w2eb' }, {}],
      ['ResetInstance', { InstanceId: 'lhins-ruy9d2tw' }, { payload: 'not json' }],
      ['DescribeKeyPairs', { KeyIds: ['x'] }, {}],
    ];
    for (const [action, params, o] of failing) {
      for (const [lang, chinese] of [
        [undefined, true],
        ['zh-CN', true],
        ['en-US', false],
      ]) {
        const r = await call(api, action, params, { ...o, headers: lang ? { 'X-TC-Language': lang } : {} });
        const e = r.json.Response.Error;
        assert.ok(e, `${action} ${JSON.stringify(params)}: ${r.text}`);
        assert.equal(CJK.test(e.Message), chinese, `${action} ${JSON.stringify(params)} ${lang}: ${e.Message}`);
      }
    }
    api.injectFault({ kind: 'throttle', times: 2 });
    assert.match((await call(api, 'DescribeInstances')).json.Response.Error.Message, CJK);
    assert.doesNotMatch((await call(api, 'DescribeInstances', {}, { headers: { 'X-TC-Language': 'en-US' } })).json.Response.Error.Message, CJK);
  });
});

test('Host must be a host: a URL in Host is refused before the API, like the gateway does', async () => {
  await withApi({}, async (api) => {
    for (const host of [`http://127.0.0.1:${api.port}`, '127.0.0.1:port', 'a b', '127.0.0.1/']) {
      const r = await call(api, 'DescribeInstances', {}, { hostHeader: host, signHost: host });
      assert.equal(r.status, 400, host);
      assert.match(r.text, /Bad Request/);
    }
    assert.equal(api.log.length, 0, 'never reached the API');
    for (const host of [`127.0.0.1:${api.port}`, 'lighthouse.tencentcloudapi.com', `[::1]:${api.port}`]) {
      const r = await call(api, 'DescribeInstances', {}, { hostHeader: host, signHost: host });
      assert.equal(errorCode(r), null, `${host}: ${r.text}`);
    }
    assert.equal((await raw(api, { method: 'GET', path: '/__control/stats', headers: { Host: 'http://x' } })).status, 200, 'control is not the API');
  });
});

test('the rate-limit message says how many requests came in the last second', async () => {
  await withApi({ rateLimit: 3 }, async (api) => {
    const en = { headers: { 'X-TC-Language': 'en-US' } };
    const answers = await Promise.all(Array.from({ length: 6 }, () => call(api, 'DescribeBlueprints', {}, en)));
    const counts = answers
      .filter((r) => errorCode(r) === 'RequestLimitExceeded')
      .map((r) => Number(/equals to `(\d+)`/.exec(r.json.Response.Error.Message)[1]));
    assert.ok(counts.length >= 1);
    assert.ok(
      counts.every((n) => n > 3 && n <= 6),
      counts.join(),
    );
    assert.match(answers.find((r) => errorCode(r)).json.Response.Error.Message, /frequency limit `3`/);
  });
});
