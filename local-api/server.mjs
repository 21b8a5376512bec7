// A local Tencent Cloud Lighthouse API (2020-03-24) for tests, benchmarks and the console's demo mode.
// Node 20, no dependencies. It verifies TC3-HMAC-SHA256 with its own code (never the package's), models
// instances, blueprints and the asynchronous ResetInstance, and can inject transport and service faults.
//
//   import { startLighthouseApi } from './local-api/server.mjs';
//   const api = await startLighthouseApi({ credentials: [{ secretId: 'AKID...', secretKey: '...' }] });
//   // point a client at api.url, then: api.log, api.stats(), api.injectFault({ kind: 'html500' }), await api.close()
//
// Run it by hand (demo mode): node local-api/server.mjs --port 8787 [--operating-ms 4000]

import http from 'node:http';
import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const API_VERSION = '2020-03-24';
const SERVICE = 'lighthouse';
const MAX_POST_BYTES = 10 * 1024 * 1024;
const MAX_GET_QUERY_BYTES = 32 * 1024;
const INSTANCE_ID = /^lhins-[a-z0-9]{8}$/;
const BLUEPRINT_ID = /^lhbp-[a-z0-9]{8}$/;
const KEY_ID = /^lhkp-[a-z0-9]{8}$/;
const FAULT_KINDS = ['html500', 'badGateway', 'nonJson', 'truncated', 'empty', 'slow', 'connectionReset', 'answerLost',
  'throttle', 'serviceError', 'hideInstance'];
// Whether the request's action takes effect when the fault fires (overridable per fault with `takesEffect`).
const FAULT_TAKES_EFFECT = { slow: true, answerLost: true, truncated: true };
const CORS_ALLOW_HEADERS = 'authorization, content-type, x-tc-action, x-tc-version, x-tc-timestamp, x-tc-region, '
  + 'x-tc-token, x-tc-language, x-tc-requestclient, x-tc-traceid';
// Common parameters some clients also put in a GET query string; never treated as action parameters.
const COMMON_QUERY_PARAMS = new Set(['Action', 'Version', 'Region', 'Timestamp', 'Nonce', 'SecretId', 'Signature',
  'SignatureMethod', 'Token', 'Language', 'RequestClient']);

/** The credential accepted when none are configured (demo mode). Not a real key. */
export const DEMO_CREDENTIALS = Object.freeze({
  secretId: 'AKIDLocalLighthouseDemo0000000000000',
  secretKey: 'LocalLighthouseDemoSecretKey000000',
});

// ---------------------------------------------------------------------------------------------------------
// Errors and messages

class ApiError extends Error {
  constructor(code, message, zh) {
    super(message);
    this.code = code;
    this.zh = zh;
  }
}
const fail = (code, message, zh) => { throw new ApiError(code, message, zh); };

const ZH = {
  'AuthFailure.InvalidAuthorization': 'Authorization 头部格式错误或缺失。',
  'AuthFailure.SecretIdNotFound': '密钥不存在，请在控制台检查密钥是否已被删除或者禁用。',
  'AuthFailure.SignatureFailure': '请求签名验证失败，请检查您的签名计算是否正确。',
  'AuthFailure.SignatureExpire': '签名过期。Timestamp 和服务器时间相差不得超过五分钟，请检查本地时间是否和标准时间同步。',
  'AuthFailure.TokenFailure': '临时证书 Token 错误或已失效。',
  RequestLimitExceeded: '请求的次数超过了频率限制。',
  InvalidAction: '接口不存在。',
  NoSuchVersion: '接口版本不存在。',
  MissingParameter: '缺少参数错误。',
  UnknownParameter: '未知参数错误。',
  InvalidParameter: '参数错误。',
  RequestSizeLimitExceeded: '请求包超过限制大小。',
  'ResourceNotFound.InstanceIdNotFound': '实例 ID 不存在。',
  'ResourceNotFound.BlueprintIdNotFound': '镜像 ID 不存在。',
  'UnsupportedOperation.LatestOperationUnfinished': '不支持的操作：实例最近一次的操作尚未完成。',
  'UnsupportedOperation.InvalidInstanceState': '不支持的操作：实例状态不合法。',
  'OperationDenied.InstanceCreating': '实例正在创建中，不允许操作。',
  InternalError: '内部错误。',
};

// ---------------------------------------------------------------------------------------------------------
// Small helpers

const sha256Hex = (data) => createHash('sha256').update(data).digest('hex');
const hmac = (key, data) => createHmac('sha256', key).update(data).digest();
const isPlainObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const clone = (v) => structuredClone(v);
/** Tencent's time format: 2026-11-26T18:00:00Z (UTC, no milliseconds). */
const tencentTime = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const utcDate = (unixSeconds) => new Date(unixSeconds * 1000).toISOString().slice(0, 10);

function uuidFrom(text) {
  const h = createHash('md5').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function unknownParams(params, allowed, prefix = '') {
  for (const key of Object.keys(params)) {
    if (!allowed.includes(key)) {
      fail('UnknownParameter', `The parameter \`${prefix}${key}\` is not recognized.`, `未知参数 \`${prefix}${key}\`。`);
    }
  }
}

/** Parse a GET query string into parameters: flattened `A.0=x&B.0.Name=y` becomes `{A:['x'], B:[{Name:'y'}]}`. */
function paramsFromQuery(rawQuery) {
  const out = {};
  if (!rawQuery) return out;
  for (const part of rawQuery.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const decode = (s) => { try { return decodeURIComponent(s.replace(/\+/g, ' ')); } catch { return s; } };
    const key = decode(eq < 0 ? part : part.slice(0, eq));
    let value = decode(eq < 0 ? '' : part.slice(eq + 1));
    if (COMMON_QUERY_PARAMS.has(key)) continue;
    const path = key.split('.');
    const last = path[path.length - 1];
    if ((last === 'Limit' || last === 'Offset') && /^-?\d+$/.test(value)) value = Number(value);
    let node = out;
    for (let i = 0; i < path.length; i++) {
      const seg = /^\d+$/.test(path[i]) ? Number(path[i]) : path[i];
      if (i === path.length - 1) { node[seg] = value; break; }
      if (node[seg] === undefined || typeof node[seg] !== 'object') node[seg] = /^\d+$/.test(path[i + 1]) ? [] : {};
      node = node[seg];
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Seed data

const BP = {
  ubuntu: 'lhbp-5e8807lo', debian: 'lhbp-deb12x64', centos: 'lhbp-cent79ab', wordpress: 'lhbp-wordprs6',
  docker: 'lhbp-dockerce', windows: 'lhbp-win2022d', offline: 'lhbp-cent76ol',
};

function blueprint(id, o) {
  return {
    BlueprintId: id,
    DisplayTitle: o.title,
    DisplayVersion: o.version,
    Description: o.description,
    OsName: o.osName,
    Platform: o.platform,
    PlatformType: o.platformType ?? 'LINUX_UNIX',
    BlueprintType: o.type ?? 'PURE_OS',
    ImageUrl: `https://lighthouse-image.example.invalid/${id}.png`,
    RequiredSystemDiskSize: o.disk ?? 20,
    RequiredMemorySize: o.memory ?? 1,
    BlueprintState: o.state ?? 'ONLINE',
    CreatedTime: o.created ?? '2024-05-20T08:00:00Z',
    BlueprintName: o.name,
    SupportAutomationTools: o.automation ?? true,
    ImageId: `img-${id.slice(5)}`,
    CommunityUrl: o.community ?? '',
    GuideUrl: '',
    SceneIdSet: o.scenes ?? [],
    DockerVersion: o.dockerVersion ?? null,
    BlueprintShared: false,
  };
}

function demoBlueprints() {
  return [
    blueprint(BP.ubuntu, { title: 'Ubuntu', version: '22.04 LTS', osName: 'Ubuntu Server 22.04 LTS 64bit', platform: 'UBUNTU',
      name: 'Ubuntu Server 22.04 LTS 64bit', description: 'Ubuntu 22.04 LTS, a clean system image.', community: 'https://ubuntu.com' }),
    blueprint(BP.debian, { title: 'Debian', version: '12', osName: 'Debian 12.4 64bit', platform: 'DEBIAN',
      name: 'Debian 12.4 64bit', description: 'Debian 12 "bookworm", a clean system image.', community: 'https://www.debian.org' }),
    blueprint(BP.centos, { title: 'CentOS', version: '7.9', osName: 'CentOS 7.9 64bit', platform: 'CENTOS',
      name: 'CentOS 7.9 64bit', description: 'CentOS 7.9, a clean system image.', community: 'https://www.centos.org' }),
    blueprint(BP.wordpress, { title: 'WordPress', version: '6.4.2', osName: 'Ubuntu Server 22.04 LTS 64bit', platform: 'UBUNTU',
      type: 'APP_OS', name: 'WordPress-6.4.2-Ubuntu22.04', description: 'WordPress 6.4 with Nginx, PHP 8.1 and MariaDB on Ubuntu 22.04.',
      scenes: ['lhsc-wordpres'], community: 'https://wordpress.org', memory: 2 }),
    blueprint(BP.docker, { title: 'Docker CE', version: '26.1', osName: 'Ubuntu Server 22.04 LTS 64bit', platform: 'UBUNTU',
      type: 'DOCKER', name: 'Docker-CE-26.1-Ubuntu22.04', description: 'Docker CE 26.1 on Ubuntu 22.04.',
      dockerVersion: '26.1.3', community: 'https://www.docker.com' }),
    blueprint(BP.windows, { title: 'Windows Server', version: '2022 Datacenter', osName: 'Windows Server 2022 DataCenter 64bit Chinese',
      platform: 'WINDOWS', platformType: 'WINDOWS', name: 'Windows Server 2022 DataCenter 64bit Chinese',
      description: 'Windows Server 2022 Datacenter, Chinese edition.', disk: 40, memory: 2, automation: false }),
    blueprint(BP.offline, { title: 'CentOS', version: '7.6', osName: 'CentOS 7.6 64bit', platform: 'CENTOS',
      name: 'CentOS 7.6 64bit', description: 'CentOS 7.6 (retired).', state: 'OFFLINE', created: '2019-03-01T08:00:00Z' }),
  ];
}

const DEMO_KEY_PAIRS = ['lhkp-a1b2c3d4', 'lhkp-k8sops01', 'lhkp-deploy99'];

/** A full Lighthouse Instance from a few facts; `over` overrides any field. */
function instance(id, o = {}, blueprints = demoBlueprints()) {
  const bp = blueprints.find((b) => b.BlueprintId === (o.BlueprintId ?? BP.ubuntu)) ?? blueprints[0];
  const windows = (bp?.PlatformType ?? 'LINUX_UNIX') === 'WINDOWS';
  const base = {
    InstanceId: id,
    BundleId: windows ? 'bundle_gen_win_med2_02' : 'bundle_gen_lin_med2_02',
    BlueprintId: bp?.BlueprintId ?? BP.ubuntu,
    CPU: 2,
    Memory: 4,
    InstanceName: id,
    InstanceChargeType: 'PREPAID',
    SystemDisk: { DiskType: 'CLOUD_SSD', DiskSize: windows ? 80 : 60, DiskId: `lhdisk-${id.slice(6)}` },
    PrivateAddresses: ['10.0.0.2'],
    PublicAddresses: ['203.0.113.2'],
    InternetAccessible: { InternetChargeType: 'FLOW_PACKAGE', InternetMaxBandwidthOut: 6, PublicIpAssigned: true },
    RenewFlag: 'NOTIFY_AND_MANUAL_RENEW',
    LoginSettings: { KeyIds: [] },
    InstanceState: 'RUNNING',
    Uuid: uuidFrom(id),
    LatestOperation: null,
    LatestOperationState: null,
    LatestOperationRequestId: null,
    LatestOperationStartedTime: null,
    IsolatedTime: null,
    CreatedTime: '2026-03-14T08:21:05Z',
    ExpiredTime: '2027-03-14T08:21:05Z',
    PlatformType: bp?.PlatformType ?? 'LINUX_UNIX',
    Platform: bp?.Platform ?? 'UBUNTU',
    OsName: bp?.OsName ?? 'Ubuntu Server 22.04 LTS 64bit',
    Zone: 'ap-guangzhou-3',
    Tags: [],
    InstanceRestrictState: 'NORMAL',
    SupportIpv6Detail: { IsSupport: false, Detail: 'EFFECTIVE_REGION', Message: 'The region does not support IPv6.' },
    PublicIpv6Addresses: [],
    InitInvocationId: '',
  };
  return { ...base, ...o };
}

/**
 * A dozen instances in varied states across several regions, and the blueprints they use.
 * The ids of the API docs' examples (lhins-ruy9d2tw, lhbp-5e8807lo) and of the signing vectors
 * (lhins-abcd1234, lhins-efgh5678) exist and are RUNNING Linux instances.
 */
export function demoSeed() {
  const blueprints = demoBlueprints();
  const mk = (id, o) => instance(id, o, blueprints);
  const instances = [
    mk('lhins-ruy9d2tw', { InstanceName: 'web-prod-gz-01', BlueprintId: BP.centos, Zone: 'ap-guangzhou-3',
      PrivateAddresses: ['10.0.0.12'], PublicAddresses: ['43.138.52.117'], Tags: [{ Key: 'env', Value: 'prod' }, { Key: 'team', Value: 'web' }],
      CreatedTime: '2025-11-02T03:14:09Z', ExpiredTime: '2027-11-02T03:14:09Z' }),
    mk('lhins-abcd1234', { InstanceName: 'api-staging', BlueprintId: BP.ubuntu, Zone: 'ap-guangzhou-6',
      PrivateAddresses: ['10.0.0.34'], PublicAddresses: ['119.29.140.66'], Tags: [{ Key: 'env', Value: 'staging' }],
      LatestOperation: 'ResetInstance', LatestOperationState: 'SUCCESS', LatestOperationRequestId: 'c6f2f8d2-7a0a-4b7e-9a51-3d1c2b7e0f11',
      LatestOperationStartedTime: '2026-10-30T09:12:44Z' }),
    mk('lhins-efgh5678', { InstanceName: 'blog-wordpress', BlueprintId: BP.wordpress, Zone: 'ap-shanghai-2',
      PrivateAddresses: ['10.1.0.8'], PublicAddresses: ['101.34.77.201'], CPU: 2, Memory: 2, Tags: [{ Key: 'env', Value: 'prod' }, { Key: 'app', Value: 'blog' }] }),
    mk('lhins-q8d2k7mz', { InstanceName: 'ci-runner-sh', BlueprintId: BP.debian, Zone: 'ap-shanghai-5', InstanceState: 'STOPPED',
      PrivateAddresses: ['10.1.0.21'], PublicAddresses: ['82.157.33.9'], CPU: 4, Memory: 8, Tags: [{ Key: 'team', Value: 'ci' }],
      LatestOperation: 'StopInstances', LatestOperationState: 'SUCCESS', LatestOperationRequestId: '0b1d5c3e-2f9a-4c61-8e07-5a2b9d4f6e21',
      LatestOperationStartedTime: '2026-11-20T22:05:31Z' }),
    mk('lhins-p3n9x1ca', { InstanceName: 'new-node-bj', BlueprintId: BP.ubuntu, Zone: 'ap-beijing-7', InstanceState: 'PENDING',
      PrivateAddresses: ['10.2.0.5'], PublicAddresses: [], CreatedTime: '2026-11-26T17:58:40Z', ExpiredTime: '2027-11-26T17:58:40Z' }),
    mk('lhins-m5t7w2eb', { InstanceName: 'sg-reinstalling', BlueprintId: BP.debian, Zone: 'ap-singapore-1',
      PrivateAddresses: ['10.3.0.17'], PublicAddresses: ['43.134.88.12'], Tags: [{ Key: 'env', Value: 'dev' }],
      LatestOperation: 'ResetInstance', LatestOperationState: 'OPERATING', LatestOperationRequestId: '9e4c2a61-5b3d-4f8e-a172-6c0d8e9b3a45',
      LatestOperationStartedTime: '2026-11-26T17:59:02Z' }),
    mk('lhins-w1n2k3sv', { InstanceName: 'win-build-box', BlueprintId: BP.windows, Zone: 'ap-singapore-3',
      PrivateAddresses: ['10.3.0.40'], PublicAddresses: ['129.226.91.54'], CPU: 4, Memory: 8, Tags: [{ Key: 'team', Value: 'desktop' }] }),
    mk('lhins-dk8r4c2n', { InstanceName: 'docker-apps-hk', BlueprintId: BP.docker, Zone: 'ap-hongkong-2',
      PrivateAddresses: ['10.4.0.9'], PublicAddresses: ['124.156.160.27'], Tags: [{ Key: 'env', Value: 'prod' }, { Key: 'app', Value: 'containers' }] }),
    mk('lhins-s7h2u9tf', { InstanceName: 'legacy-db', BlueprintId: BP.centos, Zone: 'ap-chengdu-1', InstanceState: 'STOPPED',
      PrivateAddresses: ['10.5.0.3'], PublicAddresses: ['175.27.190.44'], CPU: 2, Memory: 8, RenewFlag: 'NOTIFY_AND_AUTO_RENEW' }),
    mk('lhins-r3b00tq1', { InstanceName: 'edge-tokyo', BlueprintId: BP.ubuntu, Zone: 'ap-tokyo-2', InstanceState: 'REBOOTING',
      PrivateAddresses: ['10.6.0.11'], PublicAddresses: ['150.109.99.73'] }),
    mk('lhins-f4i1ed0x', { InstanceName: 'reset-failed-nj', BlueprintId: BP.debian, Zone: 'ap-nanjing-1',
      PrivateAddresses: ['10.7.0.6'], PublicAddresses: ['110.42.220.18'],
      LatestOperation: 'ResetInstance', LatestOperationState: 'FAILED', LatestOperationRequestId: '3f8b1e27-c4d9-4a0b-b6e5-7d2a9c1f0e83',
      LatestOperationStartedTime: '2026-11-25T14:41:17Z' }),
    mk('lhins-x9v0l2ks', { InstanceName: 'expired-sandbox', BlueprintId: BP.ubuntu, Zone: 'ap-guangzhou-4', InstanceState: 'SHUTDOWN',
      PrivateAddresses: ['10.0.0.99'], PublicAddresses: [], IsolatedTime: '2026-11-01T00:00:03Z', InstanceRestrictState: 'EXPIRED',
      CreatedTime: '2025-10-01T00:00:03Z', ExpiredTime: '2026-11-01T00:00:03Z' }),
    mk('lhins-sv5u4ab1', { InstanceName: 'frankfurt-proxy', BlueprintId: BP.debian, Zone: 'eu-frankfurt-1',
      PrivateAddresses: ['10.8.0.2'], PublicAddresses: ['43.157.11.230'], CPU: 1, Memory: 1,
      LoginSettings: { KeyIds: ['lhkp-a1b2c3d4'] }, Tags: [{ Key: 'env', Value: 'prod' }] }),
  ];
  return { instances, blueprints, keyPairs: [...DEMO_KEY_PAIRS] };
}

const FLEET_ZONES = ['ap-guangzhou-3', 'ap-shanghai-2', 'ap-beijing-7', 'ap-singapore-1', 'ap-hongkong-2'];

/**
 * `n` RUNNING Linux (Ubuntu) instances with valid, distinct, deterministic ids (lhins- + 8 [a-z0-9]),
 * named `${prefix}-0001`...; different prefixes give different ids. Ids never collide with demoSeed()'s.
 */
export function makeFleet(n, { prefix = 'fleet', blueprintId = BP.ubuntu } = {}) {
  if (!Number.isInteger(n) || n < 0) throw new TypeError('makeFleet: n must be a non-negative integer');
  const used = new Set(demoSeed().instances.map((i) => i.InstanceId));
  const blueprints = demoBlueprints();
  const out = [];
  const width = Math.max(4, String(n).length);
  for (let i = 0; i < n; i++) {
    let id;
    for (let salt = 0; ; salt++) {
      const h = BigInt(`0x${createHash('sha256').update(`${prefix}:${i}:${salt}`).digest('hex').slice(0, 16)}`);
      id = `lhins-${(h % (36n ** 8n)).toString(36).padStart(8, '0')}`;
      if (!used.has(id)) break;
    }
    used.add(id);
    out.push(instance(id, {
      InstanceName: `${prefix}-${String(i + 1).padStart(width, '0')}`,
      BlueprintId: blueprintId,
      Zone: FLEET_ZONES[i % FLEET_ZONES.length],
      PrivateAddresses: [`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${(i & 255)}`],
      PublicAddresses: [`198.${18 + ((i >> 16) & 1)}.${(i >> 8) & 255}.${i & 255}`],
      Tags: [{ Key: 'fleet', Value: prefix }],
    }, blueprints));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// The server

/**
 * Start the local API. Resolves once listening; see local-api/README.md for every option and method.
 * @returns {Promise<object>} the api handle: url, port, log, stats(), injectFault(), ..., close()
 */
export async function startLighthouseApi(options = {}) {
  const cfg = {
    host: '127.0.0.1',
    port: 0,
    operatingPolls: 2,
    operatingMs: 0,
    rateLimit: 10,
    clockOffsetMs: 0,
    maxSkewSeconds: 300,
    cors: true,
    regionScoped: false,
    ...options,
  };
  const credentials = new Map();
  for (const c of options.credentials ?? [DEMO_CREDENTIALS]) {
    if (!c || typeof c.secretId !== 'string' || typeof c.secretKey !== 'string') {
      throw new TypeError('startLighthouseApi: each credential needs a string secretId and secretKey');
    }
    credentials.set(c.secretId, { secretId: c.secretId, secretKey: c.secretKey, token: c.token ?? null });
  }

  const defaults = demoSeed();
  const baseSeed = {
    instances: options.instances ?? defaults.instances,
    blueprints: options.blueprints ?? defaults.blueprints,
    keyPairs: options.keyPairs ?? defaults.keyPairs,
  };

  const state = {
    instances: new Map(), // InstanceId -> Instance (public shape)
    blueprints: new Map(),
    keyPairs: new Set(),
    ops: new Map(), // InstanceId -> { action, requestId, startedAt (performance ms), polls, fail, apply(inst) }
    failNext: new Set(),
    faults: [],
    buckets: new Map(),
    log: [],
    counters: { byAction: {}, throttled: 0, errors: 0, faults: 0, total: 0 },
  };
  let faultSeq = 0;

  const serverNow = () => Date.now() + cfg.clockOffsetMs;

  function completeInstance(partial) {
    const blueprints = [...state.blueprints.values()];
    return instance(partial.InstanceId, partial, blueprints.length ? blueprints : demoBlueprints());
  }

  function trackOperationFromFields(inst) {
    if (inst.LatestOperationState === 'OPERATING') {
      const action = inst.LatestOperation ?? 'ResetInstance';
      inst.LatestOperation = action;
      inst.LatestOperationRequestId ??= randomUUID();
      inst.LatestOperationStartedTime ??= tencentTime(serverNow());
      state.ops.set(inst.InstanceId, {
        action, requestId: inst.LatestOperationRequestId, startedAt: performance.now(), polls: 0, fail: false,
        apply: action === 'ResetInstance' ? resetApplier(inst.BlueprintId, null) : () => {},
      });
    } else {
      state.ops.delete(inst.InstanceId);
    }
  }

  function loadSeed(seed) {
    state.blueprints = new Map(seed.blueprints.map((b) => [b.BlueprintId, clone(b)]));
    state.keyPairs = new Set(seed.keyPairs);
    state.instances = new Map();
    state.ops = new Map();
    for (const i of seed.instances) {
      const inst = completeInstance(clone(i));
      state.instances.set(inst.InstanceId, inst);
      trackOperationFromFields(inst);
    }
  }

  function resetAll(seedOptions = {}) {
    const seed = {
      instances: seedOptions.fleet !== undefined ? makeFleet(seedOptions.fleet) : seedOptions.instances ?? baseSeed.instances,
      blueprints: seedOptions.blueprints ?? baseSeed.blueprints,
      keyPairs: seedOptions.keyPairs ?? baseSeed.keyPairs,
    };
    loadSeed(seed);
    state.failNext.clear();
    state.faults = [];
    state.buckets.clear();
    state.log.length = 0;
    state.counters = { byAction: {}, throttled: 0, errors: 0, faults: 0, total: 0 };
  }
  resetAll();

  // --- operations ------------------------------------------------------------------------------------

  function resetApplier(blueprintId, keyIds) {
    return (inst) => {
      const bp = state.blueprints.get(blueprintId);
      if (bp) {
        inst.BlueprintId = bp.BlueprintId;
        inst.OsName = bp.OsName;
        inst.Platform = bp.Platform;
        inst.PlatformType = bp.PlatformType;
      }
      if (keyIds) inst.LoginSettings = { ...inst.LoginSettings, KeyIds: [...keyIds] };
      inst.InstanceState = 'RUNNING';
    };
  }

  function startOperation(inst, action, requestId, apply) {
    const fail = action === 'ResetInstance' && state.failNext.delete(inst.InstanceId);
    inst.LatestOperation = action;
    inst.LatestOperationState = 'OPERATING';
    inst.LatestOperationRequestId = requestId;
    inst.LatestOperationStartedTime = tencentTime(serverNow());
    state.ops.set(inst.InstanceId, { action, requestId, startedAt: performance.now(), polls: 0, fail, apply });
  }

  /** Finish the instance's operation if it has been polled enough and has run long enough. */
  function settle(inst) {
    const op = state.ops.get(inst.InstanceId);
    if (!op) return;
    if (op.polls < cfg.operatingPolls || performance.now() - op.startedAt < cfg.operatingMs) return;
    state.ops.delete(inst.InstanceId);
    if (inst.LatestOperationRequestId !== op.requestId) return; // overwritten by setInstance
    if (op.fail) {
      inst.LatestOperationState = 'FAILED';
    } else {
      op.apply(inst);
      inst.LatestOperationState = 'SUCCESS';
    }
  }

  // --- faults ----------------------------------------------------------------------------------------

  function injectFault(spec = {}) {
    if (!isPlainObject(spec) || !FAULT_KINDS.includes(spec.kind)) {
      throw new TypeError(`injectFault: kind must be one of ${FAULT_KINDS.join(', ')}`);
    }
    if (spec.kind === 'hideInstance' && typeof spec.instanceId !== 'string') {
      throw new TypeError('injectFault: hideInstance needs instanceId');
    }
    const times = spec.times === undefined ? 1 : spec.times;
    if (!(times === Infinity || times === -1 || (Number.isInteger(times) && times > 0))) {
      throw new TypeError('injectFault: times must be a positive integer, or Infinity / -1 for "until cleared"');
    }
    const fault = {
      id: ++faultSeq,
      kind: spec.kind,
      action: spec.action ?? null,
      instanceId: spec.instanceId ?? null,
      remaining: times === -1 ? Infinity : times,
      delayMs: spec.delayMs ?? 1000,
      code: spec.code ?? 'InternalError',
      message: spec.message ?? 'An internal error has occurred. Retry your request, but if the problem persists, contact us.',
      takesEffect: spec.takesEffect ?? Boolean(FAULT_TAKES_EFFECT[spec.kind]),
    };
    state.faults.push(fault);
    return { ...fault };
  }

  function requestMentions(params, instanceId) {
    if (!instanceId) return true;
    if (!isPlainObject(params)) return false;
    return params.InstanceId === instanceId || (Array.isArray(params.InstanceIds) && params.InstanceIds.includes(instanceId));
  }

  function takeFault(action, params) {
    for (const f of state.faults) {
      if (f.kind === 'hideInstance') continue;
      if (f.action && f.action !== action) continue;
      if (!requestMentions(params, f.instanceId)) continue;
      f.remaining--;
      if (f.remaining <= 0) state.faults.splice(state.faults.indexOf(f), 1);
      return f;
    }
    return null;
  }

  /** Whether a hideInstance fault removes this instance from this DescribeInstances answer (consumes one). */
  function hidden(instanceId) {
    const f = state.faults.find((x) => x.kind === 'hideInstance' && x.instanceId === instanceId);
    if (!f) return false;
    f.remaining--;
    if (f.remaining <= 0) state.faults.splice(state.faults.indexOf(f), 1);
    return true;
  }

  // --- rate limit ------------------------------------------------------------------------------------

  function takeToken(secretId, action) {
    if (!cfg.rateLimit) return true;
    const key = `${secretId}\n${action}`;
    const now = performance.now();
    const b = state.buckets.get(key) ?? { tokens: cfg.rateLimit, at: now };
    b.tokens = Math.min(cfg.rateLimit, b.tokens + ((now - b.at) / 1000) * cfg.rateLimit);
    b.at = now;
    state.buckets.set(key, b);
    if (b.tokens >= 1) { b.tokens -= 1; return true; }
    return false;
  }

  // --- signature -------------------------------------------------------------------------------------

  const keyCache = new Map();
  function signingKey(secretKey, date) {
    const k = `${date}\n${secretKey}`;
    let key = keyCache.get(k);
    if (!key) {
      key = hmac(hmac(hmac(`TC3${secretKey}`, date), SERVICE), 'tc3_request');
      if (keyCache.size > 1000) keyCache.clear();
      keyCache.set(k, key);
    }
    return key;
  }

  function parseAuthorization(value) {
    if (typeof value !== 'string') return null;
    const m = /^\s*TC3-HMAC-SHA256\s+(.+)$/.exec(value);
    if (!m) return null;
    const fields = {};
    for (const part of m[1].split(',')) {
      const eq = part.indexOf('=');
      if (eq < 0) return null;
      fields[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
    }
    const { Credential: credential, SignedHeaders: signedHeaders, Signature: signature } = fields;
    if (!credential || !signedHeaders || !signature) return null;
    const scope = credential.split('/');
    if (scope.length !== 4 || scope[3] !== 'tc3_request' || !scope[0]) return null;
    if (!/^[0-9a-f]{64}$/.test(signature)) return null;
    return { secretId: scope[0], date: scope[1], service: scope[2], signedHeaders, signature };
  }

  function verify(ctx) {
    const { headers } = ctx;
    if (!headers.authorization) {
      fail('AuthFailure.InvalidAuthorization', 'The Authorization header is missing.');
    }
    const auth = ctx.auth;
    if (!auth) {
      fail('AuthFailure.InvalidAuthorization', 'The Authorization header is malformed: expected '
        + '"TC3-HMAC-SHA256 Credential=SecretId/YYYY-MM-DD/service/tc3_request, SignedHeaders=content-type;host, Signature=<64 hex>".');
    }
    const cred = credentials.get(auth.secretId);
    if (!cred) fail('AuthFailure.SecretIdNotFound', 'The SecretId is not found, please ensure that your SecretId is correct.');
    const tsHeader = headers['x-tc-timestamp'];
    if (tsHeader === undefined) fail('MissingParameter', 'The request is missing the required header `X-TC-Timestamp`.');
    if (!/^\d{1,12}$/.test(String(tsHeader).trim())) {
      fail('InvalidParameter', `X-TC-Timestamp must be an integer number of Unix seconds, got "${tsHeader}".`);
    }
    const ts = Number(String(tsHeader).trim());
    const nowS = serverNow() / 1000;
    if (Math.abs(ts - nowS) > cfg.maxSkewSeconds) {
      fail('AuthFailure.SignatureExpire', `Signature expire. Timestamp is ${ts}, server time is ${Math.floor(nowS)}: they must not `
        + `differ by more than ${cfg.maxSkewSeconds} seconds. Please check whether the local time is synchronized with the standard time.`);
    }
    if (auth.service !== SERVICE) {
      fail('AuthFailure.SignatureFailure', `The service in the credential scope must be "${SERVICE}", got "${auth.service}".`);
    }
    if (auth.date !== utcDate(ts)) {
      fail('AuthFailure.SignatureFailure', `The date in the credential scope (${auth.date}) is not the UTC date of X-TC-Timestamp (${utcDate(ts)}).`);
    }
    const names = auth.signedHeaders.split(';');
    if (!names.includes('content-type') || !names.includes('host') || names.some((n) => !n || n !== n.toLowerCase())) {
      fail('AuthFailure.InvalidAuthorization', 'SignedHeaders must be lower-case names and include content-type and host.');
    }
    const canonicalHeaders = names.map((n) => `${n}:${String(headers[n] ?? '').trim().toLowerCase()}\n`).join('');
    const canonicalRequest = `${ctx.method}\n/\n${ctx.rawQuery}\n${canonicalHeaders}\n${auth.signedHeaders}\n${sha256Hex(ctx.body)}`;
    const stringToSign = `TC3-HMAC-SHA256\n${ts}\n${auth.date}/${SERVICE}/tc3_request\n${sha256Hex(canonicalRequest)}`;
    const expected = createHmac('sha256', signingKey(cred.secretKey, auth.date)).update(stringToSign).digest();
    if (!timingSafeEqual(expected, Buffer.from(auth.signature, 'hex'))) {
      fail('AuthFailure.SignatureFailure', 'The provided credentials could not be validated. Please check your signature is correct.');
    }
    if (cred.token !== null) {
      const token = headers['x-tc-token'];
      if (token === undefined || token === '') fail('AuthFailure.TokenFailure', 'The X-TC-Token header is required for temporary credentials.');
      if (token !== cred.token) fail('AuthFailure.TokenFailure', 'The token in X-TC-Token is invalid or expired.');
    }
  }

  // --- actions ---------------------------------------------------------------------------------------

  function inRegion(inst, ctx) {
    return !cfg.regionScoped || !ctx.region || inst.Zone.startsWith(`${ctx.region}-`);
  }

  function findInstance(id, ctx) {
    const inst = state.instances.get(id);
    if (!inst || !inRegion(inst, ctx)) {
      fail('ResourceNotFound.InstanceIdNotFound', `The instance ID \`${id}\` does not exist.`, `实例 ID \`${id}\` 不存在。`);
    }
    return inst;
  }

  function checkInstanceId(id, name = 'InstanceId') {
    if (typeof id !== 'string' || !INSTANCE_ID.test(id)) {
      fail('InvalidParameterValue.InstanceIdMalformed', `Invalid parameter value: the instance ID format of \`${name}\` is invalid `
        + `(expected lhins- followed by 8 lower-case letters or digits), got ${JSON.stringify(id)}.`);
    }
  }

  function checkBlueprintId(id, name = 'BlueprintId') {
    if (typeof id !== 'string' || !BLUEPRINT_ID.test(id)) {
      fail('InvalidParameterValue.BlueprintIdMalformed', `Invalid parameter value: the image ID format of \`${name}\` is invalid `
        + `(expected lhbp- followed by 8 lower-case letters or digits), got ${JSON.stringify(id)}.`);
    }
  }

  function checkPassword(password, platformType) {
    const windows = platformType === 'WINDOWS';
    const [min, max] = windows ? [12, 30] : [8, 30];
    const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[()`~!@#$%^&*\-+=_|{}[\]:;'<>,.?/]/].filter((r) => r.test(password)).length;
    const onlyAllowed = /^[a-zA-Z0-9()`~!@#$%^&*\-+=_|{}[\]:;'<>,.?/]*$/.test(password);
    if (password.length < min || password.length > max || classes < 3 || !onlyAllowed || (!windows && password.startsWith('/'))) {
      fail('InvalidParameterValue.InvalidPassword', `The password is invalid: it must be ${min} to ${max} characters long and contain `
        + 'at least three of lower-case letters, upper-case letters, digits and the special characters ()`~!@#$%^&*-+=_|{}[]:;\'<>,.?/'
        + (windows ? '.' : ', and must not start with "/".'));
    }
  }

  function resetInstance(p, ctx) {
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

    const inst = findInstance(p.InstanceId, ctx);
    let bp = state.blueprints.get(p.BlueprintId ?? inst.BlueprintId);
    if (p.BlueprintId !== undefined) {
      if (!bp) fail('ResourceNotFound.BlueprintIdNotFound', `The image ID \`${p.BlueprintId}\` does not exist.`);
      if (bp.BlueprintState !== 'ONLINE') {
        fail('ResourceUnavailable.BlueprintUnavailable', `The image \`${p.BlueprintId}\` is not available (state ${bp.BlueprintState}).`);
      }
    }
    bp ??= { BlueprintId: inst.BlueprintId, PlatformType: inst.PlatformType, BlueprintType: 'PURE_OS' };
    if (bp.PlatformType !== inst.PlatformType) {
      fail('InvalidParameterValue.NotAllowToChangePlatformType', `It is not allowed to change the OS type: the instance is `
        + `${inst.PlatformType} and the image \`${bp.BlueprintId}\` is ${bp.PlatformType}.`);
    }
    if (p.Containers !== undefined && p.Containers.length > 0 && bp.BlueprintType !== 'DOCKER') {
      fail('InvalidParameterValue.BlueprintConfigNotMatch', `Containers can only be specified with a Docker image; \`${bp.BlueprintId}\` is ${bp.BlueprintType}.`);
    }
    if (keyIds && bp.PlatformType === 'WINDOWS') {
      fail('InvalidParameterValue.InvalidParameterCombination', 'Key pairs (LoginConfiguration.KeyIds) are not supported on Windows instances.');
    }
    for (const k of keyIds ?? []) {
      if (!KEY_ID.test(k) || !state.keyPairs.has(k)) fail('ResourceNotFound.KeyPairNotFound', `The key pair \`${k}\` does not exist.`);
    }
    if (typeof login?.Password === 'string') checkPassword(login.Password, bp.PlatformType);

    if (inst.InstanceState === 'PENDING') {
      fail('OperationDenied.InstanceCreating', `The instance \`${inst.InstanceId}\` is being created and cannot be operated on.`);
    }
    if (inst.LatestOperationState === 'OPERATING') {
      fail('UnsupportedOperation.LatestOperationUnfinished', `Unsupported operation: the last operation (${inst.LatestOperation}) `
        + `of the instance \`${inst.InstanceId}\` has not been completed.`);
    }
    if (inst.InstanceState !== 'RUNNING' && inst.InstanceState !== 'STOPPED') {
      fail('UnsupportedOperation.InvalidInstanceState', `Unsupported operation: the instance \`${inst.InstanceId}\` is `
        + `${inst.InstanceState}; it must be RUNNING or STOPPED.`);
    }
    startOperation(inst, 'ResetInstance', ctx.requestId, resetApplier(bp.BlueprintId, keyIds));
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
  const instanceFilter = (name) => (name.startsWith('tag:')
    ? (i, v) => i.Tags.some((t) => t.Key === name.slice(4) && v.includes(t.Value))
    : INSTANCE_FILTERS[name]);

  function describeInstances(p, ctx) {
    unknownParams(p, ['InstanceIds', 'Filters', 'Offset', 'Limit']);
    const ids = p.InstanceIds;
    if (ids !== undefined) {
      if (!Array.isArray(ids)) fail('InvalidParameter', 'InstanceIds must be an array of instance ids.');
      if (ids.length > 100) fail('InvalidParameterValue.LimitExceeded', `At most 100 InstanceIds are allowed, got ${ids.length}.`);
      ids.forEach((id, n) => checkInstanceId(id, `InstanceIds.${n}`));
    }
    if (ids?.length && p.Filters?.length) {
      fail('InvalidParameter.ParameterConflict', 'InstanceIds and Filters cannot be specified at the same time.');
    }
    const filters = parseFilters(p.Filters, (n) => Boolean(instanceFilter(n)));
    const { offset, limit } = pageArgs(p);
    const wanted = ids?.length ? new Set(ids) : null;
    const matching = [...state.instances.values()].filter((i) => (!wanted || wanted.has(i.InstanceId))
      && inRegion(i, ctx) && filters.every((f) => instanceFilter(f.Name)(i, f.Values)));
    const visible = matching.filter((i) => !hidden(i.InstanceId));
    const page = visible.slice(offset, offset + limit);
    const set = page.map((inst) => {
      settle(inst);
      const op = state.ops.get(inst.InstanceId);
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

  function describeBlueprints(p) {
    unknownParams(p, ['BlueprintIds', 'Filters', 'Offset', 'Limit']);
    const ids = p.BlueprintIds;
    if (ids !== undefined) {
      if (!Array.isArray(ids)) fail('InvalidParameter', 'BlueprintIds must be an array of image ids.');
      if (ids.length > 100) fail('InvalidParameterValue.LimitExceeded', `At most 100 BlueprintIds are allowed, got ${ids.length}.`);
      ids.forEach((id, n) => checkBlueprintId(id, `BlueprintIds.${n}`));
    }
    if (ids?.length && p.Filters?.length) {
      fail('InvalidParameter.ParameterConflict', 'BlueprintIds and Filters cannot be specified at the same time.');
    }
    const filters = parseFilters(p.Filters, (n) => n in BLUEPRINT_FILTERS);
    const { offset, limit } = pageArgs(p);
    const wanted = ids?.length ? new Set(ids) : null;
    const matching = [...state.blueprints.values()].filter((b) => (!wanted || wanted.has(b.BlueprintId))
      && filters.every((f) => BLUEPRINT_FILTERS[f.Name](b, f.Values)));
    return { TotalCount: matching.length, BlueprintSet: matching.slice(offset, offset + limit).map(clone) };
  }

  /** StartInstances / StopInstances / RebootInstances: minimal, same asynchronous model as ResetInstance. */
  function powerAction(action, from, during, to) {
    return (p, ctx) => {
      unknownParams(p, action === 'StopInstances' ? ['InstanceIds', 'StopType'] : ['InstanceIds']);
      if (!Array.isArray(p.InstanceIds) || p.InstanceIds.length === 0) {
        fail('MissingParameter', 'The request is missing a required parameter `InstanceIds`.');
      }
      if (p.InstanceIds.length > 100) fail('InvalidParameterValue.LimitExceeded', 'At most 100 InstanceIds are allowed.');
      p.InstanceIds.forEach((id, n) => checkInstanceId(id, `InstanceIds.${n}`));
      const insts = p.InstanceIds.map((id) => findInstance(id, ctx));
      for (const inst of insts) {
        if (inst.LatestOperationState === 'OPERATING') {
          fail('UnsupportedOperation.LatestOperationUnfinished', `Unsupported operation: the last operation of the instance \`${inst.InstanceId}\` has not been completed.`);
        }
        if (inst.InstanceState !== from) {
          fail('UnsupportedOperation.InvalidInstanceState', `Unsupported operation: the instance \`${inst.InstanceId}\` is ${inst.InstanceState}; it must be ${from}.`);
        }
      }
      for (const inst of insts) {
        startOperation(inst, action, ctx.requestId, (i) => { i.InstanceState = to; });
        inst.InstanceState = during;
      }
      return {};
    };
  }

  const handlers = {
    ResetInstance: resetInstance,
    DescribeInstances: describeInstances,
    DescribeBlueprints: describeBlueprints,
    StartInstances: powerAction('StartInstances', 'STOPPED', 'STARTING', 'RUNNING'),
    StopInstances: powerAction('StopInstances', 'RUNNING', 'STOPPING', 'STOPPED'),
    RebootInstances: powerAction('RebootInstances', 'RUNNING', 'REBOOTING', 'RUNNING'),
  };

  // --- request pipeline ------------------------------------------------------------------------------

  function header(req, name) {
    const v = req.headers[name];
    return Array.isArray(v) ? v.join(', ') : v;
  }

  function baseHeaders(req) {
    const h = {};
    if (cfg.cors) {
      h['Access-Control-Allow-Origin'] = '*';
      h['Access-Control-Expose-Headers'] = 'Date';
    }
    return h;
  }

  function send(req, res, status, contentType, body, extra = {}) {
    if (res.destroyed || res.headersSent) return;
    const buf = Buffer.from(body);
    res.writeHead(status, {
      ...baseHeaders(req),
      Date: new Date(serverNow()).toUTCString(),
      ...(contentType ? { 'Content-Type': contentType } : {}),
      'Content-Length': buf.length,
      ...extra,
    });
    res.end(buf);
  }

  const sendJson = (req, res, status, value) => send(req, res, status, 'application/json', JSON.stringify(value));

  /** Process an API call to its Response object (never throws). */
  function processApi(ctx) {
    const lang = String(ctx.headers['x-tc-language'] ?? '').toLowerCase() === 'zh-cn' ? 'zh' : 'en';
    try {
      if (ctx.tooLarge) {
        fail('RequestSizeLimitExceeded', ctx.method === 'GET'
          ? `The GET query string exceeds ${MAX_GET_QUERY_BYTES} bytes.`
          : `The request body exceeds ${MAX_POST_BYTES} bytes (10 MB).`);
      }
      verify(ctx);
      if (!ctx.action) fail('MissingParameter', 'The request is missing the required header `X-TC-Action`.', '缺少必填头部 `X-TC-Action`。');
      const version = ctx.version;
      if (!version) fail('MissingParameter', 'The request is missing the required header `X-TC-Version`.');
      if (version !== API_VERSION) {
        fail('NoSuchVersion', `The API version \`${version}\` does not exist; lighthouse uses ${API_VERSION}.`);
      }
      if (!Object.hasOwn(handlers, ctx.action)) {
        fail('InvalidAction', `The action \`${ctx.action}\` is not found or not supported by lighthouse ${API_VERSION}.`);
      }
      if (!takeToken(ctx.auth.secretId, ctx.action)) {
        fail('RequestLimitExceeded', `Your current request times equals to \`${cfg.rateLimit}\` in a second, which exceeds `
          + `the frequency limit \`${cfg.rateLimit}\` for a second. Please reduce the frequency of calls.`);
      }
      if (!ctx.params.ok) fail('InvalidParameter', ctx.params.error, '请求体不是合法的 JSON 对象。');
      const data = handlers[ctx.action](ctx.params.value, ctx);
      return { Response: { ...data, RequestId: ctx.requestId } };
    } catch (e) {
      let err = e;
      if (!(e instanceof ApiError)) {
        err = new ApiError('InternalError', `An internal error has occurred: ${e?.message ?? e}`);
      }
      const message = lang === 'zh' ? (err.zh ?? ZH[err.code] ?? err.message) : err.message;
      return { Response: { Error: { Code: err.code, Message: message }, RequestId: ctx.requestId } };
    }
  }

  function parseParams(method, body, rawQuery) {
    if (method === 'GET') return { ok: true, value: paramsFromQuery(rawQuery) };
    const text = body.toString('utf8');
    if (text.trim() === '') return { ok: false, error: 'The request body is empty; it must be a JSON object (at least "{}").' };
    let value;
    try { value = JSON.parse(text); } catch (e) {
      return { ok: false, error: `The request body is not valid JSON: ${e.message}` };
    }
    if (!isPlainObject(value)) return { ok: false, error: 'The request body must be a JSON object.' };
    return { ok: true, value };
  }

  const pendingTimers = new Map(); // timer -> resolve, so close() can release waiting `slow` requests
  let closed = false;
  const sleep = (ms) => new Promise((resolve) => {
    const t = setTimeout(() => { pendingTimers.delete(t); resolve(); }, ms);
    pendingTimers.set(t, resolve);
  });

  const HTML = (status, title) => `<html>\r\n<head><title>${status} ${title}</title></head>\r\n<body>\r\n`
    + `<center><h1>${status} ${title}</h1></center>\r\n<hr><center>stgw</center>\r\n</body>\r\n</html>\r\n`;

  /** Deliver a fault's transport effect; `text` is the real answer when the action was processed. */
  function deliverFault(req, res, entry, fault, ctx, text) {
    const c = state.counters;
    switch (fault.kind) {
      case 'connectionReset':
      case 'answerLost':
        req.socket.destroy();
        return;
      case 'html500': entry.status = 500; send(req, res, 500, 'text/html', HTML(500, 'Internal Server Error')); return;
      case 'badGateway': entry.status = 502; send(req, res, 502, 'text/html', HTML(502, 'Bad Gateway')); return;
      case 'nonJson': entry.status = 200; send(req, res, 200, 'text/plain; charset=utf-8', 'upstream answered: service temporarily unavailable'); return;
      case 'empty': entry.status = 200; send(req, res, 200, 'application/json', ''); return;
      case 'truncated': {
        const full = text ?? JSON.stringify({ Response: { RequestId: ctx.requestId } });
        entry.status = 200;
        send(req, res, 200, 'application/json', full.slice(0, Math.floor(full.length / 2)));
        return;
      }
      case 'throttle':
      case 'serviceError': {
        const code = fault.kind === 'throttle' ? 'RequestLimitExceeded' : fault.code;
        const message = fault.kind === 'throttle'
          ? 'Your current request frequency exceeds the limit. Please reduce the frequency of calls.' : fault.message;
        if (code.startsWith('RequestLimitExceeded')) c.throttled++;
        if (entry.errorCode === null || entry.errorCode.startsWith('Fault.')) c.errors++;
        Object.assign(entry, { status: 200, errorCode: code, requestId: ctx.requestId });
        sendJson(req, res, 200, { Response: { Error: { Code: code, Message: message }, RequestId: ctx.requestId } });
        return;
      }
      default: // slow: answer normally
        entry.status = 200;
        send(req, res, 200, 'application/json', text);
    }
  }

  async function handleApi(req, res, body, tooLarge, rawQuery) {
    const method = req.method;
    const queryCommon = method === 'GET' ? new URLSearchParams(rawQuery) : null;
    const ctx = {
      method,
      headers: req.headers,
      body,
      rawQuery,
      tooLarge,
      action: header(req, 'x-tc-action') ?? queryCommon?.get('Action') ?? null,
      version: header(req, 'x-tc-version') ?? queryCommon?.get('Version') ?? null,
      region: header(req, 'x-tc-region') ?? null,
      auth: parseAuthorization(header(req, 'authorization')),
      params: tooLarge ? { ok: false, error: 'too large' } : parseParams(method, body, rawQuery),
      requestId: randomUUID(),
    };
    const entry = {
      time: Date.now(),
      action: ctx.action,
      secretId: ctx.auth?.secretId ?? null,
      params: ctx.params.ok ? ctx.params.value : null,
      status: null,
      errorCode: null,
      requestId: null,
      fault: null,
      ok: false,
    };
    state.log.push(entry);
    const c = state.counters;
    c.total++;
    const actionKey = ctx.action ?? '(none)';
    c.byAction[actionKey] = (c.byAction[actionKey] ?? 0) + 1;

    const fault = takeFault(ctx.action, entry.params);
    if (fault) {
      entry.fault = fault.kind;
      c.faults++;
      if (fault.kind === 'slow') {
        await sleep(fault.delayMs);
        if (closed) return;
      }
    }
    let text = null;
    if (!fault || fault.takesEffect) {
      const answer = processApi(ctx);
      const error = answer.Response.Error;
      entry.requestId = ctx.requestId;
      if (error) {
        entry.errorCode = error.Code;
        c.errors++;
        if (error.Code.startsWith('RequestLimitExceeded')) c.throttled++;
      } else {
        entry.ok = true;
      }
      text = JSON.stringify(answer);
    } else {
      // The action never reached the service: mark the entry so "no errorCode" always means "took effect".
      entry.errorCode = `Fault.${fault.kind}`;
    }
    if (fault) { deliverFault(req, res, entry, fault, ctx, text); return; }
    entry.status = 200;
    send(req, res, 200, 'application/json', text, tooLarge ? { Connection: 'close' } : {});
  }

  // --- control endpoints -----------------------------------------------------------------------------

  function handleControl(req, res, path, body, rawQuery) {
    let input = {};
    if (req.method === 'POST' && body.length) {
      try { input = JSON.parse(body.toString('utf8')); } catch {
        return sendJson(req, res, 400, { error: 'the body must be JSON' });
      }
      if (!isPlainObject(input)) return sendJson(req, res, 400, { error: 'the body must be a JSON object' });
    }
    const route = `${req.method} ${path}`;
    try {
      switch (route) {
        case 'POST /__control/fault': return sendJson(req, res, 200, { ok: true, fault: api.injectFault(input) });
        case 'POST /__control/clear-faults': api.clearFaults(); return sendJson(req, res, 200, { ok: true });
        case 'GET /__control/faults': return sendJson(req, res, 200, api.faults);
        case 'POST /__control/reset': api.reset(input); return sendJson(req, res, 200, { ok: true });
        case 'GET /__control/log': return sendJson(req, res, 200, state.log);
        case 'GET /__control/stats': return sendJson(req, res, 200, api.stats());
        case 'POST /__control/instance': {
          const { InstanceId, ...patch } = input;
          if (typeof InstanceId !== 'string') return sendJson(req, res, 400, { error: 'InstanceId is required' });
          return sendJson(req, res, 200, api.setInstance(InstanceId, patch));
        }
        case 'GET /__control/instance': {
          const id = new URLSearchParams(rawQuery).get('InstanceId');
          const inst = id && api.getInstance(id);
          return inst ? sendJson(req, res, 200, inst) : sendJson(req, res, 404, { error: `no instance ${id}` });
        }
        case 'GET /__control/instances': return sendJson(req, res, 200, [...state.instances.keys()].map((id) => api.getInstance(id)));
        case 'POST /__control/fail-next-reset': {
          if (typeof input.InstanceId !== 'string') return sendJson(req, res, 400, { error: 'InstanceId is required' });
          api.failNextReset(input.InstanceId);
          return sendJson(req, res, 200, { ok: true });
        }
        case 'POST /__control/config': return sendJson(req, res, 200, api.configure(input));
        default: return sendJson(req, res, 404, { error: `unknown control endpoint ${route}` });
      }
    } catch (e) {
      return sendJson(req, res, 400, { error: e.message });
    }
  }

  // --- HTTP server -----------------------------------------------------------------------------------

  function onRequest(req, res) {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const rawQuery = q < 0 ? '' : url.slice(q + 1);

    if (req.method === 'OPTIONS') {
      req.resume();
      if (!cfg.cors) { res.writeHead(405, { Allow: 'GET, POST' }); res.end(); return; }
      const extra = {
        'Access-Control-Allow-Methods': 'POST, GET, OPTIONS',
        'Access-Control-Allow-Headers': CORS_ALLOW_HEADERS,
        'Access-Control-Max-Age': '600',
      };
      if (req.headers['access-control-request-private-network'] === 'true') extra['Access-Control-Allow-Private-Network'] = 'true';
      res.writeHead(204, { ...baseHeaders(req), Date: new Date(serverNow()).toUTCString(), ...extra });
      res.end();
      return;
    }
    const isControl = path.startsWith('/__control/');
    if (!isControl && path !== '/') {
      req.resume();
      send(req, res, 404, 'text/plain; charset=utf-8', 'Not found: the API answers at "/" and control endpoints under "/__control/".');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'POST') {
      req.resume();
      send(req, res, 405, 'text/plain; charset=utf-8', 'Method not allowed', { Allow: 'GET, POST, OPTIONS' });
      return;
    }
    const chunks = [];
    let size = 0;
    let tooLarge = req.method === 'GET' && Buffer.byteLength(rawQuery) > MAX_GET_QUERY_BYTES;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_POST_BYTES) { tooLarge = true; return; } // keep draining, drop the bytes
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (closed) return;
      const body = tooLarge ? Buffer.alloc(0) : Buffer.concat(chunks);
      if (isControl) { handleControl(req, res, path, body, rawQuery); return; }
      handleApi(req, res, body, tooLarge, rawQuery).catch((e) => {
        if (!res.headersSent && !res.destroyed) send(req, res, 500, 'text/plain', `local-api bug: ${e?.stack ?? e}`);
      });
    });
    req.on('error', () => {});
  }

  const sockets = new Set();
  const server = http.createServer({ maxHeaderSize: 64 * 1024, keepAliveTimeout: 5000 }, onRequest);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('clientError', (err, socket) => {
    if (socket.writable && !socket.destroyed) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(cfg.port, cfg.host, () => { server.off('error', reject); resolve(); });
  });
  const { port } = server.address();
  const urlHost = cfg.host.includes(':') ? `[${cfg.host}]` : cfg.host;

  let closing = null;
  const api = {
    url: `http://${urlHost}:${port}`,
    port,
    host: cfg.host,
    /** Every API request received, in order (entries are filled in when answered). */
    get log() { return state.log; },
    get faults() { return state.faults.map((f) => ({ ...f })); },
    stats() {
      const c = state.counters;
      return { byAction: { ...c.byAction }, throttled: c.throttled, errors: c.errors, faults: c.faults, total: c.total };
    },
    injectFault,
    clearFaults() { state.faults = []; },
    setInstance(instanceId, patch = {}) {
      if (typeof instanceId !== 'string') throw new TypeError('setInstance: instanceId must be a string');
      let inst = state.instances.get(instanceId);
      if (!inst) {
        inst = completeInstance({ ...patch, InstanceId: instanceId });
        state.instances.set(instanceId, inst);
      } else {
        Object.assign(inst, clone(patch), { InstanceId: instanceId });
      }
      if ('LatestOperationState' in patch || 'LatestOperationRequestId' in patch) trackOperationFromFields(inst);
      return clone(inst);
    },
    getInstance(instanceId) {
      const inst = state.instances.get(instanceId);
      if (!inst) return undefined;
      settle(inst);
      return clone(inst);
    },
    failNextReset(instanceId) { state.failNext.add(instanceId); },
    reset(seedOptions) { resetAll(seedOptions ?? {}); },
    /** Change operatingPolls, operatingMs, rateLimit, clockOffsetMs, maxSkewSeconds, cors, regionScoped at run time. */
    configure(patch = {}) {
      for (const k of ['operatingPolls', 'operatingMs', 'rateLimit', 'clockOffsetMs', 'maxSkewSeconds', 'cors', 'regionScoped']) {
        if (k in patch) cfg[k] = patch[k];
      }
      if ('rateLimit' in patch) state.buckets.clear();
      const { operatingPolls, operatingMs, rateLimit, clockOffsetMs, maxSkewSeconds, cors, regionScoped } = cfg;
      return { operatingPolls, operatingMs, rateLimit, clockOffsetMs, maxSkewSeconds, cors, regionScoped };
    },
    close() {
      if (closing) return closing;
      closed = true;
      for (const [t, resolve] of pendingTimers) { clearTimeout(t); resolve(); }
      pendingTimers.clear();
      closing = new Promise((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      server.closeAllConnections?.();
      return closing;
    },
  };
  return api;
}

// ---------------------------------------------------------------------------------------------------------
// Command line: node local-api/server.mjs [--host H] [--port P] [--operating-ms MS] [--operating-polls N]
//               [--rate-limit N] [--clock-offset-ms MS] [--fleet N] [--no-cors]

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const opt = (name, fallback) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
  };
  const secretId = process.env.LOCAL_API_SECRET_ID ?? DEMO_CREDENTIALS.secretId;
  const secretKey = process.env.LOCAL_API_SECRET_KEY ?? DEMO_CREDENTIALS.secretKey;
  const fleet = opt('fleet', null);
  const api = await startLighthouseApi({
    host: opt('host', '127.0.0.1'),
    port: Number(opt('port', 8787)),
    operatingMs: Number(opt('operating-ms', 4000)),
    operatingPolls: Number(opt('operating-polls', 2)),
    rateLimit: Number(opt('rate-limit', 10)),
    clockOffsetMs: Number(opt('clock-offset-ms', 0)),
    cors: !args.includes('--no-cors'),
    credentials: [{ secretId, secretKey }],
    ...(fleet ? { instances: makeFleet(Number(fleet)) } : {}),
  });
  console.log(`local Lighthouse API listening on ${api.url}`);
  console.log(secretKey === DEMO_CREDENTIALS.secretKey
    ? `  SecretId  ${secretId}\n  SecretKey ${secretKey}   (local demo credentials, not a real key)`
    : `  SecretId  ${secretId} (key from LOCAL_API_SECRET_KEY)`);
  const stop = () => { api.close().then(() => process.exit(0)); };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
