//! Reading user input from JS objects: every failure names the field, and nothing here panics or
//! echoes a value back (it may be a secret).

use crate::error::Error;
use js_sys::Reflect;
use wasm_bindgen::{JsCast, JsValue};

/// `label` + `.` + `name` for messages, e.g. `input.secretId`.
pub fn path(label: &str, name: &str) -> String {
    let mut s = String::with_capacity(label.len() + name.len() + 1);
    s.push_str(label);
    s.push('.');
    s.push_str(name);
    s
}

fn msg(parts: &[&str]) -> String {
    parts.concat()
}

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    // `Array.isArray` throws on a revoked Proxy: caught, like every read of user input.
    #[wasm_bindgen(js_namespace = Array, js_name = isArray, catch)]
    fn is_array_js(v: &JsValue) -> Result<bool, JsValue>;
    // `Object.keys` runs a Proxy's ownKeys and getOwnPropertyDescriptor traps: caught too.
    #[wasm_bindgen(js_namespace = Object, js_name = keys, catch)]
    fn keys_js(v: &JsValue) -> Result<js_sys::Array, JsValue>;
}

/// The keys of `ClientConfig`.
pub const CLIENT_KEYS: &[&str] = &[
    "credentials",
    "region",
    "endpoint",
    "service",
    "language",
    "timeoutMs",
    "maxAttempts",
    "fetch",
    "unsigned",
    "rateLimit",
    "logger",
];
/// The keys of `CallOptions`.
pub const CALL_KEYS: &[&str] = &["signal", "timeoutMs"];
/// The keys of `WaiterOptions`.
pub const WAITER_KEYS: &[&str] =
    &["signal", "timeoutMs", "maxWaitSeconds", "minDelaySeconds", "maxDelaySeconds", "onProgress"];
/// `resetInstanceAndWait`'s key beyond `WaiterOptions`.
pub const IDLE_KEYS: &[&str] = &["waitForIdle"];
/// `ResetInstancesOptions`' keys beyond `WaiterOptions`.
pub const FLEET_KEYS: &[&str] = &["wait", "concurrency", "journal"];
/// `SigningProxyConfig`'s keys beyond `ClientConfig`.
#[cfg(feature = "proxy")]
pub const PROXY_KEYS: &[&str] = &["allowActions", "maxBodyBytes"];

/// Edit distance of `a` to `b`, ignoring ASCII case, for did-you-mean. `b` is a known key (at most
/// 23 bytes; longer ones never match).
fn distance(a: &[u8], b: &[u8]) -> usize {
    let mut row = [0usize; 24];
    for (j, r) in row.iter_mut().enumerate() {
        *r = j;
    }
    for (i, ca) in a.iter().enumerate() {
        let (mut diagonal, mut left) = (i, i + 1);
        for (cb, up) in b.iter().zip(row.iter_mut().skip(1)) {
            let here = (diagonal + usize::from(!ca.eq_ignore_ascii_case(cb))).min(left + 1).min(*up + 1);
            diagonal = *up;
            *up = here;
            left = here;
        }
        if let Some(first) = row.first_mut() {
            *first = i + 1;
        }
    }
    row.get(b.len()).copied().unwrap_or(usize::MAX)
}

/// Refuses an own key of the options object `v` that is in none of `groups`, naming it (and the
/// nearest known key when it is close: `regoin`, `Region`, `timeout`). Absent is fine; anything else
/// must be an object. An own `__proto__` key (from `JSON.parse`) is data, never read: not refused.
pub fn only_known(v: &JsValue, label: &str, groups: &[&[&str]]) -> Result<(), Error> {
    if absent(v) {
        return Ok(());
    }
    object(v, label)?;
    let keys = keys_js(v).map_err(|_| {
        Error::invalid_argument(msg(&["`", label, "` could not be read: a getter or Proxy trap threw."]))
    })?;
    'keys: for key in keys.iter() {
        let key = key.as_string().unwrap_or_default();
        if key == "__proto__" {
            continue;
        }
        let shown = if key.len() > 64 { key.get(..64).unwrap_or("(a long key)") } else { &key };
        let (mut best, mut best_distance) = ("", 3);
        for &k in groups.iter().flat_map(|g| g.iter()) {
            if k == key {
                continue 'keys;
            }
            let d = distance(shown.as_bytes(), k.as_bytes());
            if d < best_distance && 2 * d < k.len() {
                (best, best_distance) = (k, d);
            }
        }
        let (a, b) = if best.is_empty() { ("", "") } else { (" (did you mean `", "`?)") };
        return Err(Error::invalid_argument(msg(&[
            "`",
            label,
            ".",
            shown,
            "` is not a known option",
            a,
            best,
            b,
            ".",
        ])));
    }
    Ok(())
}

/// Whether `v` is an array; a value that throws when asked (a revoked Proxy) is an error.
pub fn is_array(v: &JsValue, label: &str) -> Result<bool, Error> {
    is_array_js(v).map_err(|_| Error::invalid_argument(msg(&["`", label, "` could not be read (a revoked Proxy?)."])))
}

/// The items of an array of at most `max` items, read one by one so that a throwing getter or
/// Proxy trap becomes an error naming `label`.
pub fn array_items(v: &JsValue, label: &str, max: u32) -> Result<Vec<JsValue>, Error> {
    let unreadable =
        || Error::invalid_argument(msg(&["`", label, "` could not be read: a getter or Proxy trap threw."]));
    let len = Reflect::get(v, &"length".into()).map_err(|_| unreadable())?.as_f64().unwrap_or(0.0);
    if !(0.0..=f64::from(max)).contains(&len) {
        let mut buf = [0u8; 20];
        let n = crate::tc3::u64_to_str(u64::from(max), &mut buf);
        return Err(Error::invalid_argument(msg(&["`", label, "` must have at most ", n, " items."])));
    }
    (0..len as u32).map(|i| Reflect::get_u32(v, i).map_err(|_| unreadable())).collect()
}

/// Checks that `v` is a plain object (not null, an array or a function) and returns it.
pub fn object(v: &JsValue, label: &str) -> Result<js_sys::Object, Error> {
    if v.is_object() && !is_array(v, label)? {
        Ok(v.clone().unchecked_into())
    } else {
        Err(Error::invalid_argument(msg(&["`", label, "` must be an object."])))
    }
}

/// Reads a property; a throwing getter or proxy becomes a clear error.
pub fn get(obj: &js_sys::Object, name: &str, label: &str) -> Result<JsValue, Error> {
    Reflect::get(obj, &JsValue::from_str(name))
        .map_err(|_| Error::invalid_argument(msg(&["Reading `", &path(label, name), "` threw."])))
}

/// `o[k]`, or `undefined` when `o` has no properties or the read throws. Non-objects are not asked
/// at all: every exception that crosses into wasm costs a table slot.
pub fn property(o: &JsValue, k: &str) -> JsValue {
    if o.is_object() || o.is_function() {
        Reflect::get(o, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED)
    } else {
        JsValue::UNDEFINED
    }
}

/// Whether the value counts as absent (`undefined` or `null`).
pub fn absent(v: &JsValue) -> bool {
    v.is_undefined() || v.is_null()
}

/// A required non-empty string.
pub fn string(obj: &js_sys::Object, name: &str, label: &str) -> Result<String, Error> {
    match opt_string(obj, name, label)? {
        Some(s) if !s.is_empty() => Ok(s),
        Some(_) => Err(Error::invalid_argument(msg(&["`", &path(label, name), "` must not be empty."]))),
        None => Err(Error::invalid_argument(msg(&["`", &path(label, name), "` is required (a string)."]))),
    }
}

/// An optional string (`undefined`/`null` = absent); anything but a string is an error.
pub fn opt_string(obj: &js_sys::Object, name: &str, label: &str) -> Result<Option<String>, Error> {
    let v = get(obj, name, label)?;
    if absent(&v) {
        return Ok(None);
    }
    v.as_string()
        .map(Some)
        .ok_or_else(|| Error::invalid_argument(msg(&["`", &path(label, name), "` must be a string."])))
}

/// An optional finite number.
pub fn opt_number(obj: &js_sys::Object, name: &str, label: &str) -> Result<Option<f64>, Error> {
    let v = get(obj, name, label)?;
    if absent(&v) {
        return Ok(None);
    }
    match v.as_f64() {
        Some(n) if n.is_finite() => Ok(Some(n)),
        _ => Err(Error::invalid_argument(msg(&["`", &path(label, name), "` must be a finite number."]))),
    }
}

/// An optional positive finite number (timeouts, delays).
pub fn opt_positive(obj: &js_sys::Object, name: &str, label: &str) -> Result<Option<f64>, Error> {
    match opt_number(obj, name, label)? {
        Some(n) if n > 0.0 => Ok(Some(n)),
        Some(_) => Err(Error::invalid_argument(msg(&["`", &path(label, name), "` must be a positive number."]))),
        None => Ok(None),
    }
}

/// An optional boolean.
pub fn opt_bool(obj: &js_sys::Object, name: &str, label: &str) -> Result<Option<bool>, Error> {
    let v = get(obj, name, label)?;
    if absent(&v) {
        return Ok(None);
    }
    v.as_bool()
        .map(Some)
        .ok_or_else(|| Error::invalid_argument(msg(&["`", &path(label, name), "` must be a boolean."])))
}

/// One of a fixed set of values.
pub fn one_of(value: &str, allowed: &[&str], field: &str) -> Result<(), Error> {
    if allowed.contains(&value) {
        Ok(())
    } else {
        let mut m = String::from("`");
        m.push_str(field);
        m.push_str("` must be one of ");
        for (i, a) in allowed.iter().enumerate() {
            if i > 0 {
                m.push_str(", ");
            }
            m.push('"');
            m.push_str(a);
            m.push('"');
        }
        m.push('.');
        Err(Error::invalid_argument(m))
    }
}
