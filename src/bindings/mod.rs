//! The binding layer: every `#[wasm_bindgen]` export and import lives under this module, and nothing
//! else in the crate knows about JavaScript. Only built for wasm32.

mod error;
mod read;
mod sign;
mod types;

pub use sign::sign_request;
