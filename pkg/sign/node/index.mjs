// tc3-lighthouse/sign in Node (import): the CommonJS entry, so both share one instance (see
// ../../node/index.mjs).
import '../../node/bundle-dir.mjs';
import m from './index.cjs';

export default m;
export const { signRequest, TencentCloudError, __benchSha256, __wasmMemoryBytes } = m;
