// A client call against the local API (its URL and key in the page's query string).
import { LighthouseClient } from 'tc3-lighthouse';
import { fail, params, report } from './report.js';

const client = new LighthouseClient({
  endpoint: params.get('api'),
  credentials: { secretId: params.get('id'), secretKey: params.get('key') },
  region: 'ap-guangzhou',
});
client.describeInstances({ Limit: 100 }).then(({ TotalCount, InstanceSet }) => report({ TotalCount, first: InstanceSet[0]?.InstanceId }), fail);
