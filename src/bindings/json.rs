//! JSON through the host's own parser (no Rust JSON library in the wasm). Failures come back as
//! `None`, not as exceptions: a caught exception per bad answer cost a table slot that was never
//! given back.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/js/glue.js")]
extern "C" {
    #[wasm_bindgen(js_name = parseJson)]
    fn parse_json(text: &str) -> JsValue;
    #[wasm_bindgen(js_name = stringifyJson)]
    fn stringify_json(value: &JsValue) -> Option<String>;
}

/// `JSON.parse`, or `None` when `text` is not JSON.
pub fn parse(text: &str) -> Option<JsValue> {
    let v = parse_json(text);
    (!v.is_undefined()).then_some(v)
}

/// `JSON.stringify`, or `None` when the value cannot be serialised.
pub fn stringify(value: &JsValue) -> Option<String> {
    stringify_json(value)
}
