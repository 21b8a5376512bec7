// "Temporary credentials" mode: the page signs itself, with short-lived STS credentials that the server it came
// from mints for a narrow role (GET /sts-credentials, same origin only), fetched with the package's fromHttp when
// needed and refreshed 5 minutes before they expire. The long-term key stays on the server.
import { fromHttp, LighthouseClient } from '/pkg/index.js';

/** The client of this mode, or null when the server offers no credentials endpoint. */
export function stsClient(config) {
  if (!config.credentialsEndpoint) return null;
  return new LighthouseClient({
    credentials: fromHttp(config.credentialsEndpoint),
    endpoint: config.directEndpoint,
    region: config.region || 'ap-guangzhou',
    language: 'en-US',
  });
}

/** What the badge and the summary say in this mode. */
export function stsLabel(config) {
  return `${new URL(config.directEndpoint).host}, ${config.region || 'ap-guangzhou'}`;
}
