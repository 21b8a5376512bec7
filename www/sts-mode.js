// "Temporary credentials" mode: the page signs itself, with short-lived STS credentials that the server it came
// from mints for a narrow role (GET /sts-credentials, same origin only), fetched with the package's fromHttp when
// needed and refreshed 5 minutes before they expire. The long-term key stays on the server.
import { fromHttp, LighthouseClient } from '/pkg/index.js';

/** This mode's connection for app.useDirect (one provider: every region's client shares its cache), or null
 *  when the server offers no credentials endpoint. */
export function stsConnection(config, language) {
  if (!config.credentialsEndpoint) return null;
  const direct = { credentials: fromHttp(config.credentialsEndpoint), endpoint: config.directEndpoint };
  const region = config.region || 'ap-guangzhou';
  return {
    direct,
    region,
    client: new LighthouseClient({ ...direct, region, language }),
    label: new URL(config.directEndpoint).host,
    mode: 'sts',
  };
}
