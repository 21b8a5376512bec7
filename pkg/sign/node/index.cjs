// tc3-lighthouse/sign in Node (require): signRequest alone, in a wasm a third the size of the whole
// package's, so a process that only signs loads and compiles less. Its TencentCloudError is the
// whole package's class.
const m = require('./tc3_lighthouse_sign.js');

module.exports = { signRequest: m.signRequest, TencentCloudError: m.errorClass(), __benchSha256: m.__benchSha256, __wasmMemoryBytes: m.__wasmMemoryBytes };
