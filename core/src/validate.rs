//! Shape checks of Lighthouse IDs, made before any request so that a typo fails at once, with the
//! service's own error code, instead of after signing, a round trip and maybe a retry.
//!
//! ```
//! use tc3_lighthouse_core::validate::{check_instance_id, is_instance_id};
//! assert!(is_instance_id("lhins-ruy9d2tw"));
//! let err = check_instance_id("InstanceId", Some("lhins-RUY9D2TW")).unwrap_err();
//! assert_eq!(err.code, "InvalidParameterValue.InstanceIdMalformed");
//! ```

use crate::error::{Error, BLUEPRINT_ID_MALFORMED, INSTANCE_ID_MALFORMED, MISSING_PARAMETER};

/// Longest value quoted back in a message: enough for any plausible ID, short enough to keep an
/// accidentally pasted blob (a key, a JSON document) out of logs.
const MAX_ECHO: usize = 64;

/// Whether `s` is `prefix` followed by exactly 8 lower-case ASCII letters or digits.
fn has_shape(s: &str, prefix: &str) -> bool {
    s.strip_prefix(prefix)
        .is_some_and(|rest| rest.len() == 8 && rest.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
}

/// Whether `s` is an instance ID: `lhins-` and 8 lower-case letters or digits.
pub fn is_instance_id(s: &str) -> bool {
    has_shape(s, "lhins-")
}

/// Whether `s` is a blueprint (image) ID: `lhbp-` and 8 lower-case letters or digits.
pub fn is_blueprint_id(s: &str) -> bool {
    has_shape(s, "lhbp-")
}

/// "The parameter `field` is missing."
fn missing(field: &str) -> Error {
    let mut m = String::with_capacity(40 + field.len());
    m.push_str("The parameter `");
    m.push_str(field);
    m.push_str("` is missing.");
    Error::new(MISSING_PARAMETER, m)
}

/// Names the field and the expected shape, quoting the value only when it looks like a mistyped ID
/// (its prefix and short printable ASCII): a key pasted into the wrong field is never echoed.
fn malformed(code: &'static str, field: &str, prefix: &str, value: &str) -> Error {
    let mut m = String::with_capacity(120 + field.len() + value.len().min(MAX_ECHO));
    m.push_str("The parameter `");
    m.push_str(field);
    m.push_str("` must be `");
    m.push_str(prefix);
    m.push_str("` followed by 8 lower-case letters or digits");
    if value.starts_with(prefix) && value.len() <= MAX_ECHO && value.bytes().all(|b| b.is_ascii_graphic() && b != b'`')
    {
        m.push_str(", got `");
        m.push_str(value);
        m.push('`');
    }
    m.push('.');
    Error::new(code, m)
}

/// Checks a required instance ID: absent or empty is `MissingParameter`, any other non-ID is
/// `InvalidParameterValue.InstanceIdMalformed`.
pub fn check_instance_id(field: &'static str, value: Option<&str>) -> Result<(), Error> {
    match value {
        None | Some("") => Err(missing(field)),
        Some(v) if is_instance_id(v) => Ok(()),
        Some(v) => Err(malformed(INSTANCE_ID_MALFORMED, field, "lhins-", v)),
    }
}

/// Checks an optional blueprint ID: absent is fine, anything else (even empty) must be an ID, else
/// `InvalidParameterValue.BlueprintIdMalformed`.
pub fn check_blueprint_id(field: &'static str, value: Option<&str>) -> Result<(), Error> {
    match value {
        None => Ok(()),
        Some(v) if is_blueprint_id(v) => Ok(()),
        Some(v) => Err(malformed(BLUEPRINT_ID_MALFORMED, field, "lhbp-", v)),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::error::Kind;

    #[test]
    fn instance_ids() {
        for ok in ["lhins-ruy9d2tw", "lhins-00000000", "lhins-zzzzzzzz", "lhins-abcd1234"] {
            assert!(is_instance_id(ok), "{ok}");
        }
        for bad in [
            "",
            "lhins-",
            "lhins-abcd123",
            "lhins-abcd12345",
            "lhins-ABCD1234",
            "lhins-abcd-234",
            "lhins-abcd_234",
            " lhins-abcd1234",
            "lhins-abcd1234 ",
            "LHINS-abcd1234",
            "lhins_abcd1234",
            "lhbp-abcd1234",
            "ins-abcd1234",
            "lhins-abcdé12",
            "lhins-ａbcd1234",
        ] {
            assert!(!is_instance_id(bad), "{bad}");
        }
    }

    #[test]
    fn blueprint_and_key_pair_ids() {
        assert!(is_blueprint_id("lhbp-5e8807lo"));
        assert!(!is_blueprint_id("lhbp-5e8807l"));
        assert!(!is_blueprint_id("lhins-5e8807lo"));
        assert!(!is_blueprint_id("lhbp-5E8807LO"));
    }

    #[test]
    fn missing_instance_id() {
        for v in [None, Some("")] {
            let e = check_instance_id("InstanceId", v).unwrap_err();
            assert_eq!(e.code, MISSING_PARAMETER);
            assert_eq!(e.message, "The parameter `InstanceId` is missing.");
            assert_eq!(e.kind, Kind::InvalidInput);
            assert!(!e.retryable);
        }
        let e = check_instance_id("InstanceIds", None).unwrap_err();
        assert_eq!(e.message, "The parameter `InstanceIds` is missing.");
    }

    #[test]
    fn malformed_instance_id() {
        assert_eq!(check_instance_id("InstanceId", Some("lhins-ruy9d2tw")), Ok(()));
        let e = check_instance_id("InstanceId", Some("lhins-RUY9D2TW")).unwrap_err();
        assert_eq!(e.code, INSTANCE_ID_MALFORMED);
        assert_eq!(e.kind, Kind::InvalidInput);
        assert_eq!(
            e.message,
            "The parameter `InstanceId` must be `lhins-` followed by 8 lower-case letters or digits, \
             got `lhins-RUY9D2TW`."
        );
    }

    #[test]
    fn messages_stay_bounded() {
        let long = "x".repeat(10_000);
        let e = check_instance_id("InstanceId", Some(&long)).unwrap_err();
        assert!(e.message.len() < 200, "{}", e.message);
        assert!(e.message.starts_with("The parameter `InstanceId` must be `lhins-`"));
        assert!(!e.message.contains("xx"));
        let just = ["lhins-", &"y".repeat(MAX_ECHO - 6)].concat();
        let e = check_instance_id("InstanceId", Some(&just)).unwrap_err();
        assert!(e.message.contains(&just));
        // Without the prefix it may be anything, a key pasted in the wrong field included: not echoed.
        let e = check_instance_id("InstanceId", Some("AKIDsecretlooking")).unwrap_err();
        assert!(!e.message.contains("AKIDsecretlooking"));
        let over = ["lhins-", &"y".repeat(MAX_ECHO)].concat();
        let e = check_instance_id("InstanceId", Some(&over)).unwrap_err();
        assert!(!e.message.contains("got"));
        // Control characters, spaces, backticks and non-ASCII are not echoed.
        for v in ["lhins-abc\n1234", "lhins abcd1234", "lhins-`abcd123", "lhins-abcdé12", "\u{0}"] {
            let e = check_instance_id("InstanceId", Some(v)).unwrap_err();
            assert!(e.message.ends_with("letters or digits."), "{v:?}: {}", e.message);
        }
    }

    #[test]
    fn blueprint_id_is_optional_but_never_empty() {
        assert_eq!(check_blueprint_id("BlueprintId", None), Ok(()));
        assert_eq!(check_blueprint_id("BlueprintId", Some("lhbp-5e8807lo")), Ok(()));
        for v in ["", "lhbp-", "lhbp-5E8807LO", "lhins-5e8807lo"] {
            let e = check_blueprint_id("BlueprintId", Some(v)).unwrap_err();
            assert_eq!(e.code, BLUEPRINT_ID_MALFORMED, "{v}");
            assert!(e.message.starts_with("The parameter `BlueprintId` must be `lhbp-`"), "{v}");
        }
        let e = check_blueprint_id("BlueprintId", Some("lhbp-5E8807LO")).unwrap_err();
        assert!(e.message.ends_with(", got `lhbp-5E8807LO`."), "{}", e.message);
    }
}
