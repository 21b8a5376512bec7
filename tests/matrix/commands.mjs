// The tool commands the README documents, as the matrix runs them. tests/readme checks the README's command
// blocks against these, so the README shows exactly the flags the matrix tests. Entry files and output paths
// are the caller's; the matrix adds only log levels (and Rollup its test pages as `--input`).

/** The .wasm files of the browser build, relative to the package's folder: what esbuild, Rollup and bun build users copy next to the bundle. */
export const WEB_WASM_FILES = ['web/tc3_lighthouse_bg.wasm', 'sign/web/tc3_lighthouse_sign_bg.wasm'];

/** The .wasm files of the Node build: what a Node bundle needs next to it. */
export const NODE_WASM_FILES = ['server/tc3_lighthouse_server_bg.wasm', 'sign/web/tc3_lighthouse_sign_bg.wasm'];

/** esbuild for browsers and workers: ES modules (the web entry uses top-level await). */
export const esbuildWeb = (entries) => [...entries, '--bundle', '--format=esm', '--minify', '--outdir=dist'];

/** bun build for browsers. */
export const bunBuild = (entries) => ['build', ...entries, '--target=browser', '--minify', '--outdir=dist'];

/** Rollup with the project's rollup.config.mjs. */
export const rollup = () => ['-c'];

/** esbuild bundling a Node program, as ES modules or CommonJS. */
export const esbuildNode = (entry, format, outfile) => [entry, '--bundle', '--platform=node', `--format=${format}`, `--outfile=${outfile}`];

/** Deno running a script with the package from node_modules: the API's host, the environment (credentials), reads (the .wasm). */
export const denoRun = (host, script) => ['run', `--allow-net=${host}`, '--allow-env', '--allow-read', script];

/** Bun running a script. */
export const bunRun = (script) => [script];
