//! `signRequest`.

use super::error::to_js;
use super::read;
use crate::tc3::request::{prepare, Input};
use crate::tc3::KeyCache;
use js_sys::{Object, Reflect};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;

thread_local! {
    // The derived key depends only on (SecretKey, day, service): one entry serves a whole session.
    static KEY_CACHE: RefCell<KeyCache> = RefCell::new(KeyCache::default());
}

/// Now in Unix seconds (fractional), from the JS clock.
pub fn now_seconds() -> f64 {
    js_sys::Date::now() / 1000.0
}

/// Signs with the shared key cache.
pub fn sign_cached(p: &crate::tc3::request::Prepared) -> crate::tc3::Signed {
    KEY_CACHE.with(|c| match c.try_borrow_mut() {
        Ok(mut cache) => p.sign(Some(&mut cache)),
        Err(_) => p.sign(None),
    })
}

fn read_input(v: &JsValue) -> Result<Input, crate::error::Error> {
    const L: &str = "input";
    let o = read::object(v, L)?;
    Ok(Input {
        secret_id: read::string(&o, "secretId", L)?,
        secret_key: read::string(&o, "secretKey", L)?,
        token: read::opt_string(&o, "token", L)?,
        service: read::opt_string(&o, "service", L)?,
        host: read::opt_string(&o, "host", L)?,
        action: read::string(&o, "action", L)?,
        version: read::opt_string(&o, "version", L)?,
        region: read::opt_string(&o, "region", L)?,
        language: read::opt_string(&o, "language", L)?,
        timestamp: {
            let t = read::get(&o, "timestamp", L)?;
            if read::absent(&t) {
                None
            } else {
                // Not a number at all (a string, a BigInt) is as wrong as a negative one.
                Some(t.as_f64().unwrap_or(f64::NAN))
            }
        },
        method: read::opt_string(&o, "method", L)?,
        content_type: read::opt_string(&o, "contentType", L)?,
        query: read::opt_string(&o, "query", L)?,
        payload: read::opt_string(&o, "payload", L)?,
    })
}

fn set(o: &Object, k: &str, v: &JsValue) {
    // Setting on a fresh plain object cannot fail.
    let _ = Reflect::set(o, &JsValue::from_str(k), v);
}

/// Signs a Tencent Cloud API 3.0 request (TC3-HMAC-SHA256) exactly as the official SDKs do, and
/// returns every stage and every header to send.
///
/// @example
/// const { headers } = signRequest({ secretId, secretKey, action: 'ResetInstance',
///   payload: JSON.stringify({ InstanceId: 'lhins-ruy9d2tw' }) });
#[wasm_bindgen(js_name = signRequest, unchecked_return_type = "SignedRequest")]
pub fn sign_request(#[wasm_bindgen(unchecked_param_type = "SignInput")] input: JsValue) -> Result<JsValue, JsValue> {
    let input = read_input(&input).map_err(to_js)?;
    let prepared = prepare(input, now_seconds().floor()).map_err(to_js)?;
    let signed = sign_cached(&prepared);
    let headers = Object::new();
    for (k, v) in prepared.headers(&signed) {
        set(&headers, k, &JsValue::from_str(&v));
    }
    let out = Object::new();
    set(&out, "authorization", &JsValue::from_str(&signed.authorization));
    set(&out, "signature", &JsValue::from_str(&signed.signature));
    set(&out, "canonicalRequest", &JsValue::from_str(&signed.canonical_request));
    set(&out, "stringToSign", &JsValue::from_str(&signed.string_to_sign));
    set(&out, "credentialScope", &JsValue::from_str(&signed.credential_scope));
    set(&out, "timestamp", &JsValue::from_f64(prepared.timestamp() as f64));
    set(&out, "headers", &headers);
    Ok(out.into())
}
