// The same package from CommonJS (NodeNext, a .cts file): `require` resolves the `node` + `require`
// conditions, node/index.d.cts and sign/node/index.d.cts.
import http = require('node:http');
import tc3 = require('tc3-lighthouse');
import signOnly = require('tc3-lighthouse/sign');
import { LighthouseClient, TencentCloudError, type Instance, type ClientConfig } from 'tc3-lighthouse';

const config: ClientConfig = { region: 'ap-guangzhou', timeoutMs: 1000 };
const client: LighthouseClient = new tc3.LighthouseClient(config);
const signed: tc3.SignedRequest = signOnly.signRequest({ secretId: 'AKID', secretKey: 'k', action: 'DescribeInstances' });
const sameClass: typeof TencentCloudError = signOnly.TencentCloudError;
http.createServer(tc3.toNodeListener(tc3.createSigningProxy({ region: 'ap-guangzhou' })));

async function firstName(): Promise<string | undefined> {
  const { InstanceSet } = await client.describeInstances({ Limit: 1, OrderField: 'CREATED_TIME', Order: 'DESC' });
  const first: Instance | undefined = InstanceSet[0];
  return first?.InstanceName;
}
// @ts-expect-error the signer entry has no client
signOnly.resetInstance;
void [signed, sameClass, firstName];
