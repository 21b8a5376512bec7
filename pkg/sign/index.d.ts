// tc3-lighthouse/sign: signRequest alone (the same function as the package's), in a smaller wasm.
export { signRequest, TencentCloudError } from "../index.js";
export type { SignInput, SignedRequest, TencentCloudErrorKind } from "../index.js";
