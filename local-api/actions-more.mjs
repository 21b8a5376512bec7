// The listing actions an operator uses around a reset: DescribeResetInstanceBlueprints (the images an instance
// can take, and why not), DescribeRegions, DescribeZones, DescribeBundles, DescribeKeyPairs. Same handler
// shape as actions.mjs.

import { BLUEPRINT_FILTERS, findInstance } from './actions.mjs';
import { bundleSet, regionSet, zoneSet } from './catalog.mjs';
import { clone } from './json.mjs';
import { checkInstanceId, idList, KEY_ID, ordering, pageArgs, parseFilters, required, unknownParams } from './params.mjs';
import { fail } from './errors.mjs';

/** Why `inst` cannot be reset to `bp`, in `lang`, or '' (the service's NonResettableMessage). */
function nonResettable(inst, bp, lang) {
  const why = (en, zh) => (lang === 'en' ? en : zh);
  if (bp.BlueprintState !== 'ONLINE') return why('The blueprint is not available.', '镜像不可用。');
  if (bp.PlatformType !== inst.PlatformType) {
    return why('Switching between Linux and Windows systems is not supported.', '不支持 Linux 系统和 Windows 系统之间互转。');
  }
  if (bp.RequiredSystemDiskSize > (inst.SystemDisk?.DiskSize ?? 0)) {
    return why(
      'The current system disk size of instance does not match the system disk size requirements of the blueprint.',
      '实例当前系统盘大小不满足镜像的系统盘大小要求。',
    );
  }
  if (bp.RequiredMemorySize > inst.Memory) {
    return why('The memory of the instance does not meet the memory requirements of the blueprint.', '实例内存不满足镜像的内存要求。');
  }
  return '';
}

function describeResetInstanceBlueprints(model, p, ctx) {
  unknownParams(p, ['InstanceId', 'Offset', 'Limit', 'Filters']);
  required(p, 'InstanceId');
  checkInstanceId(p.InstanceId);
  const matches = parseFilters(p.Filters, (n) => BLUEPRINT_FILTERS[n]);
  const { offset, limit } = pageArgs(p);
  const inst = findInstance(model, p.InstanceId, ctx.region);
  const set = model
    .blueprintsIn(ctx.region)
    .filter(matches)
    .map((bp) => {
      const why = nonResettable(inst, bp, ctx.lang);
      return { BlueprintInfo: clone(bp), IsResettable: why === '', NonResettableMessage: why };
    });
  return { TotalCount: set.length, ResetInstanceBlueprintSet: set.slice(offset, offset + limit) };
}

function describeRegions(_model, p, ctx) {
  unknownParams(p, []);
  const set = regionSet(ctx.lang);
  return { TotalCount: set.length, RegionSet: set };
}

function describeZones(_model, p, ctx) {
  unknownParams(p, ['OrderField', 'Order']);
  const sort = ordering(p, { ZONE: (z) => z.Zone });
  const set = zoneSet(ctx.region, ctx.lang);
  if (sort) sort(set);
  return { TotalCount: set.length, ZoneInfoSet: set };
}

const BUNDLE_FILTERS = {
  'bundle-id': (b, v) => v.includes(b.BundleId),
  'support-platform-type': (b, v) => v.some((x) => (x === 'WINDOWS' ? b.SupportWindowsPlatform : x === 'LINUX_UNIX' && b.SupportLinuxUnixPlatform)),
  'bundle-type': (b, v) => v.includes(b.BundleType),
  'bundle-state': (b, v) => v.includes(b.BundleSalesState),
};

function describeBundles(_model, p, ctx) {
  unknownParams(p, ['BundleIds', 'Offset', 'Limit', 'Filters', 'Zones']);
  const wanted = idList(p, 'BundleIds', (id, name) => {
    if (typeof id !== 'string' || !id) fail('InvalidParameterValue', `${name} must be a bundle ID.`, `${name} 必须是套餐 ID。`);
  });
  if (wanted && Array.isArray(p.Filters) && p.Filters.length) {
    fail('InvalidParameter.ParameterConflict', 'BundleIds and Filters cannot be specified at the same time.', 'BundleIds 和 Filters 不能同时指定。');
  }
  if (p.Zones !== undefined) {
    const known = new Set(zoneSet(ctx.region, ctx.lang).map((z) => z.Zone));
    if (!Array.isArray(p.Zones) || !p.Zones.every((z) => known.has(z))) {
      fail('InvalidParameterValue.ZoneInvalid', `Zones must be zones of ${ctx.region}.`, `Zones 必须是 ${ctx.region} 的可用区。`);
    }
  }
  const matches = parseFilters(p.Filters, (n) => BUNDLE_FILTERS[n]);
  const { offset, limit } = pageArgs(p);
  const set = bundleSet(ctx.lang).filter((b) => (!wanted || wanted.has(b.BundleId)) && matches(b));
  return { TotalCount: set.length, BundleSet: set.slice(offset, offset + limit) };
}

const KEY_FILTERS = {
  'key-id': (k, v) => v.includes(k.KeyId),
  'key-name': (k, v) => v.some((x) => k.KeyName.includes(x)),
};

function describeKeyPairs(model, p) {
  unknownParams(p, ['KeyIds', 'Offset', 'Limit', 'Filters']);
  const wanted = idList(p, 'KeyIds', (id, name) => {
    if (typeof id !== 'string' || !KEY_ID.test(id)) {
      fail(
        'InvalidParameterValue.KeyPairIdMalformed',
        `${name} is not a key pair ID (lhkp- and 8 characters).`,
        `${name} 不是合法的密钥对 ID（lhkp- 加 8 位字符）。`,
      );
    }
  });
  if (wanted && Array.isArray(p.Filters) && p.Filters.length) {
    fail('InvalidParameter.ParameterConflict', 'KeyIds and Filters cannot be specified at the same time.', 'KeyIds 和 Filters 不能同时指定。');
  }
  const matches = parseFilters(p.Filters, (n) => KEY_FILTERS[n]);
  const { offset, limit } = pageArgs(p);
  const users = (keyId) => [...model.instances.values()].filter((i) => i.LoginSettings?.KeyIds?.includes(keyId)).map((i) => i.InstanceId);
  const set = [...model.keyPairs.values()]
    .filter((k) => (!wanted || wanted.has(k.KeyId)) && matches(k))
    .map((k) => ({ ...clone(k), AssociatedInstanceIds: users(k.KeyId) }));
  return { TotalCount: set.length, KeyPairSet: set.slice(offset, offset + limit) };
}

export const MORE_ACTIONS = {
  DescribeResetInstanceBlueprints: { run: describeResetInstanceBlueprints, regionRequired: true },
  DescribeRegions: { run: describeRegions, regionRequired: false },
  DescribeZones: { run: describeZones, regionRequired: true },
  DescribeBundles: { run: describeBundles, regionRequired: true },
  DescribeKeyPairs: { run: describeKeyPairs, regionRequired: true },
};
