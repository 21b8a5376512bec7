//! Endpoint URLs: the URL to fetch and the Host header a request goes out with (which is signed).
//!
//! ```
//! use tc3_lighthouse_core::endpoint::Endpoint;
//! let e = Endpoint::parse("http://127.0.0.1:8080").unwrap();
//! assert_eq!(e.host(), "127.0.0.1:8080");
//! assert_eq!(Endpoint::parse("https://lighthouse.tencentcloudapi.com:443/").unwrap().host(), "lighthouse.tencentcloudapi.com");
//! ```

use crate::error::Error;

/// The default endpoint (nearest region).
pub const DEFAULT_ENDPOINT: &str = "https://lighthouse.tencentcloudapi.com";

/// A parsed endpoint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    url: String,
    host: String,
}

fn bad(what: &str) -> Error {
    Error::invalid_argument(["`config.endpoint` ", what].concat())
}

impl Endpoint {
    /// Parses `http(s)://host[:port][/path]`, or a path starting with `/` (same origin: a signing
    /// proxy behind the page's own server; such an endpoint can't be signed for, having no host).
    pub fn parse(s: &str) -> Result<Endpoint, Error> {
        if s.chars().any(|c| c.is_control() || c.is_whitespace()) {
            return Err(bad("must be a URL without spaces or control characters."));
        }
        if s.starts_with('/') && !s.starts_with("//") {
            return Ok(Endpoint { url: s.to_owned(), host: String::new() });
        }
        let lower = s.to_ascii_lowercase();
        let (rest, default_port) = if let Some(r) = lower.strip_prefix("https://") {
            (r, "443")
        } else if let Some(r) = lower.strip_prefix("http://") {
            (r, "80")
        } else {
            return Err(bad("must be an http:// or https:// URL, e.g. \"https://lighthouse.tencentcloudapi.com\"."));
        };
        // Byte scans rather than `str` patterns: the pattern machinery costs kilobytes of wasm.
        let authority_end = rest.bytes().position(|b| matches!(b, b'/' | b'?' | b'#')).unwrap_or(rest.len());
        let authority = rest.get(..authority_end).unwrap_or_default();
        if rest.bytes().skip(authority_end).any(|b| b == b'?' || b == b'#') {
            return Err(bad("must not have a query string or fragment."));
        }
        if authority.is_empty() || authority.bytes().any(|b| b == b'@') {
            return Err(bad("must name a host (and no user name or password)."));
        }
        let (name, port) = split_port(authority).ok_or_else(|| bad("has a malformed host or port."))?;
        let default_port = if default_port == "443" { 443 } else { 80 };
        // fetch sends the port as a number, and none for the scheme's default: sign the same.
        let mut buf = [0u8; 20];
        let host = match port {
            Some(p) if p != default_port => [name, ":", crate::tc3::u64_to_str(u64::from(p), &mut buf)].concat(),
            _ => name.to_owned(),
        };
        // Keep the caller's path (a proxy may live under one); the scheme and host are normalised.
        let scheme_len = if lower.starts_with("https://") { 8 } else { 7 };
        let path = s.get(scheme_len + authority_end..).unwrap_or_default();
        let url = [lower.get(..scheme_len).unwrap_or_default(), authority, path].concat();
        Ok(Endpoint { url, host })
    }

    /// The same endpoint with the Host that the platform's URL parser computed (it knows IPv6 and
    /// IPv4 shorthands and international names; the wire Host is its word).
    #[must_use]
    pub fn with_host(mut self, host: String) -> Endpoint {
        self.host = host;
        self
    }

    /// The URL to fetch.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The Host header that goes on the wire (`host:port` when the port is not the scheme's
    /// default); empty for a same-origin path.
    pub fn host(&self) -> &str {
        &self.host
    }
}

/// Splits `host[:port]` or `[v6][:port]` and checks both: a name of letters, digits, `.`, `-`
/// and `_`, or a bracketed IPv6 literal; a port of digits from 1 to 65535 (leading zeros allowed,
/// as fetch allows them).
fn split_port(authority: &str) -> Option<(&str, Option<u32>)> {
    let (name, port) = if authority.starts_with('[') {
        let close = authority.bytes().position(|b| b == b']')?;
        let name = authority.get(..=close)?;
        let inside = authority.get(1..close)?;
        if inside.is_empty() || !inside.bytes().all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.') {
            return None;
        }
        match authority.get(close + 1..)? {
            "" => (name, None),
            p => (name, Some(p.strip_prefix(':')?)),
        }
    } else {
        let (name, port) = match authority.bytes().rposition(|b| b == b':') {
            Some(i) => (authority.get(..i)?, Some(authority.get(i + 1..)?)),
            None => (authority, None),
        };
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_')) {
            return None;
        }
        (name, port)
    };
    let port = match port {
        None => None,
        Some(p) if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) => return None,
        Some(p) => {
            let n = p.bytes().try_fold(0u32, |n, b| n.checked_mul(10)?.checked_add(u32::from(b - b'0')))?;
            if n == 0 || n > 65_535 {
                return None;
            }
            Some(n)
        }
    };
    Some((name, port))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::Endpoint;

    #[test]
    fn hosts_as_sent() {
        let cases = [
            (
                "https://lighthouse.tencentcloudapi.com",
                "https://lighthouse.tencentcloudapi.com",
                "lighthouse.tencentcloudapi.com",
            ),
            (
                "HTTPS://Lighthouse.TencentCloudAPI.com/",
                "https://lighthouse.tencentcloudapi.com/",
                "lighthouse.tencentcloudapi.com",
            ),
            ("https://h.example:443", "https://h.example:443", "h.example"),
            ("https://h.example:8443/api", "https://h.example:8443/api", "h.example:8443"),
            ("http://127.0.0.1:8080", "http://127.0.0.1:8080", "127.0.0.1:8080"),
            ("http://localhost:80/x/", "http://localhost:80/x/", "localhost"),
            ("http://[::1]:9000", "http://[::1]:9000", "[::1]:9000"),
            ("http://h:0080", "http://h:0080", "h"),
            ("http://h:08080/x", "http://h:08080/x", "h:8080"),
            ("/api/lighthouse", "/api/lighthouse", ""),
        ];
        for (input, url, host) in cases {
            let e = Endpoint::parse(input).unwrap();
            assert_eq!((e.url(), e.host()), (url, host), "{input}");
        }
    }

    #[test]
    fn rejects_what_is_not_an_endpoint() {
        for bad in [
            "",
            "lighthouse.tencentcloudapi.com",
            "ftp://x",
            "http://",
            "http://:80",
            "http://u:p@host",
            "http://host:0",
            "http://host:65536",
            "http://host:abc",
            "http://host/?a=1",
            "http://host#f",
            "http://ho st",
            "http://host\r\n",
            "//host/path",
            "http://[::1",
        ] {
            let e = Endpoint::parse(bad).err().unwrap();
            assert_eq!(e.code, "ClientError.InvalidArgument", "{bad}");
            assert!(e.message.contains("config.endpoint"), "{bad}");
        }
    }
}
