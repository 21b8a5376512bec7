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
    #[wasm_bindgen(js_name = packSignInput)]
    fn pack_sign_input(input: &JsValue) -> String;
    #[wasm_bindgen(js_name = signPayload)]
    fn sign_payload() -> Option<String>;
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

fn required(v: Option<String>, index: usize) -> Result<String, crate::error::Error> {
    match v {
        Some(s) if !s.is_empty() => Ok(s),
        Some(_) => Err(field_error(index, "must not be empty.")),
        None => Err(field_error(index, "is required (a string).")),
    }
}

fn read_input(v: &JsValue) -> Result<Input, crate::error::Error> {
    let packed = pack_sign_input(v);
    let mut fields: [Option<String>; 14] = Default::default();
    let code = packed.strip_prefix('\u{1}').map(|c| c.parse::<u32>().unwrap_or(300));
    let timestamp = match code {
        None => {
            // Thirteen fields, then the payload (inline, or kept aside when large).
            let mut rest = packed.as_str();
            let mut timestamp = None;
            for (i, slot) in fields.iter_mut().enumerate().take(13) {
                let (part, tail) = rest.split_once('\0').unwrap_or((rest, ""));
                rest = tail;
                if i == 9 {
                    // Digits of an integer in range, checked by the glue; anything else is refused.
                    timestamp = match part.strip_prefix('1') {
                        Some(d) => Some(d.parse::<u64>().map_or(f64::NAN, |t| t as f64)),
                        None if part == "0" => None,
                        None => Some(f64::NAN),
                    };
                } else {
                    *slot = part.strip_prefix('1').map(str::to_owned);
                }
            }
            if let Some(slot) = fields.get_mut(13) {
                *slot = match rest.as_bytes().first() {
                    Some(b'1') => rest.get(1..).map(str::to_owned),
                    Some(b'2') => sign_payload(),
                    _ => None,
                };
            }
            timestamp
        }
        Some(code) => {
            if code >= 1000 {
                return Err(field_error((code - 1000) as usize, "could not be read: its getter threw."));
            } else if code >= 300 {
                return Err(crate::error::Error::invalid_argument("`input` must be an object."));
            } else if code < 200 {
                return Err(field_error(code.saturating_sub(100) as usize, "must be a string."));
            }
            // A NUL in a field other than the payload: read them one by one.
            for (i, slot) in fields.iter_mut().enumerate() {
                if i == 9 {
                    continue;
                }
                let f = sign_field(v, i as u32);
                *slot = match f.as_string() {
                    Some(s) => Some(s),
                    None if f.is_undefined() || f.is_null() => None,
                    None if is_threw(&f) => return Err(field_error(i, "could not be read: its getter threw.")),
                    None => return Err(field_error(i, "must be a string.")),
                };
            }
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
        }
    };
    let [secret_id, secret_key, token, service, host, action, version, region, language, _, method, content_type, query, payload] =
        fields;
    Ok(Input {
        secret_id: required(secret_id, 0)?,
        secret_key: required(secret_key, 1)?,
        token,
        service,
        host,
        action: required(action, 5)?,
        version,
        region,
        language,
        timestamp,
        method,
        content_type,
        query,
        payload,
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
    // The clock is read only when no timestamp was given.
    let now = if input.timestamp.is_some() { 0.0 } else { now_seconds().floor() };
    let p = prepare(input, now).map_err(to_js)?;
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
