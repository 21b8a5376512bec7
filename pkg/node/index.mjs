// Node's `import` entry. It loads the CommonJS entry through `require`, so `import` and `require`
// share one instance (one wasm, one TencentCloudError class). Importing CommonJS directly makes Node
// parse it for export names first, which costs more than loading the wasm.
import { createRequire } from 'node:module';

const m = createRequire(import.meta.url)('./index.cjs');

export default m;
export const {
  LighthouseClient,
  TencentCloudError,
  createSigningProxy,
  errorClass,
  resetInstance,
  resetInstanceAndWait, resetInstances,
  setRateLimit,
  signRequest,
  toNodeListener,
  waitUntilInstanceReset,
  __benchSha256,
  __wasmMemoryBytes,
} = m;
