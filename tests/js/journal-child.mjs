// A fleet run with a file journal, for journal.test.mjs to kill (SIGKILL) mid-run: API_URL, JOURNAL, IDS.
import { fileJournal, LighthouseClient } from '../../pkg/node/index.mjs';
import { DEMO_CREDENTIALS } from '../../local-api/server.mjs';

const client = new LighthouseClient({ credentials: DEMO_CREDENTIALS, endpoint: process.env.API_URL });
const inputs = process.env.IDS.split(',').map((InstanceId) => ({ InstanceId }));
const results = await client.resetInstances(inputs, {
  journal: fileJournal(process.env.JOURNAL),
  concurrency: 3,
  minDelaySeconds: 0.05,
  maxDelaySeconds: 0.2,
});
console.log(JSON.stringify(results.map((r) => r.ok)));
