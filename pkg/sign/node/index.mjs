// tc3-lighthouse/sign in Node (import): the CommonJS entry through require, so both share one
// instance (see ../../node/index.mjs for why not import it directly).
import { createRequire } from 'node:module';

const m = createRequire(import.meta.url)('./index.cjs');

export default m;
export const { signRequest, TencentCloudError, __benchSha256, __wasmMemoryBytes } = m;
