//! Hooks for the project's own benchmarks and leak tests (not part of the documented API).

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The size of the wasm linear memory in bytes, for leak tests.
#[wasm_bindgen(js_name = __wasmMemoryBytes, skip_typescript)]
pub fn wasm_memory_bytes() -> f64 {
    wasm_bindgen::memory()
        .dyn_into::<js_sys::WebAssembly::Memory>()
        .map(|m| f64::from(m.buffer().unchecked_into::<js_sys::ArrayBuffer>().byte_length()))
        .unwrap_or(0.0)
}

/// SHA-256 hex of a string's UTF-8, for measuring the in-wasm hashing limit against signing.
#[wasm_bindgen(js_name = __benchSha256, skip_typescript)]
pub fn bench_sha256(s: &str) -> String {
    crate::tc3::sha256_hex(s.as_bytes())
}
