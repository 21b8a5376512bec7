// Node entry for both `require` and `import`: one module instance, so `instanceof` holds from both.
// signRequest comes from the signer's small wasm (the same one as tc3-lighthouse/sign); the rest from
// the whole package's glue, which is loaded on first use of the client, its wasm compiled then too: a
// process that only signs never pays for the client (the cold-start target).
const sign = require('../sign/node/tc3_lighthouse_sign.js');
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
let glue;
function full() {
  if (glue === undefined) {
    glue = require('./tc3_lighthouse_server.js');
    const clientJs = require('./errors.cjs');
    clientJs.installPaginators(glue.LighthouseClient);
    clientJs.guardClient(glue.LighthouseClient);
  }
  return glue;
}

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

// `new LighthouseClient(config)` through a Proxy, which loads the glue on first use and forwards everything
// to the glue's class: statics, `prototype` (so `instanceof`), own keys, subclassing. The stand-in is a bound
// function (constructible, no `prototype` of its own); the real `prototype` is mirrored onto it on first use,
// which the Proxy invariants need for a non-configurable property.
const standIn = function LighthouseClient() {}.bind();
Object.defineProperty(standIn, 'name', { value: 'LighthouseClient' });
const real = () => {
  const cls = full().LighthouseClient;
  if (!Object.hasOwn(standIn, 'prototype')) Object.defineProperty(standIn, 'prototype', { value: cls.prototype });
  return cls;
};
const LighthouseClient = new Proxy(standIn, {
  construct: (_, args, newTarget) => Reflect.construct(real(), [withDefaultCredentials(args[0]), ...args.slice(1)], newTarget),
  apply: () => {
    throw new TypeError("Class constructor LighthouseClient cannot be invoked without 'new'");
  },
  get: (_, key) => Reflect.get(real(), key),
  set: (_, key, value) => Reflect.set(real(), key, value),
  has: (_, key) => Reflect.has(real(), key),
  ownKeys: () => Reflect.ownKeys(real()),
  getOwnPropertyDescriptor: (_, key) => {
    const d = Reflect.getOwnPropertyDescriptor(real(), key);
    // A property the stand-in lacks cannot be reported non-configurable (only `prototype` is, and it is mirrored).
    if (d && key !== 'prototype') d.configurable = true;
    return d;
  },
  defineProperty: (_, key, d) => Reflect.defineProperty(real(), key, { ...d, configurable: true }),
  deleteProperty: (_, key) => Reflect.deleteProperty(real(), key),
});
// The module functions take their config at `at`: the same default there.
const withConfigAt = (name, at) =>
  ({
    [name]: (...args) => {
      args[at] = withDefaultCredentials(args[at]);
      return full()[name](...args);
    },
  })[name];

module.exports = {
  LighthouseClient,
  __benchSha256: sign.__benchSha256,
  // Diagnostics for the leak tests: both wasm memories (the client's once it is loaded).
  __wasmMemoryBytes: () => sign.__wasmMemoryBytes() + (glue === undefined ? 0 : glue.__wasmMemoryBytes()),
  createSigningProxy: withConfigAt('createSigningProxy', 0),
  errorClass: sign.errorClass,
  resetInstance: withConfigAt('resetInstance', 1),
  resetInstanceAndWait: withConfigAt('resetInstanceAndWait', 1),
  resetInstances: withConfigAt('resetInstances', 1),
  setRateLimit: (requestsPerSecond, action, ...rest) => full().setRateLimit(requestsPerSecond, action, ...rest),
  signRequest: sign.signRequest,
  waitUntilInstanceReset: withConfigAt('waitUntilInstanceReset', 1),
  TencentCloudError: sign.errorClass(),
  fromEnv: lazy('fromEnv'),
  fromProfile: lazy('fromProfile'),
  fromCvmRole: lazy('fromCvmRole'),
  fromAssumeRole: lazy('fromAssumeRole'),
  fromWebIdentity: lazy('fromWebIdentity'),
  fromHttp,
  defaultCredentials: lazy('defaultCredentials'),
  // A fleet's journal in a file (resetInstances(..., { journal: fileJournal(path) })).
  fileJournal(file) {
    return require('./journal.cjs').fileJournal(file);
  },
  // Loaded on first use: most programs never serve HTTP.
  toNodeListener(handler, options) {
    return require('./http.cjs').toNodeListener(handler, options);
  },
};
