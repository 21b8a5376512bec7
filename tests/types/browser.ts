// A browser or bundler project (moduleResolution "bundler", lib ES2022 + DOM, no @types/node): what a web
// console sees through the `default` condition (web/index.d.ts, sign/web/index.d.ts), and with
// customConditions ["workerd"] what a Cloudflare worker sees. Every export is used; the @ts-expect-error
// lines prove wrong uses are refused.
import {
  signRequest, resetInstance, waitUntilInstanceReset, resetInstanceAndWait, resetInstances, setRateLimit,
  createSigningProxy, LighthouseClient, TencentCloudError,
  type SignInput, type SignedRequest, type SignedHeaders, type ClientConfig, type CallOptions, type Credentials,
  type CredentialProvider, type Instance, type InstanceState, type LatestOperationState, type PlatformType,
  type Blueprint, type BlueprintType, type Filter, type ResetInstanceRequest, type ResetInstanceResponse,
  type DescribeInstancesRequest, type DescribeInstancesResponse, type DescribeBlueprintsRequest,
  type DescribeBlueprintsResponse, type DescribeResetInstanceBlueprintsResponse, type DockerContainerConfiguration,
  type LoginConfiguration, type WaitInput, type WaiterOptions, type ProgressEvent, type ResetInstancesOptions,
  type ResetInstancesResult, type SigningProxyConfig, type SigningProxyHandler, type TencentCloudErrorKind,
  type TencentCloudErrorCode, type TencentCloudErrorJSON,
} from 'tc3-lighthouse';
import * as tc3 from 'tc3-lighthouse';
import { signRequest as signAlone, TencentCloudError as SignError, type SignInput as SignAloneInput } from 'tc3-lighthouse/sign';
import * as signOnly from 'tc3-lighthouse/sign';
// @ts-expect-error toNodeListener is Node's: the web entry does not have it
import { toNodeListener } from 'tc3-lighthouse';
// @ts-expect-error the signer entry has no client
import { LighthouseClient as NoClient } from 'tc3-lighthouse/sign';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;
// The web entry's values are exactly these (types aside): the Node entry's without toNodeListener.
const webExports: Equal<keyof typeof tc3,
  | 'signRequest' | 'TencentCloudError' | 'LighthouseClient' | 'resetInstance' | 'waitUntilInstanceReset'
  | 'resetInstanceAndWait' | 'resetInstances' | 'setRateLimit' | 'createSigningProxy' | 'fromHttp'> = true;
// Pages and workers have fromHttp, not the Node chain.
const fromBackend: CredentialProvider = tc3.fromHttp('/api/credentials', { headers: { 'x-csrf': '1' } });
// @ts-expect-error defaultCredentials is Node's: the web entry does not have it
tc3.defaultCredentials;
void fromBackend;
const signExports: Equal<keyof typeof signOnly, 'signRequest' | 'TencentCloudError'> = true;

// --- Signing, both entries, named and namespace imports
const input: SignInput = {
  secretId: 'AKID', secretKey: 'k', token: 't', service: 'lighthouse', host: 'lighthouse.tencentcloudapi.com',
  action: 'ResetInstance', version: '2020-03-24', region: 'ap-guangzhou', language: 'zh-CN', timestamp: 1,
  method: 'POST', contentType: 'application/json', payload: '{"InstanceId":"lhins-ruy9d2tw"}',
};
const get: SignAloneInput = { secretId: 'AKID', secretKey: 'k', action: 'DescribeInstances', method: 'GET', query: 'Limit=1' };
const signed: SignedRequest = signRequest(input);
const headers: SignedHeaders = signAlone(get).headers;
const stages: string[] = [signed.authorization, signed.signature, signed.canonicalRequest, signed.stringToSign, signed.credentialScope];
const ts: number = tc3.signRequest(input).timestamp + signOnly.signRequest(get).timestamp;
void fetch('https://lighthouse.tencentcloudapi.com', { method: 'POST', headers: signed.headers, body: input.payload ?? '{}' });
new Headers(headers);
// @ts-expect-error method is POST or GET
signRequest({ ...input, method: 'PUT' });
// @ts-expect-error timestamp is a number of seconds
signRequest({ ...input, timestamp: '1' });

// --- Config: every field; misspelt keys are refused
const provider: CredentialProvider = async () => (await fetch('/sts')).json() as Promise<Credentials>;
const config: ClientConfig = {
  credentials: provider, region: 'ap-guangzhou', endpoint: 'https://lighthouse.tencentcloudapi.com', service: 'lighthouse',
  language: 'en-US', timeoutMs: 5000, maxAttempts: 3, fetch: (req, init) => fetch(req, init), unsigned: false, rateLimit: true,
};
const staticConfig: ClientConfig = { credentials: { secretId: 'AKID', secretKey: 'k' }, region: 'ap-guangzhou' };
const syncProvider: ClientConfig = { credentials: () => ({ secretId: 'AKID', secretKey: 'k', expiresAt: 1 }) };
const misspelt: ClientConfig = {
  // @ts-expect-error "regoin" is no config key
  regoin: 'x',
};
// @ts-expect-error language is zh-CN or en-US
const badLanguage: ClientConfig = { language: 'fr-FR' };

// --- The client
const client = new LighthouseClient({ endpoint: '/api', unsigned: true });
const options: CallOptions = { signal: new AbortController().signal, timeoutMs: 2000 };
const container: DockerContainerConfiguration = {
  ContainerImage: 'ccr.ccs.tencentyun.com/qcloud/nginx', ContainerName: 'nginx', Envs: [{ Key: 'A', Value: 'b' }],
  PublishPorts: [{ HostPort: 80, ContainerPort: 80, Ip: '0.0.0.0', Protocol: 'tcp' }],
  Volumes: [{ ContainerPath: '/data', HostPath: '/srv/data' }], Command: 'nginx -g "daemon off;"', RestartPolicy: 'always',
};
const login: LoginConfiguration = { AutoGeneratePassword: 'NO', KeyIds: ['lhkp-a1b2c3d4'] };
const reset: ResetInstanceRequest = { InstanceId: 'lhins-ruy9d2tw', BlueprintId: 'lhbp-5e8807lo', Containers: [container], LoginConfiguration: login };
// @ts-expect-error AutoGeneratePassword is YES or NO
const badLogin: LoginConfiguration = { AutoGeneratePassword: true };
const ids = ['lhins-ruy9d2tw', 'lhins-abcd1234'] as const;
const byState: Filter<'instance-state'> = { Name: 'instance-state', Values: ['RUNNING', 'STOPPED'] };
const describe: DescribeInstancesRequest = {
  InstanceIds: ids, Offset: 0, Limit: 100, OrderField: 'EXPIRED_TIME', Order: 'ASC',
};
const filtered: DescribeInstancesRequest = { Filters: [byState, { Name: 'tag:env', Values: ['prod'] }, { Name: 'zone', Values: ['ap-guangzhou-3'] }] };
// @ts-expect-error OrderField is EXPIRED_TIME or CREATED_TIME
const badOrder: DescribeInstancesRequest = { OrderField: 'NAME' };
const blueprints: DescribeBlueprintsRequest = { Filters: [{ Name: 'blueprint-type', Values: ['DOCKER'] }], Limit: 20 };

async function useClient(): Promise<void> {
  const r: ResetInstanceResponse = await client.resetInstance(reset, options);
  const list: DescribeInstancesResponse = await client.describeInstances(describe, options);
  await client.describeInstances(filtered);
  await client.describeInstances();
  const bps: DescribeBlueprintsResponse = await client.describeBlueprints(blueprints);
  const firstBlueprint: Blueprint | undefined = bps.BlueprintSet[0];
  const bpType: BlueprintType | (string & {}) | undefined = firstBlueprint?.BlueprintType;
  const raw: Record<string, unknown> = await client.request('DescribeBundles', { Limit: 1 }, options);
  const typed = await client.request<DescribeResetInstanceBlueprintsResponse>('DescribeResetInstanceBlueprints', { InstanceId: ids[0] });
  const resettable: boolean | undefined = typed.ResetInstanceBlueprintSet[0]?.IsResettable;
  await client.request('DescribeInstances', describe);   // a typed request object is a fine `params`
  const images: DescribeResetInstanceBlueprintsResponse = await client.describeResetInstanceBlueprints({ InstanceId: ids[0], Limit: 50 }, options);
  const why: string | undefined = images.ResetInstanceBlueprintSet.find((b) => !b.IsResettable)?.NonResettableMessage;
  // @ts-expect-error InstanceId is required
  void client.describeResetInstanceBlueprints({});
  for await (const page of client.paginateDescribeInstances(filtered, { pageSize: 50, signal: AbortSignal.timeout(1000) })) {
    const pageItems: Instance[] = page.InstanceSet;
    void pageItems;
  }
  const pager: AsyncIterableIterator<DescribeBlueprintsResponse> = client.paginateDescribeBlueprints(blueprints);
  // @ts-expect-error pageSize is a number
  client.paginateDescribeInstances({}, { pageSize: '50' });
  void [why, pager];

  const wait: WaitInput = { InstanceId: ids[0], RequestId: r.RequestId };
  const waiter: WaiterOptions = {
    maxWaitSeconds: 600, minDelaySeconds: 2, maxDelaySeconds: 20, signal: AbortSignal.timeout(600_000), timeoutMs: 5000,
    onProgress: (e: ProgressEvent) => {
      const state: InstanceState | (string & {}) = e.InstanceState;
      const op: LatestOperationState | (string & {}) | null = e.LatestOperationState;
      const n: number = e.attempt + e.elapsedSeconds;
      void [state, op, n, e.InstanceId, e.instance.InstanceName];
    },
  };
  const done: Instance = await client.waitUntilInstanceReset(wait, waiter);
  const again: Instance = await client.resetInstanceAndWait(reset, { ...waiter, waitForIdle: true });
  const fleetOptions: ResetInstancesOptions = { ...waiter, wait: true, concurrency: 10 };
  const fleet: ResetInstancesResult[] = await client.resetInstances(ids.map((InstanceId) => ({ InstanceId })), fleetOptions);
  for (const item of fleet) {
    if (item.ok) {
      const rid: string = item.RequestId;
      const after: Instance | undefined = item.instance;
      void [rid, after];
    } else {
      const code: TencentCloudErrorCode = item.error.code;
      const kind: TencentCloudErrorKind = item.error.kind;
      const sent: string | undefined = item.RequestId;
      void [code, kind, sent];
    }
  }
  // @ts-expect-error `wait` is a boolean
  await client.resetInstances([], { wait: 'yes' });
  // @ts-expect-error waitForIdle is resetInstanceAndWait's, not waitUntilInstanceReset's
  await client.waitUntilInstanceReset(wait, { waitForIdle: true });
  void [list, bpType, raw, resettable, done, again];
}

// --- Module-level functions: the config carries the call, waiter and fleet options
async function useFunctions(): Promise<void> {
  const { RequestId } = await resetInstance({ InstanceId: ids[0] }, { ...staticConfig, timeoutMs: 10_000, signal: AbortSignal.timeout(10_000) });
  const a: Instance = await waitUntilInstanceReset({ InstanceId: ids[0], RequestId }, { ...config, maxWaitSeconds: 60 });
  const b: Instance = await resetInstanceAndWait({ InstanceId: ids[0] }, { ...config, waitForIdle: true, onProgress: () => {} });
  const c: ResetInstancesResult[] = await resetInstances([{ InstanceId: ids[1] }], { ...syncProvider, wait: false, concurrency: 2 });
  // @ts-expect-error the one-off functions need a config
  await resetInstance({ InstanceId: ids[0] });
  void [a, b, c];
}

// --- The instance as a user reads it
function show(instance: Instance): string {
  // @ts-expect-error a misspelt field does not type-check (no index signature)
  instance.InstanceNmae;
  // @ts-expect-error InstanceState is a string, not a number
  const wrongState: Instance['InstanceState'] = 1;
  const s: InstanceState | (string & {}) = instance.InstanceState;
  if (s === 'RUNNING') {
    // Narrowed: the other known states are gone (`string & {}` stays: that is what keeps unknown states legal).
    const running: 'RUNNING' | (string & {}) = s;
    const noStopped: Equal<Extract<typeof s, 'STOPPED'>, never> = true;
    const keepsRunning: Equal<Extract<typeof s, 'RUNNING'>, 'RUNNING'> = true;
    void [running, noStopped, keepsRunning];
  } else {
    const notRunning: Equal<Extract<typeof s, 'RUNNING'>, never> = true;
    void notRunning;
  }
  switch (instance.LatestOperationState) {
    case 'SUCCESS': case 'FAILED': case 'OPERATING': case null: break;
    default: {
      const unknownState: string = instance.LatestOperationState;   // a future state: still a string
      void unknownState;
    }
  }
  const future: Instance['InstanceState'] = 'HIBERNATING';   // a state the service adds later still type-checks
  const platform: PlatformType | (string & {}) = instance.PlatformType;
  const op: string | null = instance.LatestOperation;
  const when: string | null = instance.LatestOperationStartedTime;
  const disk: number = instance.SystemDisk.DiskSize;
  const tags: string = instance.Tags.map((t) => `${t.Key}=${t.Value}`).join(',');
  const resetOk = instance.LatestOperation === 'ResetInstance' && instance.LatestOperationState === 'SUCCESS';
  void [wrongState, future, platform, when, disk, resetOk];
  return `${instance.InstanceId} ${instance.InstanceName} ${s} ${op ?? '-'} ${tags} ${instance.PublicAddresses.join(' ')}`;
}

// --- Errors
function explain(e: unknown): string {
  if (e instanceof TencentCloudError || TencentCloudError.isInstance(e)) {
    const kind: TencentCloudErrorKind = e.kind;
    const json: TencentCloudErrorJSON = e.toJSON();
    const waitedFor: string | undefined = e.instance?.InstanceId;
    const extras: Array<number | undefined> = [e.httpStatus, e.elapsedSeconds, e.attempts];
    if (e.code === 'WaiterError.Timeout' || e.code === 'ClientError.Aborted') return `${e.name}: ${e.message}`;
    void [json, waitedFor, extras, e.cause, e.action];
    return `${e.code} (${kind}, retryable ${e.retryable}) RequestId ${e.requestId ?? '-'}`;
  }
  return String(e);
}
const made = new TencentCloudError('ClientError.InvalidArgument', '`x` must be a string.', { kind: 'invalidInput', retryable: false });
const sameClass: typeof TencentCloudError = SignError;
// @ts-expect-error the kind is one of the documented kinds
new TencentCloudError('X', 'y', { kind: 'fatal' });

// --- Rate limit and the signing proxy (edge runtimes serve the handler as is)
setRateLimit(10);
setRateLimit(false, 'DescribeInstances');
// @ts-expect-error true is not a rate
setRateLimit(true);
const proxyConfig: SigningProxyConfig = { ...staticConfig, allowActions: ['ResetInstance', 'DescribeInstances'], maxBodyBytes: 65536 };
const handler: SigningProxyHandler = createSigningProxy(proxyConfig);
const worker = { fetch: (request: Request): Promise<Response> => handler(request) };
createSigningProxy();

client.free();
void [webExports, signExports, headers, stages, ts, syncProvider, misspelt, badLanguage, badLogin, badOrder,
  useClient, useFunctions, show, explain, made, sameClass, worker, toNodeListener, NoClient, String(client), client.toJSON().endpoint];
