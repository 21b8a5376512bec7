// The fleet: N instances reset and waited for through LighthouseClient.resetInstances against the local
// Lighthouse API at its rate limit. Skipped (not failed) while the client is not built yet.
import { performance } from 'node:perf_hooks';

const CREDS = { secretId: 'AKIDBenchFleet00000000000000000000000', secretKey: 'BenchFleetSecretKey000000000000000' };

/**
 * `lib` replaces the package (a module namespace with LighthouseClient), for testing the harness.
 * @returns {Promise<object>} { skipped: reason } or { instances, rateLimit, totalSeconds, floorSeconds,
 *   ratio, requests, byAction, throttles, ok, failed, errors }
 */
export async function fleet({ n, rateLimit = 10, operatingPolls = 1, minDelaySeconds, maxDelaySeconds, timeoutMs, lib }) {
  const mod = lib ?? (await import('tc3-lighthouse'));
  const { LighthouseClient } = mod;
  if (typeof LighthouseClient !== 'function' || typeof LighthouseClient.prototype?.resetInstances !== 'function') {
    return { skipped: 'n/a: client not built yet' };
  }
  const { startLighthouseApi, makeFleet } = await import('../../local-api/server.mjs');
  const instances = makeFleet(n);
  const api = await startLighthouseApi({ port: 0, credentials: [CREDS], instances, rateLimit, operatingPolls });
  let timer;
  try {
    const client = new LighthouseClient({ credentials: CREDS, endpoint: api.url, region: 'ap-guangzhou' });
    const inputs = instances.map((i) => ({ InstanceId: i.InstanceId }));
    const wall0 = Date.now();
    const t0 = performance.now();
    const results = await Promise.race([
      client.resetInstances(inputs, { wait: true, minDelaySeconds, maxDelaySeconds, concurrency: n }),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs / 1000} s`)), timeoutMs);
      }),
    ]);
    const totalSeconds = (performance.now() - t0) / 1000;
    const stats = api.stats();
    const list = Array.isArray(results) ? results : [];
    const failed = list.filter((r) => !r?.ok);
    // The resets must really have happened: every instance's latest operation a successful ResetInstance.
    const notReset = instances.filter((i) => {
      const s = api.getInstance(i.InstanceId);
      return !(s?.LatestOperation === 'ResetInstance' && s?.LatestOperationState === 'SUCCESS');
    }).length;
    // The floor: N requests of one action at `rateLimit`/s take N / rateLimit seconds of its budget.
    const floorSeconds = n / rateLimit;
    // Where the time went: when the resets went out (server receipt times) and the tail spent waiting after the last.
    const resets = api.log.filter((e) => e.action === 'ResetInstance').map((e) => (e.time - wall0) / 1000);
    const lastResetAtSeconds = resets.length ? Math.max(...resets) : NaN;
    return {
      instances: n,
      rateLimit,
      operatingPolls,
      minDelaySeconds,
      maxDelaySeconds,
      totalSeconds,
      floorSeconds,
      ratio: totalSeconds / floorSeconds,
      firstResetAtSeconds: resets.length ? Math.min(...resets) : NaN,
      lastResetAtSeconds,
      waitTailSeconds: totalSeconds - lastResetAtSeconds,
      requests: stats.total,
      byAction: stats.byAction,
      throttles: stats.throttled,
      ok: list.length - failed.length,
      failed: failed.length,
      notReset,
      errors: [...new Set(failed.map((r) => r?.error?.code ?? String(r?.error)))].slice(0, 5),
    };
  } catch (e) {
    const stats = api.stats();
    return {
      error: String(e?.code ? `${e.code}: ${e.message}` : (e?.message ?? e)),
      instances: n,
      requests: stats.total,
      byAction: stats.byAction,
      throttles: stats.throttled,
    };
  } finally {
    clearTimeout(timer);
    await api.close();
  }
}
