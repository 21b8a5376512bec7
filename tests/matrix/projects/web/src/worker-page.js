// Posts to the worker at once, before its wasm can have loaded.
import { fail, report, signInput } from './report.js';

const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
worker.onmessage = (e) => report({ signature: e.data });
worker.onerror = (e) => fail({ message: e.message || 'worker error' });
worker.postMessage(signInput);
