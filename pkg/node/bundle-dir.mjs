// Imported first by the `import` entries. In an ES-module bundle (esbuild --platform=node --format=esm)
// the CommonJS glue has no __dirname: this leaves the bundle's folder, where the .wasm files are
// copied, for the glue to find them. Unbundled and in CommonJS bundles the glue uses its __dirname.
import { fileURLToPath } from 'node:url';

globalThis[Symbol.for('tc3-lighthouse.bundleDir')] ??= fileURLToPath(new URL('.', import.meta.url));
