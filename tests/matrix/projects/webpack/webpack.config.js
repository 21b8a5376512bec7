// webpack needs no configuration for the package: the entries are this test's pages.
import path from 'node:path';

const entries = ['named', 'sign', 'namespace', 'client', 'both', 'worker-page'];
export default {
  mode: 'production',
  entry: Object.fromEntries(entries.map((e) => [e, `./src/${e}.js`])),
  output: { path: path.resolve(import.meta.dirname, 'dist') },
};
