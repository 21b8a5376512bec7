// Cloudflare Workers (workerd, wrangler) and runtimes like it: the .wasm is imported as a compiled
// module (wrangler's bundler does that for `.wasm` imports) and instantiated synchronously, since
// workerd has no fetch of a file URL at start-up.
import wasm from './tc3_lighthouse_bg.wasm';
import { makeFromHttp } from '../credentials/shared.js';
import { guardClient } from './errors.js';
import { errorClass, initSync, LighthouseClient } from './tc3_lighthouse.js';

initSync({ module: wasm });
guardClient(LighthouseClient);

export * from './tc3_lighthouse.js';
export const TencentCloudError = errorClass();
export const fromHttp = makeFromHttp(TencentCloudError);
