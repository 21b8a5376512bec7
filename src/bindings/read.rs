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
