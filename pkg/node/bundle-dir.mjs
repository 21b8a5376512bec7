// Imported first by the bundlers' `import` entries (bundled.mjs). In an ES-module bundle (esbuild
// --platform=node --format=esm) the CommonJS glue has no __dirname: this leaves the bundle's folder, where the
// .wasm files are copied, for the glue to find them. In a CommonJS bundle import.meta is empty and the glue has
// its __dirname.
import { fileURLToPath } from 'node:url';

const here = import.meta.url;
if (here) globalThis[Symbol.for('tc3-lighthouse.bundleDir')] ??= fileURLToPath(new URL('.', here));
