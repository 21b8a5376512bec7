// The same server bundled with esbuild as CommonJS.
const http = require('node:http');
const { LighthouseClient, createSigningProxy, signRequest, toNodeListener } = require('tc3-lighthouse');
const { signRequest: signAlone } = require('tc3-lighthouse/sign');

const { API_URL, SECRET_ID, SECRET_KEY, SIGN_INPUT } = process.env;
const proxy = createSigningProxy({ endpoint: API_URL, credentials: { secretId: SECRET_ID, secretKey: SECRET_KEY }, region: 'ap-guangzhou' });
const server = http.createServer(toNodeListener(proxy)).listen(0, '127.0.0.1', async () => {
  const client = new LighthouseClient({ endpoint: `http://127.0.0.1:${server.address().port}`, unsigned: true });
  const { TotalCount } = await client.describeInstances({ Limit: 100 });
  server.close();
  const input = JSON.parse(SIGN_INPUT);
  console.log(JSON.stringify({ signature: signRequest(input).signature, alone: signAlone(input).signature, TotalCount }));
});
