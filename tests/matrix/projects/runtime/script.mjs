// Deno and Bun: sign, then call the local API (API_URL, SECRET_ID, SECRET_KEY from the environment).
import { LighthouseClient, TencentCloudError, signRequest } from 'tc3-lighthouse';
import { signRequest as signAlone } from 'tc3-lighthouse/sign';

const env = (name) => globalThis.Deno?.env.get(name) ?? globalThis.process?.env[name];
const input = JSON.parse(env('SIGN_INPUT'));
const client = new LighthouseClient({
  endpoint: env('API_URL'),
  credentials: { secretId: env('SECRET_ID'), secretKey: env('SECRET_KEY') },
  region: 'ap-guangzhou',
});
const { TotalCount } = await client.describeInstances({ Limit: 100 });
let refused = false;
try {
  await client.resetInstance({ InstanceId: 'not-an-id' });
} catch (e) {
  refused = e instanceof TencentCloudError && e.code === 'InvalidParameterValue.InstanceIdMalformed';
}
console.log(JSON.stringify({ signature: signRequest(input).signature, alone: signAlone(input).signature, TotalCount, refused }));
