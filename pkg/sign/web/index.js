// tc3-lighthouse/sign for browsers, workers and bundlers: signRequest alone, in a wasm a third the
// size of the whole package's. Instantiates the wasm once (top-level await), then exports the bindings.
import init, { errorClass } from './tc3_lighthouse_sign.js';

await init();

export { signRequest } from './tc3_lighthouse_sign.js';
export const TencentCloudError = errorClass();
