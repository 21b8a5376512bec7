// The matrix's Vite config: the README's vite.config.js as it is, plus this test's pages as the inputs.
import config from './vite.config.js';

export default {
  ...config,
  build: {
    rollupOptions: {
      input: Object.fromEntries(['named', 'sign', 'namespace', 'client', 'both', 'worker-page'].map((e) => [e, `${e}.html`])),
    },
  },
};
