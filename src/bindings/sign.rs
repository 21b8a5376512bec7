//! `signRequest`.

use super::error::to_js;
use crate::tc3::request::{prepare, Input};
use crate::tc3::KeyCache;
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

#[wasm_bindgen(module = "/js/glue.js")]
extern "C" {
    #[wasm_bindgen(js_name = signField)]
    fn sign_field(input: &JsValue, index: u32) -> JsValue;
    #[wasm_bindgen(js_name = isThrew)]
    fn is_threw(value: &JsValue) -> bool;
    #[wasm_bindgen(js_name = signedResult)]
    fn signed_result(packed: &str, timestamp: f64, present: u32) -> JsValue;
}

/// The fields of `SignInput`, in the order of `SIGN_KEYS` in js/glue.js.
const FIELDS: [&str; 14] = [
    "secretId",
    "secretKey",
    "token",
    "service",
    "host",
    "action",
    "version",
    "region",
    "language",
    "timestamp",
    "method",
    "contentType",
    "query",
    "payload",
];

fn field_error(index: usize, what: &str) -> crate::error::Error {
    let name = FIELDS.get(index).copied().unwrap_or("?");
    crate::error::Error::invalid_argument(["`input.", name, "` ", what].concat())
}

/// Reads field `index`: `None` when absent, an error when it is not a string or its getter threw.
fn text(input: &JsValue, index: usize) -> Result<Option<String>, crate::error::Error> {
    let v = sign_field(input, index as u32);
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    if is_threw(&v) {
        return Err(field_error(index, "could not be read: its getter threw."));
    }
    v.as_string().map(Some).ok_or_else(|| field_error(index, "must be a string."))
}

fn required(input: &JsValue, index: usize) -> Result<String, crate::error::Error> {
    match text(input, index)? {
        Some(s) if !s.is_empty() => Ok(s),
        Some(_) => Err(field_error(index, "must not be empty.")),
        None => Err(field_error(index, "is required (a string).")),
    }
}

fn read_input(v: &JsValue) -> Result<Input, crate::error::Error> {
    if !v.is_object() || js_sys::Array::is_array(v) {
        return Err(crate::error::Error::invalid_argument("`input` must be an object."));
    }
    let timestamp = {
        let t = sign_field(v, 9);
        if is_threw(&t) {
            return Err(field_error(9, "could not be read: its getter threw."));
        }
        // Not a number at all (a string, a BigInt) is as wrong as a negative one.
        if t.is_undefined() || t.is_null() {
            None
        } else {
            Some(t.as_f64().unwrap_or(f64::NAN))
        }
    };
    Ok(Input {
        secret_id: required(v, 0)?,
        secret_key: required(v, 1)?,
        token: text(v, 2)?,
        service: text(v, 3)?,
        host: text(v, 4)?,
        action: required(v, 5)?,
        version: text(v, 6)?,
        region: text(v, 7)?,
        language: text(v, 8)?,
        timestamp,
        method: text(v, 10)?,
        content_type: text(v, 11)?,
        query: text(v, 12)?,
        payload: text(v, 13)?,
    })
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
    let p = prepare(input, now_seconds().floor()).map_err(to_js)?;
    let s = sign_cached(&p);
    // One string crosses to JS (one UTF-8 decode instead of a dozen); NUL cannot occur in any part.
    let (region, token, language) = (p.region(), p.token(), p.language());
    let mut packed = String::with_capacity(
        s.authorization.len() + s.canonical_request.len() + s.string_to_sign.len() + 256 + p.host().len(),
    );
    for part in [
        s.authorization.as_str(),
        &s.signature,
        &s.canonical_request,
        &s.string_to_sign,
        &s.credential_scope,
        p.content_type(),
        p.host(),
        p.action(),
        p.version(),
        region.unwrap_or_default(),
        token.unwrap_or_default(),
        language.unwrap_or_default(),
    ] {
        packed.push_str(part);
        packed.push('\0');
    }
    let present = u32::from(region.is_some()) | u32::from(token.is_some()) << 1 | u32::from(language.is_some()) << 2;
    Ok(signed_result(&packed, p.timestamp() as f64, present))
}
