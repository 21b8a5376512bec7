// One API request, from its HTTP parts to its Response object: the context (action, auth, parameters), then
// the checks in the README's order and the action.

import { randomUUID } from 'node:crypto';
import { ACTIONS as BASE_ACTIONS } from './actions.mjs';
import { MORE_ACTIONS } from './actions-more.mjs';
import { REGIONS } from './catalog.mjs';
import { ApiError, fail, ZH } from './errors.mjs';
import { isPlainObject } from './json.mjs';
import { parseAuthorization } from './tc3-verify.mjs';

const API_VERSION = '2020-03-24';
// name -> { run(model, params, ctx, faults), regionRequired }
export const ACTIONS = { ...BASE_ACTIONS, ...MORE_ACTIONS };
export const MAX_POST_BYTES = 10 * 1024 * 1024;
export const MAX_GET_QUERY_BYTES = 32 * 1024;
// Common parameters some clients also put in a GET query string; never treated as action parameters.
const COMMON_QUERY_PARAMS = new Set([
  'Action',
  'Version',
  'Region',
  'Timestamp',
  'Nonce',
  'SecretId',
  'Signature',
  'SignatureMethod',
  'Token',
  'Language',
  'RequestClient',
]);

/** Parse a GET query string into parameters: flattened `A.0=x&B.0.Name=y` becomes `{A:['x'], B:[{Name:'y'}]}`. */
function paramsFromQuery(rawQuery) {
  const out = {};
  if (!rawQuery) return out;
  for (const part of rawQuery.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const decode = (s) => {
      try {
        return decodeURIComponent(s.replace(/\+/g, ' '));
      } catch {
        return s;
      }
    };
    const key = decode(eq < 0 ? part : part.slice(0, eq));
    let value = decode(eq < 0 ? '' : part.slice(eq + 1));
    if (COMMON_QUERY_PARAMS.has(key)) continue;
    const path = key.split('.');
    const last = path[path.length - 1];
    if ((last === 'Limit' || last === 'Offset') && /^-?\d+$/.test(value)) value = Number(value);
    let node = out;
    for (let i = 0; i < path.length; i++) {
      const seg = /^\d+$/.test(path[i]) ? Number(path[i]) : path[i];
      if (i === path.length - 1) {
        node[seg] = value;
        break;
      }
      if (node[seg] === undefined || typeof node[seg] !== 'object') node[seg] = /^\d+$/.test(path[i + 1]) ? [] : {};
      node = node[seg];
    }
  }
  return out;
}

function parseParams(method, body, rawQuery) {
  if (method === 'GET') return { ok: true, value: paramsFromQuery(rawQuery) };
  const text = body.toString('utf8');
  if (text.trim() === '') return { ok: false, error: 'The request body is empty; it must be a JSON object (at least "{}").' };
  let value;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `The request body is not valid JSON: ${e.message}` };
  }
  if (!isPlainObject(value)) return { ok: false, error: 'The request body must be a JSON object.' };
  return { ok: true, value };
}

export function header(req, name) {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

/** What processApi needs of a request; `body` is a Buffer (empty when `tooLarge`). */
export function apiContext(req, body, tooLarge, rawQuery) {
  const method = req.method;
  const queryCommon = method === 'GET' ? new URLSearchParams(rawQuery) : null;
  return {
    method,
    headers: req.headers,
    body,
    rawQuery,
    tooLarge,
    action: header(req, 'x-tc-action') ?? queryCommon?.get('Action') ?? null,
    version: header(req, 'x-tc-version') ?? queryCommon?.get('Version') ?? null,
    region: header(req, 'x-tc-region') || queryCommon?.get('Region') || null,
    // The service answers in zh-CN unless asked for en-US.
    lang: String(header(req, 'x-tc-language') ?? queryCommon?.get('Language') ?? '').toLowerCase() === 'en-us' ? 'en' : 'zh',
    auth: parseAuthorization(header(req, 'authorization')),
    params: tooLarge ? { ok: false, error: 'too large' } : parseParams(method, body, rawQuery),
    requestId: randomUUID(),
  };
}

/** X-TC-Region: required or not as the action's reference says; when given, a region Lighthouse is sold in. */
function checkRegion(ctx, regionRequired) {
  if (!ctx.region) {
    if (regionRequired) fail('MissingParameter', 'The request is missing a required parameter `Region`.', '缺少必填参数 `Region`。');
    return;
  }
  if (!REGIONS.has(ctx.region)) {
    fail('UnsupportedRegion', `The region \`${ctx.region}\` is not supported by lighthouse.`, `lighthouse 不支持地域 \`${ctx.region}\`。`);
  }
}

/**
 * Process an API call to its Response object (never throws).
 * `service`: { cfg, verifier, model, faults, limiter } of the server.
 */
export function processApi(ctx, service) {
  const { cfg, verifier, model, faults, limiter } = service;
  try {
    if (ctx.tooLarge) {
      fail(
        'RequestSizeLimitExceeded',
        ctx.method === 'GET' ? `The GET query string exceeds ${MAX_GET_QUERY_BYTES} bytes.` : `The request body exceeds ${MAX_POST_BYTES} bytes (10 MB).`,
      );
    }
    verifier.verify(ctx, model.now(), cfg.maxSkewSeconds);
    if (!ctx.action) fail('MissingParameter', 'The request is missing the required header `X-TC-Action`.', '缺少必填头部 `X-TC-Action`。');
    const version = ctx.version;
    if (!version) fail('MissingParameter', 'The request is missing the required header `X-TC-Version`.', '缺少必填头部 `X-TC-Version`。');
    if (version !== API_VERSION) {
      fail(
        'NoSuchVersion',
        `The API version \`${version}\` does not exist; lighthouse uses ${API_VERSION}.`,
        `接口版本 \`${version}\` 不存在，lighthouse 的版本为 ${API_VERSION}。`,
      );
    }
    if (!Object.hasOwn(ACTIONS, ctx.action)) {
      fail(
        'InvalidAction',
        `The action \`${ctx.action}\` is not found or not supported by lighthouse ${API_VERSION}.`,
        `接口 \`${ctx.action}\` 不存在或 lighthouse ${API_VERSION} 不支持。`,
      );
    }
    const action = ACTIONS[ctx.action];
    checkRegion(ctx, action.regionRequired);
    const taken = limiter.take(ctx.auth.secretId, ctx.action);
    if (!taken.ok) {
      fail(
        'RequestLimitExceeded',
        `Your current request times equals to \`${taken.count}\` in a second, which exceeds ` +
          `the frequency limit \`${cfg.rateLimit}\` for a second. Please reduce the frequency of calls.`,
        `您当前每秒请求 \`${taken.count}\` 次，超过了每秒频率上限 \`${cfg.rateLimit}\`，请降低调用频率。`,
      );
    }
    if (!ctx.params.ok) fail('InvalidParameter', ctx.params.error, '请求体不是合法的 JSON 对象。');
    const data = action.run(model, ctx.params.value, ctx, faults);
    return { Response: { ...data, RequestId: ctx.requestId } };
  } catch (e) {
    let err = e;
    if (!(e instanceof ApiError)) {
      err = new ApiError('InternalError', `An internal error has occurred: ${e?.message ?? e}`, `内部错误：${e?.message ?? e}`);
    }
    // One language per answer: an error without its own Chinese text takes its code's.
    const message = ctx.lang === 'zh' ? (err.zh ?? ZH[err.code] ?? ZH[err.code.split('.')[0]] ?? ZH.InternalError) : err.message;
    return { Response: { Error: { Code: err.code, Message: message }, RequestId: ctx.requestId } };
  }
}
