// The README's Rollup setup: node-resolve (any package needs it), then copy the .wasm next to the bundle.
import { nodeResolve } from '@rollup/plugin-node-resolve';

export default {
  input: Object.fromEntries(['named', 'sign', 'namespace', 'client', 'both'].map((e) => [e, `src/${e}.js`])),
  output: { dir: 'dist', format: 'es' },
  plugins: [nodeResolve({ browser: true })],
};
