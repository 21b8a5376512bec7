// tc3-lighthouse/sign's `import` entry for bundlers (see ../../node/bundled.mjs).
import '../../node/bundle-dir.mjs';
import m from './index.cjs';

export default m;
export const { signRequest, TencentCloudError, __benchSha256, __wasmMemoryBytes } = m;
