// One handler per API action: `(model, params, ctx, faults)` -> the Response fields, or throws an ApiError.
// `model` is the server's LighthouseModel; `faults` (its FaultList) is used only by DescribeInstances, for hideInstance.

import { fail } from './errors.mjs';
import { clone, isPlainObject } from './json.mjs';

const INSTANCE_ID = /^lhins-[a-z0-9]{8}$/;
const BLUEPRINT_ID = /^lhbp-[a-z0-9]{8}$/;
const KEY_ID = /^lhkp-[a-z0-9]{8}$/;

function unknownParams(params, allowed, prefix = '') {
  for (const key of Object.keys(params)) {
    if (!allowed.includes(key)) {
      fail('UnknownParameter', `The parameter \`${prefix}${key}\` is not recognized.`, `未知参数 \`${prefix}${key}\`。`);
    }
  }
}

function inRegion(model, inst, ctx) {
  return !model.cfg.regionScoped || !ctx.region || inst.Zone.startsWith(`${ctx.region}-`);
}

function findInstance(model, id, ctx) {
  const inst = model.instances.get(id);
  if (!inst || !inRegion(model, inst, ctx)) {
    fail('ResourceNotFound.InstanceIdNotFound', `The instance ID \`${id}\` does not exist.`, `实例 ID \`${id}\` 不存在。`);
  }
  return inst;
}

function checkInstanceId(id, name = 'InstanceId') {
  if (typeof id !== 'string' || !INSTANCE_ID.test(id)) {
    fail(
      'InvalidParameterValue.InstanceIdMalformed',
      `Invalid parameter value: the instance ID format of \`${name}\` is invalid ` +
        `(expected lhins- followed by 8 lower-case letters or digits), got ${JSON.stringify(id)}.`,
    );
  }
}

function checkBlueprintId(id, name = 'BlueprintId') {
  if (typeof id !== 'string' || !BLUEPRINT_ID.test(id)) {
    fail(
      'InvalidParameterValue.BlueprintIdMalformed',
      `Invalid parameter value: the image ID format of \`${name}\` is invalid ` +
        `(expected lhbp- followed by 8 lower-case letters or digits), got ${JSON.stringify(id)}.`,
    );
  }
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
    );
  }
}

function resetInstance(model, p, ctx) {
  unknownParams(p, ['InstanceId', 'BlueprintId', 'Containers', 'LoginConfiguration']);
  if (p.InstanceId === undefined || p.InstanceId === null || p.InstanceId === '') {
    fail('MissingParameter', 'The request is missing a required parameter `InstanceId`.', '缺少必填参数 `InstanceId`。');
  }
  checkInstanceId(p.InstanceId);
  if (p.BlueprintId !== undefined) checkBlueprintId(p.BlueprintId);
  if (p.Containers !== undefined && (!Array.isArray(p.Containers) || !p.Containers.every(isPlainObject))) {
    fail('InvalidParameter', 'The parameter `Containers` must be an array of container objects.');
  }
  const login = p.LoginConfiguration;
  let keyIds = null;
  if (login !== undefined) {
    if (!isPlainObject(login)) fail('InvalidParameter', 'The parameter `LoginConfiguration` must be an object.');
    unknownParams(login, ['AutoGeneratePassword', 'Password', 'KeyIds'], 'LoginConfiguration.');
    if (login.AutoGeneratePassword !== undefined && login.AutoGeneratePassword !== 'YES' && login.AutoGeneratePassword !== 'NO') {
      fail('InvalidParameterValue', 'LoginConfiguration.AutoGeneratePassword must be "YES" or "NO".');
    }
    if (login.Password !== undefined && typeof login.Password !== 'string') {
      fail('InvalidParameterValue.InvalidPassword', 'LoginConfiguration.Password must be a string.');
    }
    if (login.KeyIds !== undefined) {
      if (!Array.isArray(login.KeyIds) || !login.KeyIds.every((k) => typeof k === 'string')) {
        fail('InvalidParameter', 'LoginConfiguration.KeyIds must be an array of key pair ids.');
      }
      keyIds = login.KeyIds;
    }
    if (login.Password !== undefined && keyIds) {
      fail('InvalidParameterValue.InvalidParameterCombination', 'LoginConfiguration.Password and LoginConfiguration.KeyIds cannot be specified together.');
    }
    if (login.Password !== undefined && login.AutoGeneratePassword === 'YES') {
      fail('InvalidParameterValue.InvalidParameterCombination', 'LoginConfiguration.Password cannot be specified when AutoGeneratePassword is "YES".');
    }
    if (keyIds && keyIds.length > 5) {
      fail('InvalidParameterValue.LimitExceeded', `LoginConfiguration.KeyIds accepts at most 5 key pairs, got ${keyIds.length}.`);
    }
    if (keyIds && new Set(keyIds).size !== keyIds.length) {
      fail('InvalidParameterValue.Duplicated', 'LoginConfiguration.KeyIds contains duplicate values.');
    }
  }

  const inst = findInstance(model, p.InstanceId, ctx);
  let bp = model.blueprints.get(p.BlueprintId ?? inst.BlueprintId);
  if (p.BlueprintId !== undefined) {
    if (!bp) fail('ResourceNotFound.BlueprintIdNotFound', `The image ID \`${p.BlueprintId}\` does not exist.`);
    if (bp.BlueprintState !== 'ONLINE') {
      fail('ResourceUnavailable.BlueprintUnavailable', `The image \`${p.BlueprintId}\` is not available (state ${bp.BlueprintState}).`);
    }
  }
  bp ??= { BlueprintId: inst.BlueprintId, PlatformType: inst.PlatformType, BlueprintType: 'PURE_OS' };
  if (bp.PlatformType !== inst.PlatformType) {
    fail(
      'InvalidParameterValue.NotAllowToChangePlatformType',
      `It is not allowed to change the OS type: the instance is ` + `${inst.PlatformType} and the image \`${bp.BlueprintId}\` is ${bp.PlatformType}.`,
    );
  }
  if (p.Containers !== undefined && p.Containers.length > 0 && bp.BlueprintType !== 'DOCKER') {
    fail(
      'InvalidParameterValue.BlueprintConfigNotMatch',
      `Containers can only be specified with a Docker image; \`${bp.BlueprintId}\` is ${bp.BlueprintType}.`,
    );
  }
  if (keyIds && bp.PlatformType === 'WINDOWS') {
    fail('InvalidParameterValue.InvalidParameterCombination', 'Key pairs (LoginConfiguration.KeyIds) are not supported on Windows instances.');
  }
  for (const k of keyIds ?? []) {
    if (!KEY_ID.test(k) || !model.keyPairs.has(k)) fail('ResourceNotFound.KeyPairNotFound', `The key pair \`${k}\` does not exist.`);
  }
  if (typeof login?.Password === 'string') checkPassword(login.Password, bp.PlatformType);

  if (inst.InstanceState === 'PENDING') {
    fail('OperationDenied.InstanceCreating', `The instance \`${inst.InstanceId}\` is being created and cannot be operated on.`);
  }
  if (inst.LatestOperationState === 'OPERATING') {
    fail(
      'UnsupportedOperation.LatestOperationUnfinished',
      `Unsupported operation: the last operation (${inst.LatestOperation}) ` + `of the instance \`${inst.InstanceId}\` has not been completed.`,
    );
  }
  if (inst.InstanceState !== 'RUNNING' && inst.InstanceState !== 'STOPPED') {
    fail(
      'UnsupportedOperation.InvalidInstanceState',
      `Unsupported operation: the instance \`${inst.InstanceId}\` is ` + `${inst.InstanceState}; it must be RUNNING or STOPPED.`,
    );
  }
  model.startOperation(inst, 'ResetInstance', ctx.requestId, model.resetApplier(bp.BlueprintId, keyIds));
  return {};
}

function pageArgs(p) {
  const offset = p.Offset ?? 0;
  const limit = p.Limit ?? 20;
  if (!Number.isInteger(offset)) fail('InvalidParameterValue', 'Offset must be an integer.');
  if (offset < 0) fail('InvalidParameterValue.Negative', `Offset must not be negative, got ${offset}.`);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    fail('InvalidParameterValue.OutOfRange', `Limit must be an integer from 1 to 100, got ${JSON.stringify(limit)}.`);
  }
  return { offset, limit };
}

function parseFilters(filters, supported) {
  if (filters === undefined) return [];
  if (!Array.isArray(filters)) fail('InvalidParameter.InvalidFilter', 'Filters must be an array of {Name, Values}.');
  if (filters.length > 10) fail('InvalidParameter.FilterValueLimitExceeded', 'At most 10 Filters are allowed.');
  let values = 0;
  for (const f of filters) {
    if (!isPlainObject(f)) fail('InvalidParameter.InvalidFilterNotDict', 'Each filter must be an object {Name, Values}.');
    unknownParams(f, ['Name', 'Values'], 'Filters.N.');
    if (typeof f.Name !== 'string') fail('InvalidParameter.InvalidFilterInvalidNameNotStr', 'Filter Name must be a string.');
    if (!supported(f.Name)) {
      fail('InvalidParameter.InvalidFilterNotSupportedName', `The filter name \`${f.Name}\` is not supported.`);
    }
    if (!Array.isArray(f.Values) || !f.Values.every((v) => typeof v === 'string')) {
      fail('InvalidParameter.InvalidFilterInvalidKey', `Filter \`${f.Name}\` needs Values, an array of strings.`);
    }
    values += f.Values.length;
  }
  if (values > 100) fail('InvalidParameter.FilterValueLimitExceeded', 'At most 100 filter values are allowed in total.');
  return filters;
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

function describeInstances(model, p, ctx, faults) {
  unknownParams(p, ['InstanceIds', 'Filters', 'Offset', 'Limit']);
  const ids = p.InstanceIds;
  if (ids !== undefined) {
    if (!Array.isArray(ids)) fail('InvalidParameter', 'InstanceIds must be an array of instance ids.');
    if (ids.length > 100) fail('InvalidParameterValue.LimitExceeded', `At most 100 InstanceIds are allowed, got ${ids.length}.`);
    ids.forEach((id, n) => {
      checkInstanceId(id, `InstanceIds.${n}`);
    });
  }
  if (ids?.length && p.Filters?.length) {
    fail('InvalidParameter.ParameterConflict', 'InstanceIds and Filters cannot be specified at the same time.');
  }
  const filters = parseFilters(p.Filters, (n) => Boolean(instanceFilter(n)));
  const { offset, limit } = pageArgs(p);
  const wanted = ids?.length ? new Set(ids) : null;
  const matching = [...model.instances.values()].filter(
    (i) => (!wanted || wanted.has(i.InstanceId)) && inRegion(model, i, ctx) && filters.every((f) => instanceFilter(f.Name)(i, f.Values)),
  );
  const visible = matching.filter((i) => !faults.hides(i.InstanceId));
  const page = visible.slice(offset, offset + limit);
  const set = page.map((inst) => {
    model.settle(inst);
    const op = model.ops.get(inst.InstanceId);
    if (op) op.polls++;
    return clone(inst);
  });
  return { TotalCount: visible.length, InstanceSet: set };
}

const BLUEPRINT_FILTERS = {
  'blueprint-id': (b, v) => v.includes(b.BlueprintId),
  'blueprint-type': (b, v) => v.includes(b.BlueprintType),
  'platform-type': (b, v) => v.includes(b.PlatformType),
  'blueprint-name': (b, v) => v.some((x) => b.BlueprintName.includes(x) || b.DisplayTitle.includes(x)),
  'blueprint-state': (b, v) => v.includes(b.BlueprintState),
  'scene-id': (b, v) => (b.SceneIdSet ?? []).some((s) => v.includes(s)),
};

function describeBlueprints(model, p) {
  unknownParams(p, ['BlueprintIds', 'Filters', 'Offset', 'Limit']);
  const ids = p.BlueprintIds;
  if (ids !== undefined) {
    if (!Array.isArray(ids)) fail('InvalidParameter', 'BlueprintIds must be an array of image ids.');
    if (ids.length > 100) fail('InvalidParameterValue.LimitExceeded', `At most 100 BlueprintIds are allowed, got ${ids.length}.`);
    ids.forEach((id, n) => {
      checkBlueprintId(id, `BlueprintIds.${n}`);
    });
  }
  if (ids?.length && p.Filters?.length) {
    fail('InvalidParameter.ParameterConflict', 'BlueprintIds and Filters cannot be specified at the same time.');
  }
  const filters = parseFilters(p.Filters, (n) => n in BLUEPRINT_FILTERS);
  const { offset, limit } = pageArgs(p);
  const wanted = ids?.length ? new Set(ids) : null;
  const matching = [...model.blueprints.values()].filter(
    (b) => (!wanted || wanted.has(b.BlueprintId)) && filters.every((f) => BLUEPRINT_FILTERS[f.Name](b, f.Values)),
  );
  return { TotalCount: matching.length, BlueprintSet: matching.slice(offset, offset + limit).map(clone) };
}

/** StartInstances / StopInstances / RebootInstances: minimal, same asynchronous model as ResetInstance. */
function powerAction(action, from, during, to) {
  return (model, p, ctx) => {
    unknownParams(p, action === 'StopInstances' ? ['InstanceIds', 'StopType'] : ['InstanceIds']);
    if (!Array.isArray(p.InstanceIds) || p.InstanceIds.length === 0) {
      fail('MissingParameter', 'The request is missing a required parameter `InstanceIds`.');
    }
    if (p.InstanceIds.length > 100) fail('InvalidParameterValue.LimitExceeded', 'At most 100 InstanceIds are allowed.');
    p.InstanceIds.forEach((id, n) => {
      checkInstanceId(id, `InstanceIds.${n}`);
    });
    const insts = p.InstanceIds.map((id) => findInstance(model, id, ctx));
    for (const inst of insts) {
      if (inst.LatestOperationState === 'OPERATING') {
        fail(
          'UnsupportedOperation.LatestOperationUnfinished',
          `Unsupported operation: the last operation of the instance \`${inst.InstanceId}\` has not been completed.`,
        );
      }
      if (inst.InstanceState !== from) {
        fail(
          'UnsupportedOperation.InvalidInstanceState',
          `Unsupported operation: the instance \`${inst.InstanceId}\` is ${inst.InstanceState}; it must be ${from}.`,
        );
      }
    }
    for (const inst of insts) {
      model.startOperation(inst, action, ctx.requestId, (i) => {
        i.InstanceState = to;
      });
      inst.InstanceState = during;
    }
    return {};
  };
}

export const ACTIONS = {
  ResetInstance: resetInstance,
  DescribeInstances: describeInstances,
  DescribeBlueprints: describeBlueprints,
  StartInstances: powerAction('StartInstances', 'STOPPED', 'STARTING', 'RUNNING'),
  StopInstances: powerAction('StopInstances', 'RUNNING', 'STOPPING', 'STOPPED'),
  RebootInstances: powerAction('RebootInstances', 'RUNNING', 'REBOOTING', 'RUNNING'),
};
