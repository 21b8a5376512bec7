// A Node project (NodeNext, ES modules, @types/node): the package's declarations as a strict TypeScript
// user sees them through the `node` + `import` conditions (node/index.d.mts, sign/node/index.d.mts).
// Compiled by tests/js/types.test.mjs against a package made of the generated files, and by `npm test`
// (`tsc -p tests/types`) against the built pkg/. The @ts-expect-error lines prove wrong uses are refused.
import http from 'node:http';
import {
  signRequest, resetInstance, waitUntilInstanceReset, resetInstanceAndWait, resetInstances, setRateLimit,
  createSigningProxy, toNodeListener, LighthouseClient, TencentCloudError, fileJournal,
  type SignInput, type SignedRequest, type ClientConfig, type Credentials, type Instance, type InstanceState,
  type ResetInstancesResult, type TencentCloudErrorKind, type ProgressEvent, type SigningProxyHandler,
} from 'tc3-lighthouse';
import * as tc3 from 'tc3-lighthouse';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;
// The Node entry's values are exactly these (types aside).
const nodeExports: Equal<keyof typeof tc3,
  | 'signRequest' | 'TencentCloudError' | 'LighthouseClient' | 'resetInstance' | 'waitUntilInstanceReset'
  | 'resetInstanceAndWait' | 'resetInstances' | 'setRateLimit' | 'createSigningProxy' | 'toNodeListener' | 'fileJournal'
  | 'fromEnv' | 'fromProfile' | 'fromCvmRole' | 'fromAssumeRole' | 'fromWebIdentity' | 'fromHttp' | 'defaultCredentials'> = true;

// Credential providers: each is a CredentialProvider a client takes; the chain says which step it used.
const chain = tc3.defaultCredentials({ profile: 'ops', metadataEndpoint: 'http://127.0.0.1:1', stsEndpoint: 'http://127.0.0.1:2' });
const chainSource: string | undefined = chain.source;
const providers: Array<tc3.CredentialProvider> = [
  tc3.fromEnv(), tc3.fromProfile({ profile: 'ops', file: '/tmp/credentials' }), tc3.fromCvmRole({ roleName: 'r', timeoutMs: 500 }),
  tc3.fromAssumeRole({ roleArn: 'qcs::cam::uin/1:roleName/ops', durationSeconds: 900, credentials: chain }),
  tc3.fromWebIdentity({ tokenFile: '/var/run/token' }), tc3.fromHttp(new URL('http://127.0.0.1/creds'), { headers: { a: 'b' }, timeoutMs: 1 }), chain,
];
const fromProvider: Promise<Credentials> = chain();
new LighthouseClient({ credentials: tc3.fromCvmRole() });
// @ts-expect-error roleArn is required
tc3.fromAssumeRole({});
// @ts-expect-error fromCvmRole's timeoutMs is a number
tc3.fromCvmRole({ timeoutMs: '1' });
void [chainSource, fromProvider];

const input: SignInput = { secretId: 'AKID', secretKey: 'k', action: 'ResetInstance', payload: '{}', timestamp: 1 };
const signed: SignedRequest = signRequest(input);
const auth: string = signed.headers.Authorization;
const region: string | undefined = signed.headers['X-TC-Region'];
const init: RequestInit = { method: 'POST', headers: signed.headers, body: input.payload ?? '{}' };
// @ts-expect-error action is required
signRequest({ secretId: 'AKID', secretKey: 'k' });

const credentials: Credentials = { secretId: 'AKID', secretKey: 'k', token: 't', expiresAt: 1 };
const config: ClientConfig = {
  credentials: async () => credentials, region: 'ap-guangzhou', endpoint: 'http://127.0.0.1:8080',
  service: 'lighthouse', language: 'en-US', timeoutMs: 1000, maxAttempts: 3, fetch, unsigned: false, rateLimit: true,
};
const client = new LighthouseClient(config);
const fromEnv = new LighthouseClient();
const proxied = new LighthouseClient({ endpoint: '/api', unsigned: true });

async function main(): Promise<void> {
  const { RequestId }: { RequestId: string } = await client.resetInstance({ InstanceId: 'lhins-ruy9d2tw', BlueprintId: 'lhbp-5e8807lo' });
  const r2 = await resetInstance({ InstanceId: 'lhins-ruy9d2tw' }, { credentials, signal: AbortSignal.timeout(1000) });
  const list = await client.describeInstances();
  const first: Instance | undefined = list.InstanceSet[0];
  const opState: string | null | undefined = first?.LatestOperationState;
  const bps = await fromEnv.describeBlueprints({ Filters: [{ Name: 'platform-type', Values: ['LINUX_UNIX'] }] });
  const any: Record<string, unknown> = await proxied.request('DescribeBundles', { Limit: 1 }, { timeoutMs: 500 });
  const done: Instance = await client.waitUntilInstanceReset({ InstanceId: 'lhins-ruy9d2tw', RequestId }, {
    minDelaySeconds: 1, maxDelaySeconds: 5, maxWaitSeconds: 60,
    onProgress: (e: ProgressEvent) => { const n: number = e.attempt; const s: string | null = e.LatestOperationState; void n; void s; },
  });
  const same: Instance = await waitUntilInstanceReset({ InstanceId: 'lhins-ruy9d2tw' }, { ...config, maxWaitSeconds: 5 });
  const waited: Instance = await client.resetInstanceAndWait({ InstanceId: 'lhins-ruy9d2tw' }, { waitForIdle: true });
  const waited2: Instance = await resetInstanceAndWait({ InstanceId: 'lhins-ruy9d2tw' }, { ...config, waitForIdle: true, maxWaitSeconds: 30 });
  const fleet: ResetInstancesResult[] = await client.resetInstances([{ InstanceId: 'lhins-ruy9d2tw' }], { wait: true, concurrency: 5 });
  const fleet2: ResetInstancesResult[] = await resetInstances([{ InstanceId: 'lhins-ruy9d2tw' }], { region: 'ap-guangzhou', wait: false });
  for (const item of [...fleet, ...fleet2]) {
    if (!item.ok) {
      const kind: TencentCloudErrorKind = item.error.kind;
      void kind;
    } else {
      const rid: string = item.RequestId;
      void rid;
    }
  }
  // @ts-expect-error InstanceId is required
  await client.resetInstance({ BlueprintId: 'lhbp-5e8807lo' });
  void [r2, opState, bps, any, done, same, waited, waited2];
}

try {
  signRequest(input);
} catch (e) {
  if (TencentCloudError.isInstance(e)) {
    const code: string = e.code;
    const rid: string | undefined = e.requestId;
    const retry: boolean = e.retryable;
    const seen: InstanceState | (string & {}) | undefined = e.instance?.InstanceState;
    const json: string = JSON.stringify(e.toJSON());
    void [code, rid, retry, seen, json];
  }
}

setRateLimit(5);
setRateLimit(false, 'ResetInstance');
const handler: SigningProxyHandler = createSigningProxy({ credentials, allowActions: ['DescribeInstances'], maxBodyBytes: 4096 });
const server: http.Server = http.createServer(toNodeListener(handler, { maxBodyBytes: 8192 }));
http.createServer(toNodeListener(async () => new Response('ok')));
// @ts-expect-error the listener takes Node's request, not a fetch Request
toNodeListener(handler)(new Request('http://x'), {} as http.ServerResponse);
const text: string = String(client) + JSON.stringify(client.toJSON());
client.free();
void [nodeExports, auth, region, init, main, server, text];

// The signer entry: the same function and error class, and nothing of the client.
import * as signOnly from 'tc3-lighthouse/sign';
const signExports: Equal<keyof typeof signOnly, 'signRequest' | 'TencentCloudError'> = true;
const signedAlone: SignedRequest = signOnly.signRequest(input);
const sameClass: typeof TencentCloudError = signOnly.TencentCloudError;
const backToSign: typeof signOnly.TencentCloudError = TencentCloudError;
const aloneInput: signOnly.SignInput = input;
// @ts-expect-error the signer entry has no client
signOnly.LighthouseClient;
void [signExports, signedAlone, sameClass, backToSign, aloneInput];

// A logger (console works) and a fleet's journal.
const logged = new LighthouseClient({ logger: console, region: 'ap-guangzhou' });
const journal = fileJournal('reset.journal');
const journalPath: string = journal.path;
void logged.resetInstances([{ InstanceId: 'lhins-abcd1234' }], { journal, concurrency: 2 });
// @ts-expect-error a journal has load() and append()
void logged.resetInstances([], { journal: { load: async () => [] } });
// @ts-expect-error a logger is an object
new LighthouseClient({ logger: 'console' });
