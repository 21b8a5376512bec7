// One handler per API action: `(model, params, ctx, faults)` -> the Response fields, or throws an ApiError.
// `model` is the server's LighthouseModel; `faults` (its FaultList) is used only by DescribeInstances, for
// hideInstance. `ctx.region` is X-TC-Region (checked by request.mjs), `ctx.lang` 'zh' | 'en'. The listing
// actions around a reset (regions, zones, bundles, key pairs, reset blueprints) are in actions-more.mjs.

import { regionOfZone } from './catalog.mjs';
import { fail } from './errors.mjs';
import { clone, isPlainObject } from './json.mjs';
import { POWER } from './model.mjs';
import { checkBlueprintId, checkInstanceId, idList, KEY_ID, ordering, pageArgs, parseFilters, required, unknownParams } from './params.mjs';

export function notFound(id) {
  fail('ResourceNotFound.InstanceIdNotFound', `The instance ID \`${id}\` does not exist.`, `实例 ID \`${id}\` 不存在。`);
}

/** The instance, looked up in X-TC-Region's region (or anywhere, for ResetInstance: its Region is not required). */
export function findInstance(model, id, region) {
  const inst = model.instances.get(id);
  if (!inst || (region && regionOfZone(inst.Zone) !== region)) notFound(id);
  return inst;
}

function checkPassword(password, platformType) {
  const windows = platformType === 'WINDOWS';
  const [min, max] = windows ? [12, 30] : [8, 30];
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[()`~!@#$%^&*\-+=_|{}[\]:;'<>,.?/]/].filter((r) => r.test(password)).length;
  const onlyAllowed = /^[a-zA-Z0-9()`~!@#$%^&*\-+=_|{}[\]:;'<>,.?/]*$/.test(password);
  if (password.length < min || password.length > max || classes < 3 || !onlyAllowed || (!windows && password.startsWith('/'))) {
    fail(
      'InvalidParameterValue.InvalidPassword',
      `The password is invalid: it must be ${min} to ${max} characters long and contain ` +
        "at least three of lower-case letters, upper-case letters, digits and the special characters ()`~!@#$%^&*-+=_|{}[]:;'<>,.?/" +
        (windows ? '.' : ', and must not start with "/".'),
      `密码不合法：长度须为 ${min} 到 ${max} 位，且至少包含小写字母、大写字母、数字和特殊字符 ()\`~!@#$%^&*-+=_|{}[]:;'<>,.?/ 中的三类` +
        (windows ? '。' : '，且不能以 "/" 开头。'),
    );
  }
}

function checkLogin(login) {
  if (login === undefined) return null;
  const bad = (code, en, zh) => fail(code, en, zh);
  if (!isPlainObject(login)) bad('InvalidParameter', 'The parameter `LoginConfiguration` must be an object.', '参数 `LoginConfiguration` 必须是对象。');
  unknownParams(login, ['AutoGeneratePassword', 'Password', 'KeyIds'], 'LoginConfiguration.');
  if (login.AutoGeneratePassword !== undefined && login.AutoGeneratePassword !== 'YES' && login.AutoGeneratePassword !== 'NO') {
    bad(
      'InvalidParameterValue',
      'LoginConfiguration.AutoGeneratePassword must be "YES" or "NO".',
      'LoginConfiguration.AutoGeneratePassword 必须是 "YES" 或 "NO"。',
    );
  }
  if (login.Password !== undefined && typeof login.Password !== 'string') {
    bad('InvalidParameterValue.InvalidPassword', 'LoginConfiguration.Password must be a string.', 'LoginConfiguration.Password 必须是字符串。');
  }
  let keyIds = null;
  if (login.KeyIds !== undefined) {
    if (!Array.isArray(login.KeyIds) || !login.KeyIds.every((k) => typeof k === 'string')) {
      bad('InvalidParameter', 'LoginConfiguration.KeyIds must be an array of key pair ids.', 'LoginConfiguration.KeyIds 必须是密钥对 ID 数组。');
    }
    keyIds = login.KeyIds;
  }
  if (login.Password !== undefined && keyIds) {
    bad(
      'InvalidParameterValue.InvalidParameterCombination',
      'LoginConfiguration.Password and LoginConfiguration.KeyIds cannot be specified together.',
      'LoginConfiguration.Password 与 LoginConfiguration.KeyIds 不能同时指定。',
    );
  }
  if (login.Password !== undefined && login.AutoGeneratePassword === 'YES') {
    bad(
      'InvalidParameterValue.InvalidParameterCombination',
      'LoginConfiguration.Password cannot be specified when AutoGeneratePassword is "YES".',
      'AutoGeneratePassword 为 "YES" 时不能指定 LoginConfiguration.Password。',
    );
  }
  if (keyIds && keyIds.length > 5) {
    bad(
      'InvalidParameterValue.LimitExceeded',
      `LoginConfiguration.KeyIds accepts at most 5 key pairs, got ${keyIds.length}.`,
      `LoginConfiguration.KeyIds 最多 5 个密钥对，收到 ${keyIds.length} 个。`,
    );
  }
  if (keyIds && new Set(keyIds).size !== keyIds.length) {
    bad('InvalidParameterValue.Duplicated', 'LoginConfiguration.KeyIds contains duplicate values.', 'LoginConfiguration.KeyIds 含有重复的值。');
  }
  return keyIds;
}

/** Why an instance cannot take an operation now (the same for a reset and a power action), or nothing. */
export function checkIdle(inst, states) {
  const id = inst.InstanceId;
  if (inst.InstanceState === 'PENDING') {
    fail('OperationDenied.InstanceCreating', `The instance \`${id}\` is being created and cannot be operated on.`, `实例 \`${id}\` 正在创建中，不允许操作。`);
  }
  if (inst.LatestOperationState === 'OPERATING') {
    const op = inst.LatestOperation;
    // A power operation holds the instance ("in progress"); an unfinished reset is reported as such.
    if (POWER[op]) {
      fail(
        'OperationDenied.InstanceOperationInProgress',
        `The instance \`${id}\` has an operation in progress (${op}); try again when it has finished.`,
        `实例 \`${id}\` 正在执行操作（${op}），请在操作完成后重试。`,
      );
    }
    fail(
      'UnsupportedOperation.LatestOperationUnfinished',
      `Unsupported operation: the last operation (${op}) of the instance \`${id}\` has not been completed.`,
      `不支持的操作：实例 \`${id}\` 最近一次的操作（${op}）尚未完成。`,
    );
  }
  if (!states.includes(inst.InstanceState)) {
    fail(
      'UnsupportedOperation.InvalidInstanceState',
      `Unsupported operation: the instance \`${id}\` is ${inst.InstanceState}; it must be ${states.join(' or ')}.`,
      `不支持的操作：实例 \`${id}\` 的状态为 ${inst.InstanceState}，须为 ${states.join(' 或 ')}。`,
    );
  }
}

function resetInstance(model, p, ctx) {
  unknownParams(p, ['InstanceId', 'BlueprintId', 'Containers', 'LoginConfiguration']);
  required(p, 'InstanceId');
  checkInstanceId(p.InstanceId);
  if (p.BlueprintId !== undefined) checkBlueprintId(p.BlueprintId);
  if (p.Containers !== undefined && (!Array.isArray(p.Containers) || !p.Containers.every(isPlainObject))) {
    fail('InvalidParameter', 'The parameter `Containers` must be an array of container objects.', '参数 `Containers` 必须是容器对象数组。');
  }
  const login = p.LoginConfiguration;
  const keyIds = checkLogin(login);

  // ResetInstance's Region is not required: the instance is found by its ID, in whichever region it is.
  const inst = findInstance(model, p.InstanceId, null);
  const region = regionOfZone(inst.Zone);
  let bp = model.blueprints.get(p.BlueprintId ?? inst.BlueprintId);
  if (p.BlueprintId !== undefined) {
    if (!bp || !model.blueprintsIn(region).includes(bp)) {
      fail('ResourceNotFound.BlueprintIdNotFound', `The image ID \`${p.BlueprintId}\` does not exist.`, `镜像 ID \`${p.BlueprintId}\` 不存在。`);
    }
    if (bp.BlueprintState !== 'ONLINE') {
      fail(
        'ResourceUnavailable.BlueprintUnavailable',
        `The image \`${p.BlueprintId}\` is not available (state ${bp.BlueprintState}).`,
        `镜像 \`${p.BlueprintId}\` 不可用（状态 ${bp.BlueprintState}）。`,
      );
    }
  }
  bp ??= { BlueprintId: inst.BlueprintId, PlatformType: inst.PlatformType, BlueprintType: 'PURE_OS' };
  if (bp.PlatformType !== inst.PlatformType) {
    fail(
      'InvalidParameterValue.NotAllowToChangePlatformType',
      `It is not allowed to change the OS type: the instance is ${inst.PlatformType} and the image \`${bp.BlueprintId}\` is ${bp.PlatformType}.`,
      `不允许变更操作系统类型：实例为 ${inst.PlatformType}，镜像 \`${bp.BlueprintId}\` 为 ${bp.PlatformType}。`,
    );
  }
  if (p.Containers !== undefined && p.Containers.length > 0 && bp.BlueprintType !== 'DOCKER') {
    fail(
      'InvalidParameterValue.BlueprintConfigNotMatch',
      `Containers can only be specified with a Docker image; \`${bp.BlueprintId}\` is ${bp.BlueprintType}.`,
      `只有 Docker 镜像才能指定 Containers；\`${bp.BlueprintId}\` 为 ${bp.BlueprintType}。`,
    );
  }
  if (keyIds && bp.PlatformType === 'WINDOWS') {
    fail(
      'InvalidParameterValue.InvalidParameterCombination',
      'Key pairs (LoginConfiguration.KeyIds) are not supported on Windows instances.',
      'Windows 实例不支持密钥对（LoginConfiguration.KeyIds）。',
    );
  }
  for (const k of keyIds ?? []) {
    if (!KEY_ID.test(k) || !model.keyPairs.has(k))
      fail('ResourceNotFound.KeyPairNotFound', `The key pair \`${k}\` does not exist.`, `密钥对 \`${k}\` 不存在。`);
  }
  if (typeof login?.Password === 'string') checkPassword(login.Password, bp.PlatformType);

  checkIdle(inst, ['RUNNING', 'STOPPED']);
  model.startOperation(inst, 'ResetInstance', ctx.requestId, model.resetApplier(bp.BlueprintId, keyIds));
  return {};
}

const INSTANCE_FILTERS = {
  'instance-name': (i, v) => v.some((x) => i.InstanceName.includes(x)),
  'instance-id': (i, v) => v.includes(i.InstanceId),
  'instance-state': (i, v) => v.includes(i.InstanceState),
  zone: (i, v) => v.includes(i.Zone),
  'public-ip-address': (i, v) => v.some((x) => i.PublicAddresses.includes(x)),
  'private-ip-address': (i, v) => v.some((x) => i.PrivateAddresses.includes(x)),
  'tag-key': (i, v) => i.Tags.some((t) => v.includes(t.Key)),
  'tag-value': (i, v) => i.Tags.some((t) => v.includes(t.Value)),
  'bundle-id': (i, v) => v.includes(i.BundleId),
  'blueprint-id': (i, v) => v.includes(i.BlueprintId),
};
const instanceFilter = (name) =>
  name.startsWith('tag:') ? (i, v) => i.Tags.some((t) => t.Key === name.slice(4) && v.includes(t.Value)) : INSTANCE_FILTERS[name];

function conflict(ids, filters, idsName) {
  if (ids && Array.isArray(filters) && filters.length) {
    fail('InvalidParameter.ParameterConflict', `${idsName} and Filters cannot be specified at the same time.`, `${idsName} 和 Filters 不能同时指定。`);
  }
}

function describeInstances(model, p, ctx, faults) {
  unknownParams(p, ['InstanceIds', 'Filters', 'Offset', 'Limit', 'OrderField', 'Order']);
  const wanted = idList(p, 'InstanceIds', checkInstanceId);
  conflict(wanted, p.Filters, 'InstanceIds');
  const matches = parseFilters(p.Filters, instanceFilter);
  const { offset, limit } = pageArgs(p);
  const sort = ordering(p, { EXPIRED_TIME: (i) => i.ExpiredTime ?? '', CREATED_TIME: (i) => i.CreatedTime ?? '' });
  let visible = model.instancesIn(ctx.region).filter((i) => (!wanted || wanted.has(i.InstanceId)) && matches(i) && !faults.hides(i.InstanceId));
  if (sort) visible = sort(visible);
  const set = visible.slice(offset, offset + limit).map((inst) => {
    model.settle(inst);
    const op = model.ops.get(inst.InstanceId);
    if (op) op.polls++;
    return clone(inst);
  });
  return { TotalCount: visible.length, InstanceSet: set };
}

export const BLUEPRINT_FILTERS = {
  'blueprint-id': (b, v) => v.includes(b.BlueprintId),
  'blueprint-type': (b, v) => v.includes(b.BlueprintType),
  'platform-type': (b, v) => v.includes(b.PlatformType),
  'blueprint-name': (b, v) => v.some((x) => b.BlueprintName.includes(x) || b.DisplayTitle.includes(x)),
  'blueprint-state': (b, v) => v.includes(b.BlueprintState),
  'scene-id': (b, v) => (b.SceneIdSet ?? []).some((s) => v.includes(s)),
};

function describeBlueprints(model, p, ctx) {
  unknownParams(p, ['BlueprintIds', 'Filters', 'Offset', 'Limit']);
  const wanted = idList(p, 'BlueprintIds', checkBlueprintId);
  conflict(wanted, p.Filters, 'BlueprintIds');
  const matches = parseFilters(p.Filters, (n) => BLUEPRINT_FILTERS[n]);
  const { offset, limit } = pageArgs(p);
  const matching = model.blueprintsIn(ctx.region).filter((b) => (!wanted || wanted.has(b.BlueprintId)) && matches(b));
  return { TotalCount: matching.length, BlueprintSet: matching.slice(offset, offset + limit).map(clone) };
}

/** StartInstances / StopInstances / RebootInstances: asynchronous like ResetInstance (STARTING... while OPERATING). */
function powerAction(action) {
  const { from, during } = POWER[action];
  return (model, p, ctx) => {
    unknownParams(p, action === 'StopInstances' ? ['InstanceIds', 'StopType'] : ['InstanceIds']);
    required(p, 'InstanceIds');
    const ids = idList(p, 'InstanceIds', checkInstanceId);
    const insts = [...ids].map((id) => findInstance(model, id, ctx.region));
    for (const inst of insts) checkIdle(inst, from);
    for (const inst of insts) {
      model.startOperation(inst, action, ctx.requestId, (i) => {
        i.InstanceState = POWER[action].to;
      });
      inst.InstanceState = during;
    }
    return {};
  };
}

/** Each action, and whether its reference page says Region is required. */
export const ACTIONS = {
  ResetInstance: { run: resetInstance, regionRequired: false },
  DescribeInstances: { run: describeInstances, regionRequired: true },
  DescribeBlueprints: { run: describeBlueprints, regionRequired: true },
  StartInstances: { run: powerAction('StartInstances'), regionRequired: true },
  StopInstances: { run: powerAction('StopInstances'), regionRequired: true },
  RebootInstances: { run: powerAction('RebootInstances'), regionRequired: true },
};
