// Node entry for both `require` and `import`: one module instance, so `instanceof` holds from both.
// signRequest comes from the signer's small wasm (the same one as tc3-lighthouse/sign); the rest from
// the whole package's glue, whose wasm is compiled on first use: a process that only signs never
// pays for the client.
const sign = require('../sign/node/tc3_lighthouse_sign.js');
const full = require('./tc3_lighthouse_server.js');

// Unbound and freed-client calls fail with a TencentCloudError (js/errors.js); no wasm is needed for it.
// The paginators (plain JS over the methods) first, so that the guard covers them too.
const clientJs = require('./errors.cjs');
clientJs.installPaginators(full.LighthouseClient);
clientJs.guardClient(full.LighthouseClient);

module.exports = {
  ...full,
  signRequest: sign.signRequest,
  TencentCloudError: sign.errorClass(),
  errorClass: sign.errorClass,
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
