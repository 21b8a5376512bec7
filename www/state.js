// The console's state (the mode, the client, the listed region, the instances, the selection and the resets
// being followed) and what is read off it. One object, shared by the console's modules.

// The service's messages in the user's language: Chinese for a Chinese browser, else English.
export const LANGUAGE = /^zh\b/i.test(globalThis.navigator?.language || '') ? 'zh-CN' : 'en-US';

export const state = {
  config: { mode: 'demo', region: 'ap-guangzhou', proxyEndpoint: '/api', directEndpoint: '', demo: true },
  /** The client in use, for `region`. */
  client: null,
  /** The region listed (X-TC-Region of every call). */
  region: 'ap-guangzhou',
  mode: 'proxy',
  directLabel: '',
  /** Direct mode: the pasted credentials and endpoint, in this module's memory only (a client per region needs them). */
  direct: null,
  /** InstanceId -> Instance, in the API's order. */
  instances: new Map(),
  /** BlueprintId -> Blueprint. */
  blueprints: new Map(),
  selected: new Set(),
  /** InstanceId -> { phase: 'sending'|'waiting'|'done'|'failed', opState, elapsed, attempt, requestId, code, started } */
  jobs: new Map(),
  loading: false,
};

/** The waiter's promise for this instance has not settled yet. */
export const jobRunning = (id) => ['sending', 'waiting'].includes(state.jobs.get(id)?.phase);
/** Running, and not yet seen finished (resetInstances resolves a poll interval after the last one finished). */
export const jobActive = (id) => jobRunning(id) && !state.jobs.get(id).settled;

export function blueprintTitle(id) {
  const b = state.blueprints.get(id);
  if (!b) return id || '—';
  return [b.DisplayTitle || b.OsName || id, b.DisplayVersion].filter(Boolean).join(' ');
}
