//! The binding layer: every `#[wasm_bindgen]` export and import lives under this module, and nothing
//! else in the crate knows about JavaScript. Only built for wasm32. Without the `client` feature it
//! is `signRequest` alone (the `tc3-lighthouse/sign` entry).

#[cfg(feature = "client")]
mod abort;
#[cfg(feature = "client")]
mod client;
#[cfg(feature = "client")]
mod credentials;
mod diagnostics;
mod error;
#[cfg(feature = "client")]
mod json;
#[cfg(feature = "client")]
mod lighthouse;
#[cfg(feature = "client")]
mod proxy;
#[cfg(feature = "client")]
mod read;
mod sign;
#[cfg(feature = "client")]
mod transport;
mod types;
#[cfg(feature = "client")]
mod waiter;

#[cfg(feature = "client")]
pub use lighthouse::{reset_instance, LighthouseClient};
#[cfg(feature = "client")]
pub use proxy::create_signing_proxy;
pub use sign::sign_request;
#[cfg(feature = "client")]
pub use waiter::{reset_instance_and_wait, reset_instances, set_rate_limit, wait_until_instance_reset};
