// Helper of the hardening suites: runs local Lighthouse APIs in their own process, so that measuring the
// package's memory is not disturbed by the server's (it keeps a log of every request). argv[2]: a JSON
// array of { options, fault?, trimLog? }. Prints one JSON line, the APIs' URLs; exits when stdin closes.
import { startLighthouseApi } from '../../local-api/server.mjs';

const specs = JSON.parse(process.argv[2] ?? '[{}]');
const apis = [];
for (const { options = {}, fault, trimLog = false } of specs) {
  const api = await startLighthouseApi({ port: 0, ...options });
  if (fault) api.injectFault(fault);
  apis.push({ api, trimLog });
}
// Keep the per-request log from growing without bound over tens of thousands of requests.
const trim = setInterval(() => {
  for (const { api, trimLog } of apis) if (trimLog && api.log.length > 1000) api.log.splice(0, api.log.length - 100);
}, 500);
process.stdout.write(`${JSON.stringify(apis.map((a) => a.api.url))}\n`);
process.stdin.resume();
process.stdin.on('end', async () => {
  clearInterval(trim);
  await Promise.all(apis.map((a) => a.api.close()));
  process.exit(0);
});
