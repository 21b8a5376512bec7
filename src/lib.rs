//! `tc3-lighthouse`: sign Tencent Cloud API 3.0 requests (TC3-HMAC-SHA256) and reset Tencent Cloud
//! Lighthouse instances from JavaScript, through WebAssembly.
//!
//! The pure core, with no wasm types and tested natively, is two crates re-exported here module by
//! module: `tc3-lighthouse-signer` (the signer, the checks of its input, the error type; built for
//! speed) and `tc3-lighthouse-core` (error classification's uses, backoff, the limiter's arithmetic,
//! the waiter's and reconciliation's decisions; built for size). This crate is the thin binding layer
//! (`bindings`, wasm32 only) where every `#[wasm_bindgen]` export lives.
//!
//! ```
//! use tc3_lighthouse::tc3::{sign, SignParams};
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

pub use tc3_lighthouse_core::{
    calendar, credentials, endpoint, error, hex, rate_limit, retry, tc3, uuid, validate, waiter,
};

#[cfg(target_arch = "wasm32")]
pub mod bindings;
