// Node's `import` entry. It imports the CommonJS entry, so `import` and `require` share one instance
// (one wasm, one TencentCloudError class). index.cjs is a small wrapper: Node's scan of it for export
// names is cheap, and the glue behind it is loaded through require, never scanned. A static import
// (not createRequire) lets bundlers such as esbuild follow it.
import './bundle-dir.mjs';
import m from './index.cjs';

export default m;
export const {
  LighthouseClient,
  TencentCloudError,
  createSigningProxy,
  errorClass,
  resetInstance,
  resetInstanceAndWait,
  resetInstances,
  setRateLimit,
  signRequest,
  toNodeListener,
  waitUntilInstanceReset,
  __benchSha256,
  __wasmMemoryBytes,
} = m;
