// Browser, worker and bundler entry: instantiate the wasm once (top-level await), then export the
// bindings. The wasm is fetched from `new URL('tc3_lighthouse_bg.wasm', import.meta.url)` (in the
// glue), which Vite and webpack follow and emit; pkg/package.json declares this module's side effect.
import { makeFromHttp } from '../credentials/shared.js';
import { guardClient } from './errors.js';
import init, { errorClass, LighthouseClient } from './tc3_lighthouse.js';

await init();
guardClient(LighthouseClient);

export * from './tc3_lighthouse.js';
export const TencentCloudError = errorClass();
export const fromHttp = makeFromHttp(TencentCloudError);
