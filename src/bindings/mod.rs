//! The binding layer: every `#[wasm_bindgen]` export and import lives under this module, and nothing
//! else in the crate knows about JavaScript. Only built for wasm32. Without the `client` feature it
//! is `signRequest` alone (the `tc3-lighthouse/sign` entry).
//!
//! With it: the inputs are read and checked (`read`, `config`, `inputs`), a machine of the core is
//! built (`jobs`), and the one driver (`drive`: a synchronous step in Rust, its loop over fetch, timers
//! and the signal in `js/driver.js`) runs it, decoding answers (`transport`) and asking the credentials
//! source (`credentials`); `output` turns its result into JS values.

mod allocator;
#[cfg(feature = "client")]
mod client;
#[cfg(feature = "client")]
mod config;
#[cfg(feature = "client")]
mod credentials;
mod diagnostics;
#[cfg(feature = "client")]
mod drive;
mod error;
#[cfg(feature = "client")]
mod functions;
#[cfg(feature = "client")]
mod inputs;
#[cfg(feature = "client")]
mod jobs;
#[cfg(feature = "journal")]
mod journal;
#[cfg(feature = "client")]
mod json;
#[cfg(feature = "client")]
mod output;
#[cfg(feature = "proxy")]
mod proxy;
#[cfg(feature = "client")]
mod read;
mod sign;
#[cfg(feature = "client")]
mod transport;
mod types;

#[cfg(feature = "client")]
pub use client::LighthouseClient;
#[cfg(feature = "client")]
pub use functions::{
    reset_instance, reset_instance_and_wait, reset_instances, set_rate_limit, wait_until_instance_reset,
};
#[cfg(feature = "proxy")]
pub use proxy::create_signing_proxy;
pub use sign::sign_request;
