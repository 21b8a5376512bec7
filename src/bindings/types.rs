//! The package's TypeScript declarations are hand-written in `js/types/` (sign, client, node) and
//! concatenated per entry by `scripts/build-types.mjs`; nothing here feeds them. The
//! `unchecked_*_type` attributes on the exports only shape wasm-bindgen's own generated `.d.ts`,
//! which is not what the package publishes as its types.
