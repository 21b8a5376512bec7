//! The pure core of `tc3-lighthouse`: signing (the `tc3-lighthouse-signer` crate, re-exported),
//! error classification, backoff, the limiter's arithmetic, the waiter's and reconciliation's
//! decisions, and the machines that run them ([`machine`]: the call, the exactly-once reset, the
//! waits and the fleet, sans-IO). No wasm types: time, sleep and randomness are injected, so all of
//! it is tested natively.
//!
//! ```
//! use tc3_lighthouse_core::tc3::{sign, SignParams};
//! let out = sign(&SignParams {
//!     secret_id: "AKIDEXAMPLE",
//!     secret_key: "secret",
//!     service: "lighthouse",
//!     host: "lighthouse.tencentcloudapi.com",
//!     method: "POST",
//!     content_type: "application/json",
//!     query: "",
//!     payload: br#"{"InstanceId":"lhins-abcd1234"}"#,
//!     timestamp: 1_700_000_000,
//! }, None);
//! assert!(out.authorization.starts_with("TC3-HMAC-SHA256 Credential=AKIDEXAMPLE/2023-11-14/lighthouse/tc3_request"));
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub use tc3_lighthouse_signer::{calendar, error, hex, tc3};

pub mod credentials;
pub mod endpoint;
pub mod machine;
pub mod rate_limit;
pub mod retry;
pub mod uuid;
pub mod validate;
pub mod waiter;
