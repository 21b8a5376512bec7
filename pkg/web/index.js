// Browser, worker and bundler entry: the page build (no signing proxy). Instantiate the wasm once
// (top-level await), then export the bindings. The wasm is fetched from
// `new URL('tc3_lighthouse_bg.wasm', import.meta.url)` (in the glue), which Vite and webpack follow and
// emit; pkg/package.json declares this module's side effect.
import { makeFromHttp } from '../credentials/shared.js';
import { guardClient, installPaginators, serverOnly } from './errors.js';
import init, { errorClass, LighthouseClient } from './tc3_lighthouse.js';

await init();
// The paginators (plain JS over the methods), then the guard over every method.
installPaginators(LighthouseClient);
guardClient(LighthouseClient);

export * from './tc3_lighthouse.js';
export const TencentCloudError = errorClass();
export const fromHttp = makeFromHttp(TencentCloudError);
// A proxy holds the keys it signs with, which a page must never have: it is in the server build only.
export const createSigningProxy = serverOnly('createSigningProxy');
