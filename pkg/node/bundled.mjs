// The `import` entry for bundlers (esbuild --platform=node and others that match the `module` condition; Node
// does not): a static import of the CommonJS entry, which a bundler follows, and bundle-dir.mjs first, so that
// the glue finds the .wasm files next to an ES-module bundle. Node itself takes ./index.mjs.
import './bundle-dir.mjs';
import m from './index.cjs';

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
