// tc3-lighthouse/sign in Node (import): the CommonJS entry through createRequire, so both share one instance
// (see ../../node/index.mjs); bundlers take ./bundled.mjs.
import { createRequire } from 'node:module';

const m = createRequire(import.meta.url)('./index.cjs');

export default m;
export const { signRequest, TencentCloudError, __benchSha256, __wasmMemoryBytes } = m;
