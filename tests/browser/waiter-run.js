// The web build's waiter against the local Lighthouse API (another origin: CORS), driven by
// tests/browser/waiter.browser.test.mjs through window.__waiter. Results are plain data.
import { LighthouseClient, TencentCloudError } from '../../pkg/web/index.js';

const FAST = { minDelaySeconds: 0.05, maxDelaySeconds: 0.2 };

function plainError(e) {
  return {
    isClass: e instanceof TencentCloudError,
    isInstance: TencentCloudError.isInstance(e),
    name: e?.name,
    code: e?.code,
    kind: e?.kind,
    message: e?.message,
    requestId: e?.requestId,
    attempts: e?.attempts,
    elapsedSeconds: e?.elapsedSeconds,
    instance: e?.instance ?? null,
  };
}

// The fleet's region: the waits poll DescribeInstances, which lists one region.
const client = (config) => new LighthouseClient({ credentials: config.credentials, endpoint: config.endpoint, region: 'ap-guangzhou' });

window.__waiter = {
  async resetAndWait(config, InstanceId) {
    const events = [];
    try {
      const instance = await client(config).resetInstanceAndWait(
        { InstanceId },
        {
          ...FAST,
          onProgress: (e) =>
            events.push({
              attempt: e.attempt,
              InstanceId: e.InstanceId,
              LatestOperationState: e.LatestOperationState,
              InstanceState: e.InstanceState,
              elapsedSeconds: e.elapsedSeconds,
              requestId: e.instance.LatestOperationRequestId,
            }),
        },
      );
      return { ok: true, instance, events };
    } catch (e) {
      return { ok: false, error: plainError(e), events };
    }
  },
  async fleet(config, ids) {
    const results = await client(config).resetInstances(
      ids.map((InstanceId) => ({ InstanceId })),
      FAST,
    );
    return results.map((r) => ({ ...r, error: r.error ? plainError(r.error) : undefined }));
  },
};
window.__waiterReady = true;
