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

/// Checks that `v` is a plain object (not null, an array or a function) and returns it.
pub fn object(v: &JsValue, label: &str) -> Result<js_sys::Object, Error> {
    if v.is_object() && !js_sys::Array::is_array(v) {
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
