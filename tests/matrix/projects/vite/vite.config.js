// The README's Vite setup: `worker.format: 'es'` (workers that import a package with top-level await);
// the inputs are this test's pages.
export default {
  worker: { format: 'es' },
  build: {
    rollupOptions: {
      input: Object.fromEntries(['named', 'sign', 'namespace', 'client', 'both', 'worker-page'].map((e) => [e, `${e}.html`])),
    },
  },
};
