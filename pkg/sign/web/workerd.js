// tc3-lighthouse/sign for Cloudflare Workers (workerd, wrangler): see ../../server/workerd.js.
import wasm from './tc3_lighthouse_sign_bg.wasm';
import { errorClass, initSync } from './tc3_lighthouse_sign.js';

initSync({ module: wasm });

export { signRequest } from './tc3_lighthouse_sign.js';
export const TencentCloudError = errorClass();
