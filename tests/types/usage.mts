// Compiled by `tsc --noEmit` in npm test: the package's declarations, as a strict TypeScript user sees
// them. Every export is used the way the contract (docs) documents it; the @ts-expect-error lines prove
// that wrong uses are refused.
import http from 'node:http';
import {
  signRequest, resetInstance, waitUntilInstanceReset, resetInstanceAndWait, resetInstances, setRateLimit,
  createSigningProxy, toNodeListener,
  LighthouseClient, TencentCloudError,
  type SignInput, type SignedRequest, type ClientConfig, type Credentials, type Instance,
  type ResetInstancesResult, type TencentCloudErrorKind,
} from 'tc3-lighthouse';

const input: SignInput = { secretId: 'AKID', secretKey: 'k', action: 'ResetInstance', payload: '{}', timestamp: 1 };
const signed: SignedRequest = signRequest(input);
const auth: string = signed.headers.Authorization;
// @ts-expect-error action is required
signRequest({ secretId: 'AKID', secretKey: 'k' });

const credentials: Credentials = { secretId: 'AKID', secretKey: 'k', token: 't', expiresAt: 1 };
const config: ClientConfig = {
  credentials: async () => credentials, region: 'ap-guangzhou', endpoint: 'http://127.0.0.1:8080',
  language: 'en-US', timeoutMs: 1000, maxAttempts: 3, fetch, rateLimit: true,
};
const client = new LighthouseClient(config);
const fromEnv = new LighthouseClient();
const proxied = new LighthouseClient({ endpoint: '/api', unsigned: true });

async function main(): Promise<void> {
  const { RequestId }: { RequestId: string } = await client.resetInstance({ InstanceId: 'lhins-ruy9d2tw', BlueprintId: 'lhbp-5e8807lo' });
  const r2 = await resetInstance({ InstanceId: 'lhins-ruy9d2tw' }, { credentials, signal: AbortSignal.timeout(1000) });
  const list = await client.describeInstances();
  const first: Instance | undefined = list.InstanceSet[0];
  const state: string | null | undefined = first?.LatestOperationState;
  const bps = await fromEnv.describeBlueprints({ Filters: [{ Name: 'platform-type', Values: ['LINUX_UNIX'] }] });
  const any: Record<string, unknown> = await proxied.request('DescribeBundles', { Limit: 1 }, { timeoutMs: 500 });
  const done: Instance = await client.waitUntilInstanceReset({ InstanceId: 'lhins-ruy9d2tw', RequestId }, {
    minDelaySeconds: 1, maxDelaySeconds: 5, maxWaitSeconds: 60,
    onProgress: (e) => { const n: number = e.attempt; const s: string | null = e.LatestOperationState; void n; void s; },
  });
  const same: Instance = await waitUntilInstanceReset({ InstanceId: 'lhins-ruy9d2tw' }, { ...config, maxWaitSeconds: 5 });
  const waited: Instance = await client.resetInstanceAndWait({ InstanceId: 'lhins-ruy9d2tw' }, { waitForIdle: true });
  const fleet: ResetInstancesResult[] = await client.resetInstances([{ InstanceId: 'lhins-ruy9d2tw' }], { wait: true, concurrency: 5 });
  const once: Instance = await resetInstanceAndWait({ InstanceId: 'lhins-ruy9d2tw' }, { ...config, waitForIdle: true, maxWaitSeconds: 60 });
  const many: ResetInstancesResult[] = await resetInstances([{ InstanceId: 'lhins-ruy9d2tw' }], { ...config, wait: false, concurrency: 2 });
  // @ts-expect-error the module functions take a config
  await resetInstances([{ InstanceId: 'lhins-ruy9d2tw' }], 5);
  void [once, many];
  for (const item of fleet) {
    if (!item.ok && item.error) {
      const kind: TencentCloudErrorKind = item.error.kind;
      void kind;
    }
  }
  // @ts-expect-error InstanceId is required
  await client.resetInstance({ BlueprintId: 'lhbp-5e8807lo' });
  void [r2, state, bps, any, done, same, waited];
}

try {
  signRequest(input);
} catch (e) {
  if (TencentCloudError.isInstance(e)) {
    const code: string = e.code;
    const rid: string | undefined = e.requestId;
    const retry: boolean = e.retryable;
    void [code, rid, retry];
  }
}

setRateLimit(5);
setRateLimit(false, 'ResetInstance');
const handler: (request: Request) => Promise<Response> = createSigningProxy({ credentials, allowActions: ['DescribeInstances'], maxBodyBytes: 4096 });
http.createServer(toNodeListener(handler, { maxBodyBytes: 8192 }));
const text: string = String(client) + JSON.stringify(client.toJSON());
void [auth, main, text];

// The signer entry: the same function and error class, and nothing of the client.
import * as signOnly from 'tc3-lighthouse/sign';
const signedAlone: SignedRequest = signOnly.signRequest(input);
const sameClass: typeof TencentCloudError = signOnly.TencentCloudError;
const aloneInput: signOnly.SignInput = input;
// @ts-expect-error the signer entry has no client
signOnly.LighthouseClient;
void signedAlone; void sameClass; void aloneInput;
