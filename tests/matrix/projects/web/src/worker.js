// worker.js: the package is imported dynamically, so the message handler is in place before the wasm has
// loaded, and a message posted meanwhile waits for it instead of being lost.
const tc3 = import('tc3-lighthouse');

self.onmessage = async (event) => {
  const { signRequest } = await tc3;
  self.postMessage(signRequest(event.data).signature);
};
