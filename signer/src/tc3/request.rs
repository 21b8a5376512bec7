//! A whole API 3.0 request to sign: defaults, checks of every field, and the headers to send.
//!
//! ```
//! use tc3_lighthouse_signer::tc3::request::{Input, prepare};
//! let input = Input { secret_id: "AKIDEXAMPLE".into(), secret_key: "k".into(), action: "ResetInstance".into(),
//!     payload: Some(r#"{"InstanceId":"lhins-abcd1234"}"#.into()), timestamp: Some(1_700_000_000.0), ..Input::default() };
//! let prepared = prepare(input, 0.0).unwrap();
//! let headers = prepared.headers(&prepared.sign(None));
//! assert!(headers.iter().any(|(k, v)| *k == "X-TC-Action" && v == "ResetInstance"));
//! ```

use super::{sign, u64_to_str, KeyCache, SignParams, Signed};
use crate::error::Error;

/// The default service.
pub const DEFAULT_SERVICE: &str = "lighthouse";
/// The default host.
pub const DEFAULT_HOST: &str = "lighthouse.tencentcloudapi.com";
/// Lighthouse's API version.
pub const DEFAULT_VERSION: &str = "2020-03-24";
/// 9999-12-31T23:59:59Z: the last second with a four-digit year in the credential scope.
pub const MAX_TIMESTAMP: f64 = 253_402_300_799.0;

/// What the caller gave, before defaults (the JS `SignInput`).
#[derive(Clone, Default)]
pub struct Input {
    /// SecretId.
    pub secret_id: String,
    /// SecretKey.
    pub secret_key: String,
    /// Session token of temporary credentials.
    pub token: Option<String>,
    /// Service name (default `lighthouse`).
    pub service: Option<String>,
    /// Host as sent (default `lighthouse.tencentcloudapi.com`).
    pub host: Option<String>,
    /// The action, e.g. `ResetInstance`.
    pub action: String,
    /// API version (default `2020-03-24`).
    pub version: Option<String>,
    /// X-TC-Region.
    pub region: Option<String>,
    /// X-TC-Language.
    pub language: Option<String>,
    /// Unix seconds (default: now).
    pub timestamp: Option<f64>,
    /// `POST` (default) or `GET`.
    pub method: Option<String>,
    /// Content-Type.
    pub content_type: Option<String>,
    /// GET query string as sent.
    pub query: Option<String>,
    /// POST body as sent.
    pub payload: Option<String>,
}

impl std::fmt::Debug for Input {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Input")
            .field("secret_id", &self.secret_id)
            .field("action", &self.action)
            .finish_non_exhaustive()
    }
}

/// A request with every default applied and every field checked.
#[derive(Clone)]
pub struct Prepared {
    input: Input,
    service: String,
    host: String,
    version: String,
    method: &'static str,
    content_type: String,
    query: String,
    payload: String,
    timestamp: u64,
}

impl std::fmt::Debug for Prepared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Prepared")
            .field("action", &self.input.action)
            .field("host", &self.host)
            .field("timestamp", &self.timestamp)
            .finish_non_exhaustive()
    }
}

fn bad(field: &str, what: &str) -> Error {
    Error::invalid_argument(["`input.", field, "` ", what].concat())
}

fn no_controls(v: &str, field: &str) -> Result<(), Error> {
    if v.chars().any(char::is_control) {
        Err(bad(field, "must not contain control characters."))
    } else {
        Ok(())
    }
}

/// A SecretId's bytes: printable ASCII without `/` or `,` (it is one field of the credential scope).
/// The one place for this rule: credentials from any provider are checked with it too.
pub fn is_secret_id_byte(c: u8) -> bool {
    c.is_ascii_graphic() && c != b'/' && c != b','
}

/// A region's bytes (`ap-guangzhou`): letters, digits and `-`. Also the client config's rule.
pub fn is_region_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'-'
}

/// A service name's bytes (`lighthouse`, `sts`): lower-case letters, digits and `-`. Also the
/// client config's rule.
pub fn is_service_byte(c: u8) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-'
}

/// Whether `s` is a non-empty name made of bytes `ok` accepts.
pub fn is_name(s: &str, ok: impl Fn(u8) -> bool) -> bool {
    !s.is_empty() && s.bytes().all(ok)
}

/// Every rule is ASCII, so bytes give the same answers as chars, faster (non-ASCII bytes fail `ok`).
/// Generic so the check inlines: a function pointer costs an indirect call per byte.
fn token_chars(v: &str, field: &str, ok: impl Fn(u8) -> bool, what: &str) -> Result<(), Error> {
    if v.is_empty() {
        Err(bad(field, "must not be empty."))
    } else if v.bytes().all(ok) {
        Ok(())
    } else {
        Err(bad(field, what))
    }
}

/// Applies defaults and checks every field; `now_s` is used when no timestamp is given.
pub fn prepare(mut input: Input, now_s: f64) -> Result<Prepared, Error> {
    token_chars(&input.secret_id, "secretId", is_secret_id_byte, "must be printable ASCII without `/` or `,`.")?;
    if input.secret_key.is_empty() {
        return Err(bad("secretKey", "must not be empty."));
    }
    token_chars(
        &input.action,
        "action",
        |c| c.is_ascii_alphanumeric(),
        "must be letters and digits, e.g. \"ResetInstance\".",
    )?;
    if let Some(t) = &input.token {
        // Header values fetch can send: printable ASCII.
        if !t.bytes().all(|b| b.is_ascii_graphic() || b == b' ') {
            return Err(bad("token", "must be printable ASCII."));
        }
    }
    let service = input.service.take().unwrap_or_else(|| DEFAULT_SERVICE.to_owned());
    token_chars(&service, "service", is_service_byte, "must be a lower-case service name, e.g. \"lighthouse\".")?;
    let host = input.host.take().unwrap_or_else(|| DEFAULT_HOST.to_owned());
    token_chars(
        &host,
        "host",
        |c| c.is_ascii_graphic() && c != b'/',
        "must be a host name, with `:port` when the port is not the default, and nothing else.",
    )?;
    let version = input.version.take().unwrap_or_else(|| DEFAULT_VERSION.to_owned());
    token_chars(&version, "version", |c| c.is_ascii_graphic(), "must be an API version such as \"2020-03-24\".")?;
    if let Some(r) = &input.region {
        token_chars(r, "region", is_region_byte, "must be a region such as \"ap-guangzhou\".")?;
    }
    if let Some(l) = &input.language {
        if l != "zh-CN" && l != "en-US" {
            return Err(bad("language", "must be \"zh-CN\" or \"en-US\"."));
        }
    }
    let method = match input.method.as_deref() {
        None | Some("POST") => "POST",
        Some("GET") => "GET",
        Some(_) => return Err(bad("method", "must be \"POST\" or \"GET\".")),
    };
    let timestamp = match input.timestamp {
        Some(t) if t.is_finite() && t >= 0.0 && t.fract() == 0.0 && t <= MAX_TIMESTAMP => t as u64,
        Some(_) => return Err(bad("timestamp", "must be a non-negative integer number of Unix seconds.")),
        None if now_s.is_finite() && now_s >= 0.0 => now_s.min(MAX_TIMESTAMP) as u64,
        None => 0,
    };
    let content_type = match input.content_type.take() {
        Some(ct) => {
            no_controls(&ct, "contentType")?;
            ct
        }
        None if method == "GET" => "application/x-www-form-urlencoded".to_owned(),
        None => "application/json".to_owned(),
    };
    let query = input.query.take().unwrap_or_default();
    if query.chars().any(|c| c.is_control() || c == ' ' || c == '#') {
        return Err(bad("query", "must be the query string exactly as sent (URL-encoded, without `?`)."));
    }
    let payload = match (input.payload.take(), method) {
        (Some(p), "GET") if !p.is_empty() => {
            return Err(bad("payload", "must be empty for GET: its parameters go in `query`."))
        }
        (Some(p), _) => p,
        (None, "GET") => String::new(),
        (None, _) => "{}".to_owned(),
    };
    Ok(Prepared { input, service, host, version, method, content_type, query, payload, timestamp })
}

impl Prepared {
    /// The signing parameters.
    pub fn params(&self) -> SignParams<'_> {
        SignParams {
            secret_id: &self.input.secret_id,
            secret_key: &self.input.secret_key,
            service: &self.service,
            host: &self.host,
            method: self.method,
            content_type: &self.content_type,
            query: &self.query,
            payload: self.payload.as_bytes(),
            timestamp: self.timestamp,
        }
    }

    /// Signs it.
    pub fn sign(&self, cache: Option<&mut KeyCache>) -> Signed {
        sign(&self.params(), cache)
    }

    /// The timestamp used, Unix seconds.
    pub fn timestamp(&self) -> u64 {
        self.timestamp
    }

    /// The Content-Type sent.
    pub fn content_type(&self) -> &str {
        &self.content_type
    }

    /// The Host sent.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The action.
    pub fn action(&self) -> &str {
        &self.input.action
    }

    /// The API version.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// X-TC-Region, when given.
    pub fn region(&self) -> Option<&str> {
        self.input.region.as_deref()
    }

    /// X-TC-Token, when given.
    pub fn token(&self) -> Option<&str> {
        self.input.token.as_deref()
    }

    /// X-TC-Language, when given.
    pub fn language(&self) -> Option<&str> {
        self.input.language.as_deref()
    }

    /// The body to send.
    pub fn payload(&self) -> &str {
        &self.payload
    }

    /// Every header to send, in a stable order.
    pub fn headers(&self, signed: &Signed) -> Vec<(&'static str, String)> {
        let mut buf = [0u8; 20];
        let mut h = vec![
            ("Authorization", signed.authorization.clone()),
            ("Content-Type", self.content_type.clone()),
            ("Host", self.host.clone()),
            ("X-TC-Action", self.input.action.clone()),
            ("X-TC-Version", self.version.clone()),
            ("X-TC-Timestamp", u64_to_str(self.timestamp, &mut buf).to_owned()),
        ];
        if let Some(r) = &self.input.region {
            h.push(("X-TC-Region", r.clone()));
        }
        if let Some(t) = &self.input.token {
            h.push(("X-TC-Token", t.clone()));
        }
        if let Some(l) = &self.input.language {
            h.push(("X-TC-Language", l.clone()));
        }
        h
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn ok() -> Input {
        Input {
            secret_id: "AKIDX".into(),
            secret_key: "k".into(),
            action: "DescribeInstances".into(),
            ..Input::default()
        }
    }

    fn code_and_msg(i: Input) -> (String, String) {
        let e = prepare(i, 1.0).err().unwrap();
        (e.code.into_owned(), e.message.into_owned())
    }

    #[test]
    fn defaults() {
        let p = prepare(ok(), 1_700_000_000.9).unwrap();
        assert_eq!(p.timestamp(), 1_700_000_000);
        assert_eq!(p.payload(), "{}");
        let s = p.sign(None);
        assert!(s.credential_scope.ends_with("/lighthouse/tc3_request"));
        let h = p.headers(&s);
        let names: Vec<_> = h.iter().map(|(k, _)| *k).collect();
        assert_eq!(names, ["Authorization", "Content-Type", "Host", "X-TC-Action", "X-TC-Version", "X-TC-Timestamp"]);
        assert!(h.contains(&("Host", DEFAULT_HOST.to_owned())));
        assert!(h.contains(&("X-TC-Version", DEFAULT_VERSION.to_owned())));
        let g = prepare(Input { method: Some("GET".into()), ..ok() }, 1.0).unwrap();
        assert_eq!(g.payload(), "");
        assert!(g.sign(None).canonical_request.contains("content-type:application/x-www-form-urlencoded"));
    }

    #[test]
    fn optional_headers() {
        let i = Input {
            region: Some("ap-guangzhou".into()),
            token: Some("tok".into()),
            language: Some("en-US".into()),
            ..ok()
        };
        let p = prepare(i, 1.0).unwrap();
        let h = p.headers(&p.sign(None));
        assert!(h.contains(&("X-TC-Region", "ap-guangzhou".into())));
        assert!(h.contains(&("X-TC-Token", "tok".into())));
        assert!(h.contains(&("X-TC-Language", "en-US".into())));
    }

    #[test]
    fn every_bad_field_is_named() {
        let cases: Vec<(Input, &str)> = vec![
            (Input { secret_id: String::new(), ..ok() }, "input.secretId"),
            (Input { secret_id: "A B".into(), ..ok() }, "input.secretId"),
            (Input { secret_key: String::new(), ..ok() }, "input.secretKey"),
            (Input { action: String::new(), ..ok() }, "input.action"),
            (Input { action: "Reset\r\nX: y".into(), ..ok() }, "input.action"),
            (Input { token: Some("a\nb".into()), ..ok() }, "input.token"),
            (Input { service: Some("Light House".into()), ..ok() }, "input.service"),
            (Input { host: Some(String::new()), ..ok() }, "input.host"),
            (Input { host: Some("a/b".into()), ..ok() }, "input.host"),
            (Input { version: Some(String::new()), ..ok() }, "input.version"),
            (Input { region: Some("ap guangzhou".into()), ..ok() }, "input.region"),
            (Input { language: Some("fr".into()), ..ok() }, "input.language"),
            (Input { method: Some("PUT".into()), ..ok() }, "input.method"),
            (Input { timestamp: Some(-1.0), ..ok() }, "input.timestamp"),
            (Input { timestamp: Some(1.5), ..ok() }, "input.timestamp"),
            (Input { timestamp: Some(f64::NAN), ..ok() }, "input.timestamp"),
            (Input { timestamp: Some(f64::INFINITY), ..ok() }, "input.timestamp"),
            (Input { timestamp: Some(1e300), ..ok() }, "input.timestamp"),
            (Input { content_type: Some("a\0b".into()), ..ok() }, "input.contentType"),
            (Input { query: Some("a b".into()), ..ok() }, "input.query"),
            (Input { method: Some("GET".into()), payload: Some("{}".into()), ..ok() }, "input.payload"),
        ];
        for (i, field) in cases {
            let (code, msg) = code_and_msg(i);
            assert_eq!(code, "ClientError.InvalidArgument");
            assert!(msg.contains(field), "{msg} should name {field}");
        }
    }

    #[test]
    fn secret_never_in_errors_or_debug() {
        let i = Input { secret_key: "SUPERSECRET".into(), token: Some("TOKENSECRET".into()), ..ok() };
        let dbg = format!("{:?} {:?}", i, prepare(i.clone(), 1.0).unwrap());
        assert!(!dbg.contains("SUPERSECRET") && !dbg.contains("TOKENSECRET"));
        let (_, msg) = code_and_msg(Input { action: String::new(), ..i });
        assert!(!msg.contains("SUPERSECRET"));
    }
}
