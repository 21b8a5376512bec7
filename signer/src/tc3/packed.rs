//! The one-string form in which `signRequest`'s input crosses from JavaScript (built by
//! `packSignInput` in js/glue.js): one crossing instead of one per field.
//!
//! Fourteen fields in the order of [`FIELDS`], each led by a flag: `1` present, `0` absent. The
//! first thirteen end with NUL; the timestamp is `1` and decimal digits (an integer Unix time the
//! glue has range-checked) or `2` (anything else, refused). The payload comes last, unterminated, so
//! it alone may hold NULs: `1` and the text, or `2` when the glue kept a large body aside (fetched
//! by a second call, without a copy into this string). A bad input is `\u{1}` and a code instead:
//! `1000 + i` when field `i`'s getter threw, `100 + i` when it has the wrong type, `200` when a
//! field other than the payload holds a NUL (read field by field then), `300` when the input is not
//! an object.
//!
//! ```
//! use tc3_lighthouse_signer::tc3::packed::{unpack, Unpacked, PayloadSlot};
//! let packed = ["1AKIDEXAMPLE", "1secret", "0", "0", "0", "1ResetInstance", "0", "0", "0", "11700000000", "0", "0", "0", "1{}"].join("\0");
//! let Unpacked::Fields(input, PayloadSlot::Inline) = unpack(&packed).unwrap() else { panic!() };
//! assert_eq!((input.action.as_str(), input.timestamp, input.payload.as_deref()), ("ResetInstance", Some(1.7e9), Some("{}")));
//! ```

use super::request::Input;
use crate::error::Error;

/// The fields of `SignInput`, in the order of `SIGN_KEYS` in js/glue.js.
pub const FIELDS: [&str; 14] = [
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

/// The index of `timestamp` in [`FIELDS`].
pub const TIMESTAMP: usize = 9;

/// Where the payload is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayloadSlot {
    /// In the input (or absent).
    Inline,
    /// Kept aside by the glue: fetch it and store it in `Input::payload`.
    Aside,
}

/// What a packed string holds.
#[derive(Debug)]
#[allow(clippy::large_enum_variant)] // Returned once per call: a Box would cost an allocation on the hot path.
pub enum Unpacked {
    /// Every field; the required ones are still to be checked by [`finish`].
    Fields(Input, PayloadSlot),
    /// A field other than the payload holds NUL: read the fields one by one.
    FieldByField,
}

/// The error for field `index`.
pub fn field_error(index: usize, what: &str) -> Error {
    let name = FIELDS.get(index).copied().unwrap_or("?");
    Error::invalid_argument(["`input.", name, "` ", what].concat())
}

fn required(v: Option<String>, index: usize) -> Result<String, Error> {
    match v {
        Some(s) if !s.is_empty() => Ok(s),
        Some(_) => Err(field_error(index, "must not be empty.")),
        None => Err(field_error(index, "is required (a string).")),
    }
}

/// Builds an [`Input`] from the fields in [`FIELDS`] order (the timestamp's slot is ignored),
/// refusing a missing or empty secretId, secretKey or action.
pub fn finish(fields: [Option<String>; 14], timestamp: Option<f64>) -> Result<Input, Error> {
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

/// Decodes a packed input (see the module's docs). Never panics, whatever the string.
pub fn unpack(packed: &str) -> Result<Unpacked, Error> {
    if let Some(code) = packed.strip_prefix('\u{1}') {
        let code = code.parse::<u32>().unwrap_or(300);
        return Err(if code >= 1000 {
            field_error((code - 1000) as usize, "could not be read: its getter threw.")
        } else if code >= 300 {
            Error::invalid_argument("`input` must be an object.")
        } else if code >= 200 {
            return Ok(Unpacked::FieldByField);
        } else {
            field_error(code.saturating_sub(100) as usize, "must be a string.")
        });
    }
    let mut fields: [Option<String>; 14] = Default::default();
    let mut rest = packed;
    let mut timestamp = None;
    for (i, slot) in fields.iter_mut().enumerate().take(13) {
        let (part, tail) = rest.split_once('\0').unwrap_or((rest, ""));
        rest = tail;
        if i == TIMESTAMP {
            timestamp = match part.strip_prefix('1') {
                Some(d) => Some(d.parse::<u64>().map_or(f64::NAN, |t| t as f64)),
                None if part == "0" => None,
                None => Some(f64::NAN),
            };
        } else {
            *slot = part.strip_prefix('1').map(str::to_owned);
        }
    }
    let mut aside = PayloadSlot::Inline;
    if let Some(slot) = fields.get_mut(13) {
        match rest.as_bytes().first() {
            Some(b'1') => *slot = rest.get(1..).map(str::to_owned),
            Some(b'2') => aside = PayloadSlot::Aside,
            _ => {}
        }
    }
    finish(fields, timestamp).map(|input| Unpacked::Fields(input, aside))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]
    use super::*;

    fn pack(fields: &[Option<&str>; 14]) -> String {
        let mut out = String::new();
        for (i, f) in fields.iter().enumerate() {
            match f {
                Some(v) => {
                    out.push('1');
                    out.push_str(v);
                }
                None => out.push('0'),
            }
            if i < 13 {
                out.push('\0');
            }
        }
        out
    }

    fn base() -> [Option<&'static str>; 14] {
        let mut f = [None; 14];
        f[0] = Some("AKIDEXAMPLE");
        f[1] = Some("secret");
        f[5] = Some("ResetInstance");
        f
    }

    #[test]
    fn every_field_lands_in_its_place() {
        let values = [
            "AKID",
            "key",
            "tok",
            "cvm",
            "h:1",
            "Act",
            "2017-03-12",
            "ap-x",
            "en-US",
            "42",
            "GET",
            "ct",
            "a=1",
            "p\0q",
        ];
        let fields: [Option<&str>; 14] = values.map(Some);
        let Ok(Unpacked::Fields(i, PayloadSlot::Inline)) = unpack(&pack(&fields)) else { panic!("unpack") };
        let got = [
            &i.secret_id,
            &i.secret_key,
            i.token.as_ref().unwrap(),
            i.service.as_ref().unwrap(),
            i.host.as_ref().unwrap(),
            &i.action,
            i.version.as_ref().unwrap(),
            i.region.as_ref().unwrap(),
            i.language.as_ref().unwrap(),
        ];
        assert_eq!(got.map(String::as_str), values[..9]);
        assert_eq!(i.timestamp, Some(42.0));
        assert_eq!(
            [&i.method, &i.content_type, &i.query, &i.payload].map(|v| v.as_deref().unwrap()),
            ["GET", "ct", "a=1", "p\0q"]
        );
    }

    #[test]
    fn absent_fields_stay_absent_and_required_ones_are_named() {
        let Ok(Unpacked::Fields(i, _)) = unpack(&pack(&base())) else { panic!("unpack") };
        assert!(i.token.is_none() && i.payload.is_none() && i.timestamp.is_none());
        for (idx, name) in [(0, "secretId"), (1, "secretKey"), (5, "action")] {
            let mut f = base();
            f[idx] = None;
            assert!(unpack(&pack(&f)).unwrap_err().message.contains(name));
            f[idx] = Some("");
            assert!(unpack(&pack(&f)).unwrap_err().message.contains("must not be empty"));
        }
    }

    #[test]
    fn timestamps_the_glue_refused_are_nan() {
        let mut f = base();
        f[TIMESTAMP] = Some("");
        let mut s = pack(&f);
        s = s.replacen("\x001\x00", "\x002\x00", 1);
        let Ok(Unpacked::Fields(i, _)) = unpack(&s) else { panic!("unpack") };
        assert!(i.timestamp.is_some_and(f64::is_nan));
    }

    #[test]
    fn payload_kept_aside() {
        let s = pack(&base());
        let s = [&s[..s.len() - 1], "2"].concat();
        assert!(matches!(unpack(&s), Ok(Unpacked::Fields(_, PayloadSlot::Aside))));
    }

    #[test]
    fn error_codes() {
        assert!(unpack("\u{1}1001").unwrap_err().message.contains("`input.secretKey` could not be read"));
        assert!(unpack("\u{1}112").unwrap_err().message.contains("`input.query` must be a string"));
        assert!(unpack("\u{1}300").unwrap_err().message.contains("`input` must be an object"));
        assert!(unpack("\u{1}junk").unwrap_err().message.contains("`input` must be an object"));
        assert!(matches!(unpack("\u{1}200"), Ok(Unpacked::FieldByField)));
    }

    #[test]
    fn garbage_never_panics() {
        for s in ["", "\0", "1", "2", "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", "\u{1}", "\u{1}99999999999999999999"] {
            let _ = unpack(s);
        }
    }
}
