//! The binding layer: every `#[wasm_bindgen]` export and import lives under this module, and nothing
//! else in the crate knows about JavaScript. Only built for wasm32.

mod abort;
mod client;
mod credentials;
mod diagnostics;
mod error;
mod json;
mod lighthouse;
mod proxy;
mod read;
mod sign;
mod transport;
mod types;
mod waiter;

pub use lighthouse::{reset_instance, LighthouseClient};
pub use proxy::create_signing_proxy;
pub use sign::sign_request;
pub use waiter::{set_rate_limit, wait_until_instance_reset};
