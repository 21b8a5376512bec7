//! The signer of `tc3-lighthouse`: TC3-HMAC-SHA256 ([`tc3`]), the checks of a request's fields, and
//! the [`error`] type every failure becomes. Pure: no wasm types, and time is a parameter. A crate
//! of its own because it is the hot path: the release profile builds it for speed, while the rest
//! of the core and the binding layer are built for size.
//!
//! ```
//! use tc3_lighthouse_signer::tc3::{sign, SignParams};
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

pub mod calendar;
pub mod error;
pub mod hex;
pub mod tc3;
