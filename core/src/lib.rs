//! The pure core of `tc3-lighthouse`: signing, error classification, backoff, the limiter's
//! arithmetic, the waiter's and reconciliation's decisions. No wasm types: time, sleep and
//! randomness are injected, so all of it is tested natively. A crate of its own so that the release
//! profile can build it for speed (it holds the signer's hot path) while the binding layer is
//! built for size.
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

pub mod credentials;
pub mod endpoint;
pub mod error;
pub mod hex;
pub mod rate_limit;
pub mod retry;
pub mod tc3;
pub mod uuid;
pub mod validate;
pub mod waiter;
