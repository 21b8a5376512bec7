// The checks of action parameters shared by the actions: unknown parameters, IDs, paging, filters, ordering.
// Every message comes in both languages (fail(code, English, Chinese)).

import { fail } from './errors.mjs';
import { isPlainObject } from './json.mjs';

export const INSTANCE_ID = /^lhins-[a-z0-9]{8}$/;
export const BLUEPRINT_ID = /^lhbp-[a-z0-9]{8}$/;
export const KEY_ID = /^lhkp-[a-z0-9]{8}$/;

export function unknownParams(params, allowed, prefix = '') {
  for (const key of Object.keys(params)) {
    if (!allowed.includes(key)) {
      fail('UnknownParameter', `The parameter \`${prefix}${key}\` is not recognized.`, `未知参数 \`${prefix}${key}\`。`);
    }
  }
}

export function required(p, name) {
  const v = p[name];
  if (v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)) {
    fail('MissingParameter', `The request is missing a required parameter \`${name}\`.`, `缺少必填参数 \`${name}\`。`);
  }
}

export function checkInstanceId(id, name = 'InstanceId') {
  if (typeof id !== 'string' || !INSTANCE_ID.test(id)) {
    fail(
      'InvalidParameterValue.InstanceIdMalformed',
      `Invalid parameter value: the instance ID format of \`${name}\` is invalid ` +
        `(expected lhins- followed by 8 lower-case letters or digits), got ${JSON.stringify(id)}.`,
      `参数 \`${name}\` 的实例 ID 格式不正确（应为 lhins- 加 8 位小写字母或数字），收到 ${JSON.stringify(id)}。`,
    );
  }
}

export function checkBlueprintId(id, name = 'BlueprintId') {
  if (typeof id !== 'string' || !BLUEPRINT_ID.test(id)) {
    fail(
      'InvalidParameterValue.BlueprintIdMalformed',
      `Invalid parameter value: the image ID format of \`${name}\` is invalid ` +
        `(expected lhbp- followed by 8 lower-case letters or digits), got ${JSON.stringify(id)}.`,
      `参数 \`${name}\` 的镜像 ID 格式不正确（应为 lhbp- 加 8 位小写字母或数字），收到 ${JSON.stringify(id)}。`,
    );
  }
}

/** An optional array of at most 100 ids, each checked. */
export function idList(p, name, check) {
  const ids = p[name];
  if (ids === undefined) return null;
  if (!Array.isArray(ids)) fail('InvalidParameter', `${name} must be an array of IDs.`, `${name} 必须是 ID 数组。`);
  if (ids.length > 100) {
    fail('InvalidParameterValue.LimitExceeded', `At most 100 ${name} are allowed, got ${ids.length}.`, `${name} 最多 100 个，收到 ${ids.length} 个。`);
  }
  ids.forEach((id, n) => {
    check(id, `${name}.${n}`);
  });
  return ids.length ? new Set(ids) : null;
}

export function pageArgs(p) {
  const offset = p.Offset ?? 0;
  const limit = p.Limit ?? 20;
  if (!Number.isInteger(offset)) fail('InvalidParameterValue', 'Offset must be an integer.', 'Offset 必须是整数。');
  if (offset < 0) fail('InvalidParameterValue.Negative', `Offset must not be negative, got ${offset}.`, `Offset 不能为负数，收到 ${offset}。`);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    fail(
      'InvalidParameterValue.OutOfRange',
      `Limit must be an integer from 1 to 100, got ${JSON.stringify(limit)}.`,
      `Limit 必须是 1 到 100 之间的整数，收到 ${JSON.stringify(limit)}。`,
    );
  }
  return { offset, limit };
}

/** Filters checked against `supported` (name -> predicate(item, values)); returns the predicate of them all. */
export function parseFilters(filters, supported) {
  if (filters === undefined) return () => true;
  if (!Array.isArray(filters)) fail('InvalidParameter.InvalidFilter', 'Filters must be an array of {Name, Values}.', 'Filters 必须是 {Name, Values} 数组。');
  if (filters.length > 10) fail('InvalidParameter.FilterValueLimitExceeded', 'At most 10 Filters are allowed.', 'Filters 最多 10 个。');
  let values = 0;
  const tests = [];
  for (const f of filters) {
    if (!isPlainObject(f))
      fail('InvalidParameter.InvalidFilterNotDict', 'Each filter must be an object {Name, Values}.', '每个过滤条件必须是 {Name, Values} 对象。');
    unknownParams(f, ['Name', 'Values'], 'Filters.N.');
    if (typeof f.Name !== 'string') fail('InvalidParameter.InvalidFilterInvalidNameNotStr', 'Filter Name must be a string.', '过滤条件的 Name 必须是字符串。');
    const test = supported(f.Name);
    if (!test) {
      fail('InvalidParameter.InvalidFilterNotSupportedName', `The filter name \`${f.Name}\` is not supported.`, `不支持的过滤条件名 \`${f.Name}\`。`);
    }
    if (!Array.isArray(f.Values) || !f.Values.every((v) => typeof v === 'string')) {
      fail(
        'InvalidParameter.InvalidFilterInvalidKey',
        `Filter \`${f.Name}\` needs Values, an array of strings.`,
        `过滤条件 \`${f.Name}\` 的 Values 必须是字符串数组。`,
      );
    }
    values += f.Values.length;
    tests.push((item) => test(item, f.Values));
  }
  if (values > 100) fail('InvalidParameter.FilterValueLimitExceeded', 'At most 100 filter values are allowed in total.', '过滤值总数最多 100 个。');
  return (item) => tests.every((t) => t(item));
}

/** `OrderField` (one of `fields`: name -> key(item)) and `Order` (ASC | DESC, default ASC): a sorter, or null. */
export function ordering(p, fields) {
  const names = Object.keys(fields);
  if (p.Order !== undefined && p.Order !== 'ASC' && p.Order !== 'DESC') {
    fail('InvalidParameterValue', `Order must be ASC or DESC, got ${JSON.stringify(p.Order)}.`, `Order 必须是 ASC 或 DESC，收到 ${JSON.stringify(p.Order)}。`);
  }
  if (p.OrderField === undefined) return null;
  if (!names.includes(p.OrderField)) {
    fail(
      'InvalidParameterValue',
      `OrderField must be one of ${names.join(', ')}, got ${JSON.stringify(p.OrderField)}.`,
      `OrderField 必须是 ${names.join('、')} 之一，收到 ${JSON.stringify(p.OrderField)}。`,
    );
  }
  const key = fields[p.OrderField];
  const sign = p.Order === 'DESC' ? -1 : 1;
  // A stable sort: equal keys keep the service's order.
  return (items) => items.sort((a, b) => sign * (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
