// Node's `import` entry. It loads the CommonJS entry through `require`, so `import` and `require` share one
// instance (one wasm, one TencentCloudError class). Through createRequire because it is about 1.5 ms faster to
// start than a static import of CommonJS (no scan of it for export names). Bundlers, which cannot follow
// createRequire, take ./bundled.mjs (the `module` condition, which Node does not match).
import { createRequire } from 'node:module';

const m = createRequire(import.meta.url)('./index.cjs');

export default m;
export const {
  LighthouseClient,
  TencentCloudError,
  createSigningProxy,
  defaultCredentials,
  errorClass,
  fromAssumeRole,
  fromCvmRole,
  fromEnv,
  fromHttp,
  fromProfile,
  fromWebIdentity,
  fileJournal,
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
