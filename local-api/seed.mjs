// The seeds of the local API: the demo account (demoSeed: instances in several regions, the blueprints, key
// pairs) and makeFleet. Plain data; the model (model.mjs) completes and holds them.

import { createHash } from 'node:crypto';

function uuidFrom(text) {
  const h = createHash('md5').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export const BP = {
  ubuntu: 'lhbp-5e8807lo',
  debian: 'lhbp-deb12x64',
  centos: 'lhbp-cent79ab',
  wordpress: 'lhbp-wordprs6',
  docker: 'lhbp-dockerce',
  windows: 'lhbp-win2022d',
  offline: 'lhbp-cent76ol',
  custom: 'lhbp-shblog01',
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
    // Seed-only (not an API field, the model strips it): the regions the image exists in; absent = every region.
    ...(o.regions ? { Regions: o.regions } : {}),
  };
}

export function demoBlueprints() {
  return [
    blueprint(BP.ubuntu, {
      title: 'Ubuntu',
      version: '22.04 LTS',
      osName: 'Ubuntu Server 22.04 LTS 64bit',
      platform: 'UBUNTU',
      name: 'Ubuntu Server 22.04 LTS 64bit',
      description: 'Ubuntu 22.04 LTS, a clean system image.',
      community: 'https://ubuntu.com',
    }),
    blueprint(BP.debian, {
      title: 'Debian',
      version: '12',
      osName: 'Debian 12.4 64bit',
      platform: 'DEBIAN',
      name: 'Debian 12.4 64bit',
      description: 'Debian 12 "bookworm", a clean system image.',
      community: 'https://www.debian.org',
    }),
    blueprint(BP.centos, {
      title: 'CentOS',
      version: '7.9',
      osName: 'CentOS 7.9 64bit',
      platform: 'CENTOS',
      name: 'CentOS 7.9 64bit',
      description: 'CentOS 7.9, a clean system image.',
      community: 'https://www.centos.org',
    }),
    blueprint(BP.wordpress, {
      title: 'WordPress',
      version: '6.4.2',
      osName: 'Ubuntu Server 22.04 LTS 64bit',
      platform: 'UBUNTU',
      type: 'APP_OS',
      name: 'WordPress-6.4.2-Ubuntu22.04',
      description: 'WordPress 6.4 with Nginx, PHP 8.1 and MariaDB on Ubuntu 22.04.',
      scenes: ['lhsc-wordpres'],
      community: 'https://wordpress.org',
      memory: 2,
    }),
    blueprint(BP.docker, {
      title: 'Docker CE',
      version: '26.1',
      osName: 'Ubuntu Server 22.04 LTS 64bit',
      platform: 'UBUNTU',
      type: 'DOCKER',
      name: 'Docker-CE-26.1-Ubuntu22.04',
      description: 'Docker CE 26.1 on Ubuntu 22.04.',
      dockerVersion: '26.1.3',
      community: 'https://www.docker.com',
    }),
    blueprint(BP.windows, {
      title: 'Windows Server',
      version: '2022 Datacenter',
      osName: 'Windows Server 2022 DataCenter 64bit Chinese',
      platform: 'WINDOWS',
      platformType: 'WINDOWS',
      name: 'Windows Server 2022 DataCenter 64bit Chinese',
      description: 'Windows Server 2022 Datacenter, Chinese edition.',
      disk: 40,
      memory: 2,
      automation: false,
    }),
    blueprint(BP.offline, {
      title: 'CentOS',
      version: '7.6',
      osName: 'CentOS 7.6 64bit',
      platform: 'CENTOS',
      name: 'CentOS 7.6 64bit',
      description: 'CentOS 7.6 (retired).',
      state: 'OFFLINE',
      created: '2019-03-01T08:00:00Z',
    }),
    // A custom image (made from the blog's instance): custom images live in one region.
    blueprint(BP.custom, {
      title: 'blog-wordpress image',
      version: '2026-10-01',
      osName: 'Ubuntu Server 22.04 LTS 64bit',
      platform: 'UBUNTU',
      type: 'PRIVATE',
      name: 'blog-wordpress-20261001',
      description: 'Custom image of blog-wordpress, taken before the 6.5 upgrade.',
      disk: 60,
      memory: 2,
      created: '2026-10-01T02:00:00Z',
      regions: ['ap-shanghai'],
    }),
  ];
}

const DEMO_KEY_PAIRS = [
  ['lhkp-a1b2c3d4', 'ops-laptop', '2025-06-01T09:00:00Z'],
  ['lhkp-k8sops01', 'k8s-ops', '2025-09-12T03:30:00Z'],
  ['lhkp-deploy99', 'ci-deploy', '2026-02-20T11:45:00Z'],
].map(([KeyId, KeyName, CreatedTime]) => ({
  KeyId,
  KeyName,
  PublicKey: `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${createHash('sha256').update(KeyId).digest('base64').slice(0, 43)} ${KeyName}`,
  CreatedTime,
}));

/** A full Lighthouse Instance from a few facts; `over` overrides any field. */
export function instance(id, o = {}, blueprints = demoBlueprints()) {
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
    InstanceViolationDetail: null,
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
    mk('lhins-ruy9d2tw', {
      InstanceName: 'web-prod-gz-01',
      BlueprintId: BP.centos,
      Zone: 'ap-guangzhou-3',
      PrivateAddresses: ['10.0.0.12'],
      PublicAddresses: ['43.138.52.117'],
      Tags: [
        { Key: 'env', Value: 'prod' },
        { Key: 'team', Value: 'web' },
      ],
      CreatedTime: '2025-11-02T03:14:09Z',
      ExpiredTime: '2027-11-02T03:14:09Z',
    }),
    mk('lhins-abcd1234', {
      InstanceName: 'api-staging',
      BlueprintId: BP.ubuntu,
      Zone: 'ap-guangzhou-6',
      PrivateAddresses: ['10.0.0.34'],
      PublicAddresses: ['119.29.140.66'],
      Tags: [{ Key: 'env', Value: 'staging' }],
      LatestOperation: 'ResetInstance',
      LatestOperationState: 'SUCCESS',
      LatestOperationRequestId: 'c6f2f8d2-7a0a-4b7e-9a51-3d1c2b7e0f11',
      LatestOperationStartedTime: '2026-10-30T09:12:44Z',
    }),
    mk('lhins-efgh5678', {
      InstanceName: 'blog-wordpress',
      BlueprintId: BP.wordpress,
      Zone: 'ap-shanghai-2',
      PrivateAddresses: ['10.1.0.8'],
      PublicAddresses: ['101.34.77.201'],
      CPU: 2,
      Memory: 2,
      Tags: [
        { Key: 'env', Value: 'prod' },
        { Key: 'app', Value: 'blog' },
      ],
    }),
    mk('lhins-q8d2k7mz', {
      InstanceName: 'ci-runner-sh',
      BlueprintId: BP.debian,
      Zone: 'ap-shanghai-5',
      InstanceState: 'STOPPED',
      PrivateAddresses: ['10.1.0.21'],
      PublicAddresses: ['82.157.33.9'],
      CPU: 4,
      Memory: 8,
      Tags: [{ Key: 'team', Value: 'ci' }],
      LatestOperation: 'StopInstances',
      LatestOperationState: 'SUCCESS',
      LatestOperationRequestId: '0b1d5c3e-2f9a-4c61-8e07-5a2b9d4f6e21',
      LatestOperationStartedTime: '2026-11-20T22:05:31Z',
    }),
    mk('lhins-p3n9x1ca', {
      InstanceName: 'new-node-bj',
      BlueprintId: BP.ubuntu,
      Zone: 'ap-beijing-7',
      InstanceState: 'PENDING',
      PrivateAddresses: ['10.2.0.5'],
      PublicAddresses: [],
      CreatedTime: '2026-11-26T17:58:40Z',
      ExpiredTime: '2027-11-26T17:58:40Z',
    }),
    mk('lhins-m5t7w2eb', {
      InstanceName: 'sg-reinstalling',
      BlueprintId: BP.debian,
      Zone: 'ap-singapore-1',
      PrivateAddresses: ['10.3.0.17'],
      PublicAddresses: ['43.134.88.12'],
      Tags: [{ Key: 'env', Value: 'dev' }],
      LatestOperation: 'ResetInstance',
      LatestOperationState: 'OPERATING',
      LatestOperationRequestId: '9e4c2a61-5b3d-4f8e-a172-6c0d8e9b3a45',
      LatestOperationStartedTime: '2026-11-26T17:59:02Z',
    }),
    mk('lhins-w1n2k3sv', {
      InstanceName: 'win-build-box',
      BlueprintId: BP.windows,
      Zone: 'ap-singapore-3',
      PrivateAddresses: ['10.3.0.40'],
      PublicAddresses: ['129.226.91.54'],
      CPU: 4,
      Memory: 8,
      Tags: [{ Key: 'team', Value: 'desktop' }],
    }),
    mk('lhins-dk8r4c2n', {
      InstanceName: 'docker-apps-hk',
      BlueprintId: BP.docker,
      Zone: 'ap-hongkong-2',
      PrivateAddresses: ['10.4.0.9'],
      PublicAddresses: ['124.156.160.27'],
      Tags: [
        { Key: 'env', Value: 'prod' },
        { Key: 'app', Value: 'containers' },
      ],
    }),
    mk('lhins-s7h2u9tf', {
      InstanceName: 'legacy-db',
      BlueprintId: BP.centos,
      Zone: 'ap-chengdu-1',
      InstanceState: 'STOPPED',
      PrivateAddresses: ['10.5.0.3'],
      PublicAddresses: ['175.27.190.44'],
      CPU: 2,
      Memory: 8,
      RenewFlag: 'NOTIFY_AND_AUTO_RENEW',
    }),
    mk('lhins-r3b00tq1', {
      InstanceName: 'edge-tokyo',
      BlueprintId: BP.ubuntu,
      Zone: 'ap-tokyo-2',
      InstanceState: 'REBOOTING',
      PrivateAddresses: ['10.6.0.11'],
      PublicAddresses: ['150.109.99.73'],
    }),
    mk('lhins-f4i1ed0x', {
      InstanceName: 'reset-failed-nj',
      BlueprintId: BP.debian,
      Zone: 'ap-nanjing-1',
      PrivateAddresses: ['10.7.0.6'],
      PublicAddresses: ['110.42.220.18'],
      LatestOperation: 'ResetInstance',
      LatestOperationState: 'FAILED',
      LatestOperationRequestId: '3f8b1e27-c4d9-4a0b-b6e5-7d2a9c1f0e83',
      LatestOperationStartedTime: '2026-11-25T14:41:17Z',
    }),
    mk('lhins-x9v0l2ks', {
      InstanceName: 'expired-sandbox',
      BlueprintId: BP.ubuntu,
      Zone: 'ap-guangzhou-4',
      InstanceState: 'SHUTDOWN',
      PrivateAddresses: ['10.0.0.99'],
      PublicAddresses: [],
      IsolatedTime: '2026-11-01T00:00:03Z',
      InstanceRestrictState: 'EXPIRED',
      CreatedTime: '2025-10-01T00:00:03Z',
      ExpiredTime: '2026-11-01T00:00:03Z',
    }),
    mk('lhins-sv5u4ab1', {
      InstanceName: 'frankfurt-proxy',
      BlueprintId: BP.debian,
      Zone: 'eu-frankfurt-1',
      PrivateAddresses: ['10.8.0.2'],
      PublicAddresses: ['43.157.11.230'],
      CPU: 1,
      Memory: 1,
      LoginSettings: { KeyIds: ['lhkp-a1b2c3d4'] },
      Tags: [{ Key: 'env', Value: 'prod' }],
    }),
  ];
  return { instances, blueprints, keyPairs: DEMO_KEY_PAIRS.map((k) => ({ ...k })) };
}

// One region (a fleet is usually managed in one), spread over its zones; `zones` picks others.
const FLEET_ZONES = ['ap-guangzhou-3', 'ap-guangzhou-4', 'ap-guangzhou-6', 'ap-guangzhou-7'];

/**
 * `n` RUNNING Linux (Ubuntu) instances with valid, distinct, deterministic ids (lhins- + 8 [a-z0-9]),
 * named `${prefix}-0001`..., in ap-guangzhou's zones (or `zones`); different prefixes give different ids. Ids never
 * collide with demoSeed()'s.
 */
export function makeFleet(n, { prefix = 'fleet', blueprintId = BP.ubuntu, zones = FLEET_ZONES } = {}) {
  if (!Number.isInteger(n) || n < 0) throw new TypeError('makeFleet: n must be a non-negative integer');
  const used = new Set(demoSeed().instances.map((i) => i.InstanceId));
  const blueprints = demoBlueprints();
  const out = [];
  const width = Math.max(4, String(n).length);
  for (let i = 0; i < n; i++) {
    let id;
    for (let salt = 0; ; salt++) {
      const h = BigInt(`0x${createHash('sha256').update(`${prefix}:${i}:${salt}`).digest('hex').slice(0, 16)}`);
      id = `lhins-${(h % 36n ** 8n).toString(36).padStart(8, '0')}`;
      if (!used.has(id)) break;
    }
    used.add(id);
    out.push(
      instance(
        id,
        {
          InstanceName: `${prefix}-${String(i + 1).padStart(width, '0')}`,
          BlueprintId: blueprintId,
          Zone: zones[i % zones.length],
          PrivateAddresses: [`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`],
          PublicAddresses: [`198.${18 + ((i >> 16) & 1)}.${(i >> 8) & 255}.${i & 255}`],
          Tags: [{ Key: 'fleet', Value: prefix }],
        },
        blueprints,
      ),
    );
  }
  return out;
}
