// Browser, worker and bundler entry: instantiate the wasm once, then export the bindings.
import init, { errorClass } from './tc3_lighthouse.js';

await init();

export * from './tc3_lighthouse.js';
export const TencentCloudError = errorClass();
