// rollup.config.mjs: node-resolve, as for any package; then copy the .wasm files next to the bundle.
import { nodeResolve } from '@rollup/plugin-node-resolve';

export default {
  input: 'src/main.js',
  output: { dir: 'dist', format: 'es' },
  plugins: [nodeResolve({ browser: true })],
};
