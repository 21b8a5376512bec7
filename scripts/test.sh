#!/usr/bin/env bash
# npm test: set up what is missing, then test every layer. Fails on the first red step.
set -euo pipefail
cd "$(dirname "$0")/.."

# Hermetic credentials: every client's default chain (env -> profile -> TKE OIDC -> CVM role) must never read
# this machine's ~/.tencentcloud or /etc/tencentcloud, nor leave 127.0.0.1 for the metadata service. Tests that
# need a profile, OIDC or the metadata service give their own file, variables or endpoint (the local API).
export TENCENTCLOUD_CREDENTIALS_FILE=/nonexistent/tc3-lighthouse-tests/credentials
export TENCENTCLOUD_METADATA_DISABLED=true
unset TENCENTCLOUD_PROFILE TENCENTCLOUD_METADATA_ENDPOINT TENCENTCLOUD_STS_ENDPOINT TKE_ROLE_ARN TKE_PROVIDER_ID TKE_WEB_IDENTITY_TOKEN_FILE TKE_REGION

step() { printf '\n=== %s\n' "$*"; }

step "setup"
bash scripts/setup.sh
# The matrix's tools (bundlers, runtimes, linters, TypeScript 7), which the type tests use too.
bash scripts/matrix-setup.sh

step "format and lints"
cargo fmt --all --check
# Biome: the JS linter and formatter, over every hand-written .js/.mjs/.cjs (biome.json says which).
node_modules/.bin/biome check .
cargo clippy --workspace --all-targets -- -D warnings
cargo clippy --workspace --target wasm32-unknown-unknown --all-targets -- -D warnings
# The signer-only build (tc3-lighthouse/sign).
cargo clippy --target wasm32-unknown-unknown --no-default-features --all-targets -- -D warnings
# The page build: the client and the logger, without the signing proxy and the journal.
cargo clippy --target wasm32-unknown-unknown --no-default-features --features client,log --all-targets -- -D warnings

step "native: cargo test (the pure core crate, every signing vector, the fuzz properties)"
cargo test --workspace

step "wasm in Node: wasm-bindgen-test"
cargo test --target wasm32-unknown-unknown

step "wasm in headless Chromium: wasm-bindgen-test"
# Headless Chromium on this VM now and then never answers the driver ("Timed out receiving message from
# renderer", after 300 s) before a test has run; the next launch works. One more launch then, never more: a
# test that fails fails both.
if ! WASM_BINDGEN_USE_BROWSER=1 cargo test --target wasm32-unknown-unknown; then
  echo "test: headless Chromium failed once; launching it again" >&2
  WASM_BINDGEN_USE_BROWSER=1 cargo test --target wasm32-unknown-unknown
fi

step "build the package (pkg/)"
node scripts/build.mjs

step "TypeScript: the declarations as a strict user sees them (tsc --noEmit)"
node_modules/.bin/tsc -p tests/types
node_modules/.bin/tsc -p tests/types/tsconfig.node-nodom.json
node_modules/.bin/tsc -p tests/types/tsconfig.browser.json
node_modules/.bin/tsc -p tests/types/tsconfig.workerd.json

step "node --test: the package via import and require, the CLI, hardening, the local API, the browser suites"
node --test --test-concurrency=1 tests/js/ local-api/ tests/browser/

step "environment matrix: the packed tarball in Vite, webpack, esbuild, Rollup, bun build (Chromium), a Vite module worker, Deno, Bun, workerd, Node bundles; publint and attw"
node --test --test-concurrency=1 tests/matrix/

step "README: every JavaScript, TypeScript and HTML example run against the local API from the packed tarball"
node --test --test-concurrency=1 tests/readme/

step "benchmark smoke run (timings never fail it) and the browser payload size guard"
node bench/run.mjs --quick
# The signer entry is held to the 40 KB budget. The whole package (client, waiters, proxy) does not
# meet it (bench/README.md says why); a ceiling catches its growth meanwhile: 76.2 KB with the driver's loop
# in JS and the browser JS minified, and a 1.9 KB margin (the Node-only credential providers are not in the
# payload: tests/js/credentials-entries.test.mjs).
node bench/size-check.mjs pkg/sign/web
node bench/size-check.mjs --ceiling 79872 pkg/web
