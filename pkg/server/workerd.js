// Cloudflare Workers (workerd, wrangler) and runtimes like it: the server build (the client and the signing
// proxy). Its .wasm is imported as a compiled module (wrangler's bundler does that for `.wasm` imports) and
// instantiated synchronously, since workerd has no fetch of a file URL at start-up.
import { makeFromHttp } from '../credentials/shared.js';
import { guardClient, installPaginators } from '../web/errors.js';
import { errorClass, initSync, LighthouseClient } from './tc3_lighthouse_server.js';
import wasm from './tc3_lighthouse_server_bg.wasm';

initSync({ module: wasm });
installPaginators(LighthouseClient);
guardClient(LighthouseClient);

export * from './tc3_lighthouse_server.js';
export const TencentCloudError = errorClass();
export const fromHttp = makeFromHttp(TencentCloudError);
