// Node entry for both `require` and `import`: one module instance, so `instanceof` holds from both.
// signRequest comes from the signer's small wasm (the same one as tc3-lighthouse/sign); the rest from
// the whole package's glue, whose wasm is compiled on first use: a process that only signs never
// pays for the client.
const sign = require('../sign/node/tc3_lighthouse_sign.js');
const full = require('./tc3_lighthouse_server.js');
// The credential providers load on first use: shared.js is an ES module, and requiring one starts Node's
// ES-module loader, which a process that only signs must not pay for (the cold-start target).
let providers;
const credentials = () => {
  providers ??= { ...require('../credentials/node.cjs'), ...require('../credentials/sts.cjs') };
  return providers;
};
const lazy = (name) => ({ [name]: (...args) => credentials()[name](...args) })[name];
let fromHttpOf;
function fromHttp(url, options) {
  fromHttpOf ??= require('../credentials/shared.js').makeFromHttp(sign.errorClass());
  return fromHttpOf(url, options);
}

// Unbound and freed-client calls fail with a TencentCloudError (js/errors.js); no wasm is needed for it.
// The paginators (plain JS over the methods) first, so that the guard covers them too.
const clientJs = require('./errors.cjs');
clientJs.installPaginators(full.LighthouseClient);
clientJs.guardClient(full.LighthouseClient);

// In Node a config without `credentials` gets the default chain (env -> profile -> TKE OIDC -> CVM role),
// one instance shared by every such client, so the chain's cache and refresh are shared too. A config the
// core refuses anyway (not an object, a throwing getter) is passed through untouched, for its message.
let chain;
function withDefaultCredentials(config) {
  if (config !== undefined && (config === null || typeof config !== 'object')) return config;
  try {
    if (config !== undefined && (config.credentials != null || config.unsigned === true)) return config;
    if (Array.isArray(config)) return config;
    if (!chain) chain = credentials().defaultCredentials();
    const proto = config === undefined ? null : Object.getPrototypeOf(config);
    if (proto === null || proto === Object.prototype) return { ...config, credentials: chain };
    // A class instance keeps its prototype's getters: the default goes on a child of it.
    return Object.create(config, { credentials: { value: chain, enumerable: true } });
  } catch {
    return config;
  }
}

// `new LighthouseClient(config)` through a Proxy: the class, its prototype and `instanceof` stay the glue's.
const LighthouseClient = new Proxy(full.LighthouseClient, {
  construct: (target, args, newTarget) => Reflect.construct(target, [withDefaultCredentials(args[0]), ...args.slice(1)], newTarget),
});
// The module functions take their config at `at`: the same default there.
const withConfigAt = (fn, at) =>
  ({
    [fn.name]: (...args) => {
      args[at] = withDefaultCredentials(args[at]);
      return fn(...args);
    },
  })[fn.name];

// The driver's job class is the glue's internal business.
const { __Job: _job, ...glue } = full;

module.exports = {
  ...glue,
  LighthouseClient,
  resetInstance: withConfigAt(full.resetInstance, 1),
  waitUntilInstanceReset: withConfigAt(full.waitUntilInstanceReset, 1),
  resetInstanceAndWait: withConfigAt(full.resetInstanceAndWait, 1),
  resetInstances: withConfigAt(full.resetInstances, 1),
  createSigningProxy: withConfigAt(full.createSigningProxy, 0),
  signRequest: sign.signRequest,
  TencentCloudError: sign.errorClass(),
  errorClass: sign.errorClass,
  fromEnv: lazy('fromEnv'),
  fromProfile: lazy('fromProfile'),
  fromCvmRole: lazy('fromCvmRole'),
  fromAssumeRole: lazy('fromAssumeRole'),
  fromWebIdentity: lazy('fromWebIdentity'),
  fromHttp,
  defaultCredentials: lazy('defaultCredentials'),
  // Diagnostics for the bench and the leak tests: hashing in the signer's wasm; both wasm memories.
  __benchSha256: sign.__benchSha256,
  __wasmMemoryBytes: () => sign.__wasmMemoryBytes() + full.__wasmMemoryBytes(),
  // A fleet's journal in a file (resetInstances(..., { journal: fileJournal(path) })).
  fileJournal(file) {
    return require('./journal.cjs').fileJournal(file);
  },
  // Loaded on first use: most programs never serve HTTP.
  toNodeListener(handler, options) {
    return require('./http.cjs').toNodeListener(handler, options);
  },
};
