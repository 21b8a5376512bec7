// A local Tencent Cloud Lighthouse API (2020-03-24) for tests, benchmarks and the console's demo mode.
// Node 20, no dependencies. It verifies TC3-HMAC-SHA256 with its own code (never the package's), models
// instances, blueprints and the asynchronous ResetInstance, and can inject transport and service faults.
//
//   import { startLighthouseApi } from './local-api/server.mjs';
//   const api = await startLighthouseApi({ credentials: [{ secretId: 'AKID...', secretKey: '...' }] });
//   // point a client at api.url, then: api.log, api.stats(), api.injectFault({ kind: 'html500' }), await api.close()
//
// Run it by hand (demo mode): node local-api/server.mjs --port 8787 [--operating-ms 4000]
//
// This module is the public entry and the CLI; the parts are described in local-api/README.md ("Layout").

import { fileURLToPath } from 'node:url';
import { FaultList } from './faults.mjs';
import { emptyCounters, listen } from './http.mjs';
import { demoSeed, LighthouseModel, makeFleet } from './model.mjs';
import { RateLimiter } from './rate-limit.mjs';
import { stsHandle, stsState } from './sts-options.mjs';
import { Tc3Verifier } from './tc3-verify.mjs';

export { demoSeed, makeFleet };

/** The credential accepted when none are configured (demo mode). Not a real key. */
export const DEMO_CREDENTIALS = Object.freeze({
  secretId: 'AKIDLocalLighthouseDemo0000000000000',
  secretKey: 'LocalLighthouseDemoSecretKey000000',
});

const CONFIGURABLE = ['operatingPolls', 'operatingMs', 'rateLimit', 'clockOffsetMs', 'maxSkewSeconds', 'cors'];

/** Back to the seed: the model, and the faults, rate buckets, log and counters emptied. */
function resetAll(service, seedOptions = {}) {
  service.model.reset(seedOptions);
  service.faults.clear();
  service.limiter.clear();
  service.log.length = 0; // the same array: callers may hold api.log
  service.counters = emptyCounters();
}

/**
 * Start the local API. Resolves once listening; see local-api/README.md for every option and method.
 * @returns {Promise<object>} the api handle: url, port, log, stats(), injectFault(), ..., close()
 */
export async function startLighthouseApi(options = {}) {
  const cfg = {
    host: '127.0.0.1',
    port: 0,
    operatingPolls: 2,
    operatingMs: 0,
    rateLimit: 10,
    clockOffsetMs: 0,
    maxSkewSeconds: 300,
    cors: true,
    ...options,
  };
  const credentials = new Map();
  for (const c of options.credentials ?? [DEMO_CREDENTIALS]) {
    if (!c || typeof c.secretId !== 'string' || typeof c.secretKey !== 'string') {
      throw new TypeError('startLighthouseApi: each credential needs a string secretId and secretKey');
    }
    credentials.set(c.secretId, { secretId: c.secretId, secretKey: c.secretKey, token: c.token ?? null });
  }

  const defaults = demoSeed();
  const baseSeed = {
    instances: options.instances ?? defaults.instances,
    blueprints: options.blueprints ?? defaults.blueprints,
    keyPairs: options.keyPairs ?? defaults.keyPairs,
  };

  // Everything one server holds, handed explicitly to the parts (cfg is live: configure() changes it).
  const service = {
    cfg,
    credentials,
    ...stsState(options),
    verifier: new Tc3Verifier(credentials),
    model: new LighthouseModel(cfg, baseSeed),
    faults: new FaultList(),
    limiter: new RateLimiter(cfg),
    log: [],
    counters: emptyCounters(),
  };
  resetAll(service);

  // url and port are filled in once listening; the control endpoints drive this same handle.
  const api = {
    url: null,
    port: null,
    host: cfg.host,
    /** Every API request received, in order (entries are filled in when answered). */
    get log() {
      return service.log;
    },
    get faults() {
      return service.faults.list();
    },
    stats() {
      const c = service.counters;
      return { byAction: { ...c.byAction }, throttled: c.throttled, errors: c.errors, faults: c.faults, total: c.total };
    },
    injectFault: (spec) => service.faults.inject(spec),
    clearFaults() {
      service.faults.clear();
    },
    setInstance: (instanceId, patch) => service.model.setInstance(instanceId, patch),
    getInstance: (instanceId) => service.model.getInstance(instanceId),
    failNextReset(instanceId) {
      service.model.failNext.add(instanceId);
    },
    reset(seedOptions) {
      resetAll(service, seedOptions ?? {});
    },
    /** Change operatingPolls, operatingMs, rateLimit, clockOffsetMs, maxSkewSeconds, cors at run time. */
    configure(patch = {}) {
      for (const k of CONFIGURABLE) {
        if (k in patch) cfg[k] = patch[k];
      }
      if ('rateLimit' in patch) service.limiter.clear();
      return Object.fromEntries(CONFIGURABLE.map((k) => [k, cfg[k]]));
    },
    close: () => net.close(),
    ...stsHandle(service),
  };
  const net = await listen(service, api);
  const urlHost = cfg.host.includes(':') ? `[${cfg.host}]` : cfg.host;
  api.url = `http://${urlHost}:${net.port}`;
  api.port = net.port;
  return api;
}

// ---------------------------------------------------------------------------------------------------------
// Command line: node local-api/server.mjs [--host H] [--port P] [--operating-ms MS] [--operating-polls N]
//               [--rate-limit N] [--clock-offset-ms MS] [--fleet N] [--no-cors]

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const opt = (name, fallback) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
  };
  const secretId = process.env.LOCAL_API_SECRET_ID ?? DEMO_CREDENTIALS.secretId;
  const secretKey = process.env.LOCAL_API_SECRET_KEY ?? DEMO_CREDENTIALS.secretKey;
  const fleet = opt('fleet', null);
  const api = await startLighthouseApi({
    host: opt('host', '127.0.0.1'),
    port: Number(opt('port', 8787)),
    operatingMs: Number(opt('operating-ms', 4000)),
    operatingPolls: Number(opt('operating-polls', 2)),
    rateLimit: Number(opt('rate-limit', 10)),
    clockOffsetMs: Number(opt('clock-offset-ms', 0)),
    cors: !args.includes('--no-cors'),
    credentials: [{ secretId, secretKey }],
    ...(fleet ? { instances: makeFleet(Number(fleet)) } : {}),
  });
  console.log(`local Lighthouse API listening on ${api.url}`);
  console.log(
    secretKey === DEMO_CREDENTIALS.secretKey
      ? `  SecretId  ${secretId}\n  SecretKey ${secretKey}   (local demo credentials, not a real key)`
      : `  SecretId  ${secretId} (key from LOCAL_API_SECRET_KEY)`,
  );
  const stop = () => {
    api.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
