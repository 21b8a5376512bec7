//! `signRequest`.

use super::error::to_js;
use crate::tc3::packed::{field_error, finish, unpack, PayloadSlot, Unpacked, TIMESTAMP};
use crate::tc3::request::{prepare, Input};
use crate::tc3::KeyCache;
use std::cell::{Cell, RefCell};
use wasm_bindgen::prelude::*;

thread_local! {
    // The derived key depends only on (SecretKey, day, service): one entry serves a whole session.
    static KEY_CACHE: RefCell<KeyCache> = RefCell::new(KeyCache::default());
}

/// Now in Unix seconds (fractional), from the JS clock.
#[cfg_attr(not(feature = "client"), allow(dead_code))]
pub fn now_seconds() -> f64 {
    js_sys::Date::now() / 1000.0
}

/// Signs with the shared key cache.
#[cfg_attr(not(feature = "client"), allow(dead_code))]
pub fn sign_cached(p: &crate::tc3::request::Prepared) -> crate::tc3::Signed {
    KEY_CACHE.with(|c| match c.try_borrow_mut() {
        Ok(mut cache) => p.sign(Some(&mut cache)),
        Err(_) => p.sign(None),
    })
}

#[wasm_bindgen(module = "/js/glue.js")]
extern "C" {
    #[wasm_bindgen(js_name = takePacked)]
    fn take_packed() -> String;
    #[wasm_bindgen(js_name = packSignInputInto)]
    fn pack_sign_input_into(input: &JsValue) -> i32;
    #[wasm_bindgen(js_name = setScratch)]
    fn set_scratch(memory: &JsValue, ptr: u32, len: u32);
    #[wasm_bindgen(js_name = signPayload)]
    fn sign_payload() -> Option<String>;
    #[wasm_bindgen(js_name = signField)]
    fn sign_field(input: &JsValue, index: u32) -> JsValue;
    #[wasm_bindgen(js_name = isThrew)]
    fn is_threw(value: &JsValue) -> bool;
    #[wasm_bindgen(js_name = signedResult)]
    fn signed_result(packed: &str, timestamp: f64, present: u32) -> JsValue;
}

/// Bytes the glue may write the packed input into; larger inputs cross as a string.
const SCRATCH_LEN: usize = 16 * 1024;

thread_local! {
    // Written by the glue (TextEncoder.encodeInto straight into wasm memory): no allocation and no
    // byte-by-byte copy in JS per call. Cells, because JS writes them behind Rust's back.
    static SCRATCH: &'static [Cell<u8>] = {
        let cells = Cell::from_mut(Box::leak(vec![0u8; SCRATCH_LEN].into_boxed_slice())).as_slice_of_cells();
        set_scratch(&wasm_bindgen::memory(), cells.as_ptr() as u32, SCRATCH_LEN as u32);
        cells
    };
}

/// The packed input (see `tc3::packed`): through the scratch buffer when it fits.
fn packed_input(v: &JsValue) -> String {
    let cells = SCRATCH.with(|s| *s);
    let n = pack_sign_input_into(v);
    match usize::try_from(n).ok().and_then(|n| cells.get(..n)) {
        Some(written) => {
            // Taken and wiped, so the fixed area does not keep the last SecretKey (the heap copies
            // made from here on are freed like any string).
            let bytes: Vec<u8> = written.iter().map(|c| c.replace(0)).collect();
            // encodeInto writes UTF-8; anything else is a bug of ours, refused rather than trusted.
            String::from_utf8(bytes).unwrap_or_else(|_| "\u{1}300".to_owned())
        }
        None => take_packed(),
    }
}

fn read_input(v: &JsValue) -> Result<Input, crate::error::Error> {
    match unpack(&packed_input(v))? {
        Unpacked::Fields(mut input, slot) => {
            if slot == PayloadSlot::Aside {
                input.payload = sign_payload();
            }
            Ok(input)
        }
        Unpacked::FieldByField => read_field_by_field(v),
    }
}

/// The slow path, for inputs with NUL characters outside the payload.
fn read_field_by_field(v: &JsValue) -> Result<Input, crate::error::Error> {
    let mut fields: [Option<String>; 14] = Default::default();
    for (i, slot) in fields.iter_mut().enumerate() {
        if i == TIMESTAMP {
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
    let t = sign_field(v, TIMESTAMP as u32);
    if is_threw(&t) {
        return Err(field_error(TIMESTAMP, "could not be read: its getter threw."));
    }
    // Not a number at all (a string, a BigInt) is as wrong as a negative one.
    let timestamp = if t.is_undefined() || t.is_null() { None } else { Some(t.as_f64().unwrap_or(f64::NAN)) };
    finish(fields, timestamp)
}

/// Signs a Tencent Cloud API 3.0 request (TC3-HMAC-SHA256) exactly as the official SDKs do, and
/// returns every stage and every header to send.
///
/// @example
/// const { headers } = signRequest({ secretId, secretKey, action: 'ResetInstance',
///   payload: JSON.stringify({ InstanceId: 'lhins-ruy9d2tw' }) });
#[wasm_bindgen(js_name = signRequest, unchecked_return_type = "SignedRequest")]
pub fn sign_request(#[wasm_bindgen(unchecked_param_type = "SignInput")] input: &JsValue) -> Result<JsValue, JsValue> {
    let input = read_input(input).map_err(to_js)?;
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
