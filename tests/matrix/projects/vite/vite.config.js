// vite.config.js: module workers as ES modules (the package's web entry uses top-level await).
export default {
  worker: { format: 'es' },
};
