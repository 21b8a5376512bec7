//! The TC3-HMAC-SHA256 signer: canonical request, string to sign, key derivation, signature.
//!
//! Pure: no wasm types, and time is a parameter (`timestamp`, Unix seconds), so it is tested natively
//! against the vectors Tencent published and those the official SDKs produce.
//!
//! ```
//! use tc3_lighthouse_signer::tc3::{sign, KeyCache, SignParams};
//! let params = SignParams {
//!     secret_id: "AKIDEXAMPLE",
//!     secret_key: "secret",
//!     service: "lighthouse",
//!     host: "lighthouse.tencentcloudapi.com",
//!     method: "POST",
//!     content_type: "application/json",
//!     query: "",
//!     payload: b"{}",
//!     timestamp: 1_700_000_000,
//! };
//! let mut cache = KeyCache::default();
//! let a = sign(&params, Some(&mut cache));
//! assert_eq!(a.credential_scope, "2023-11-14/lighthouse/tc3_request");
//! assert_eq!(a.signature.len(), 64);
//! ```

mod date;
mod hmac;
pub mod packed;
pub mod request;

pub use date::utc_date;
use hmac::{hmac_sha256, HmacKey};
use sha2::{Digest, Sha256};

/// The headers both official SDKs sign.
pub const SIGNED_HEADERS: &str = "content-type;host";
/// The algorithm name that opens the string to sign and the Authorization header.
pub const ALGORITHM: &str = "TC3-HMAC-SHA256";

/// What is signed. Borrowed, so signing copies nothing it does not have to.
#[derive(Clone, Copy)]
pub struct SignParams<'a> {
    /// The SecretId (public; it travels in the Authorization header).
    pub secret_id: &'a str,
    /// The SecretKey (never printed: see the `Debug` impl).
    pub secret_key: &'a str,
    /// The API's service name, e.g. `lighthouse`; never derived from the endpoint host.
    pub service: &'a str,
    /// The Host header as sent on the wire (`host:port` for a non-default port).
    pub host: &'a str,
    /// `POST` or `GET`.
    pub method: &'a str,
    /// The Content-Type header as sent.
    pub content_type: &'a str,
    /// GET: the query string as sent, without `?`; POST: empty.
    pub query: &'a str,
    /// The exact body bytes sent.
    pub payload: &'a [u8],
    /// X-TC-Timestamp, Unix seconds.
    pub timestamp: u64,
}

impl std::fmt::Debug for SignParams<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignParams")
            .field("secret_id", &self.secret_id)
            .field("secret_key", &"** redacted **")
            .field("service", &self.service)
            .field("host", &self.host)
            .field("method", &self.method)
            .field("timestamp", &self.timestamp)
            .finish_non_exhaustive()
    }
}

/// Every stage of a signature, for callers and for tests that check each one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signed {
    /// The canonical request.
    pub canonical_request: String,
    /// The string to sign.
    pub string_to_sign: String,
    /// `YYYY-MM-DD/service/tc3_request`.
    pub credential_scope: String,
    /// Lower-case hex HMAC of the string to sign.
    pub signature: String,
    /// The Authorization header's value.
    pub authorization: String,
}

/// Caches the derived signing key, which depends only on (SecretKey, UTC date, service), and the
/// hash state after the canonical request's first blocks, which depend only on (method, query,
/// Content-Type, Host): requests to one endpoint then hash one block fewer each.
///
/// The entry holds the SecretKey to compare against (hashing it on every call would cost a SHA-256
/// per signature); it lives where the caller's credentials already live, and `Debug` prints none of it.
#[derive(Default)]
pub struct KeyCache {
    entry: Option<CacheEntry>,
    prefix: Option<(String, Sha256)>,
}

/// (SecretKey, date, service, derived key).
type CacheEntry = (String, [u8; 10], String, HmacKey);

impl std::fmt::Debug for KeyCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KeyCache { .. }")
    }
}

impl KeyCache {
    /// A hasher that has absorbed `prefix`: cloned from the cache when the prefix is the last one.
    fn prefix_hasher(&mut self, prefix: &str) -> Sha256 {
        match &self.prefix {
            Some((p, h)) if p == prefix => h.clone(),
            _ => {
                let mut h = Sha256::new();
                h.update(prefix.as_bytes());
                self.prefix = Some((prefix.to_owned(), h.clone()));
                h
            }
        }
    }

    fn signing_key(&mut self, secret_key: &str, date: &[u8; 10], service: &str) -> &HmacKey {
        let entry = match self.entry.take() {
            Some(e) if e.0 == secret_key && e.1 == *date && e.2 == service => e,
            _ => (
                secret_key.to_owned(),
                *date,
                service.to_owned(),
                HmacKey::new(&derive_signing_key(secret_key, date, service)),
            ),
        };
        &self.entry.insert(entry).3
    }
}

/// kSigning = HMAC(HMAC(HMAC("TC3" + SecretKey, date), service), "tc3_request").
pub fn derive_signing_key(secret_key: &str, date: &[u8; 10], service: &str) -> [u8; 32] {
    let mut k = Vec::with_capacity(3 + secret_key.len());
    k.extend_from_slice(b"TC3");
    k.extend_from_slice(secret_key.as_bytes());
    let k_date = hmac_sha256(&k, date);
    // Best effort: the caller's copy of the key is theirs, but ours does not linger.
    k.iter_mut().for_each(|b| *b = 0);
    let k_service = hmac_sha256(&k_date, service.as_bytes());
    hmac_sha256(&k_service, b"tc3_request")
}

/// Lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    crate::hex::encode(&Sha256::digest(bytes))
}

/// Signs a request, reusing the derived key from `cache` when it has the same key, day and service.
pub fn sign(p: &SignParams<'_>, mut cache: Option<&mut KeyCache>) -> Signed {
    let date = utc_date(p.timestamp);
    let date_str = std::str::from_utf8(&date).unwrap_or("1970-01-01");

    // HTTP whitespace only, as fetch strips it (U+00A0 goes out as is).
    let ct = p.content_type.trim_matches(|c| matches!(c, ' ' | '\t' | '\r' | '\n')).to_ascii_lowercase();
    let mut canonical_request = String::with_capacity(128 + ct.len() + p.host.len() + p.query.len());
    for part in [p.method, "\n/\n", p.query, "\ncontent-type:", &ct, "\nhost:", p.host, "\n\n", SIGNED_HEADERS, "\n"] {
        canonical_request.push_str(part);
    }
    let prefix_len = canonical_request.len();
    let mut hasher = match cache.as_deref_mut() {
        Some(c) => c.prefix_hasher(&canonical_request),
        None => Sha256::new_with_prefix(canonical_request.as_bytes()),
    };
    crate::hex::encode_into(&Sha256::digest(p.payload), &mut canonical_request);
    hasher.update(canonical_request.as_bytes().get(prefix_len..).unwrap_or_default());

    let mut credential_scope = String::with_capacity(24 + p.service.len());
    for part in [date_str, "/", p.service, "/tc3_request"] {
        credential_scope.push_str(part);
    }

    let mut ts_buf = [0u8; 20];
    let ts = u64_to_str(p.timestamp, &mut ts_buf);
    let mut string_to_sign = String::with_capacity(128 + credential_scope.len());
    for part in [ALGORITHM, "\n", ts, "\n", &credential_scope, "\n"] {
        string_to_sign.push_str(part);
    }
    crate::hex::encode_into(&hasher.finalize(), &mut string_to_sign);

    let mac = match cache {
        Some(c) => c.signing_key(p.secret_key, &date, p.service).mac(string_to_sign.as_bytes()),
        None => hmac_sha256(&derive_signing_key(p.secret_key, &date, p.service), string_to_sign.as_bytes()),
    };
    let signature = crate::hex::encode(&mac);

    let mut authorization = String::with_capacity(160 + p.secret_id.len() + credential_scope.len());
    for part in [
        ALGORITHM,
        " Credential=",
        p.secret_id,
        "/",
        &credential_scope,
        ", SignedHeaders=",
        SIGNED_HEADERS,
        ", Signature=",
        &signature,
    ] {
        authorization.push_str(part);
    }

    Signed { canonical_request, string_to_sign, credential_scope, signature, authorization }
}

/// Decimal digits of `n` without `format!`.
pub fn u64_to_str(mut n: u64, buf: &mut [u8; 20]) -> &str {
    let mut i = buf.len();
    loop {
        i -= 1;
        if let Some(slot) = buf.get_mut(i) {
            *slot = b'0' + (n % 10) as u8;
        }
        n /= 10;
        if n == 0 || i == 0 {
            break;
        }
    }
    // ASCII digits within `buf`: the fallback is never taken (not `expect`, see `hex::encode_into`).
    std::str::from_utf8(buf.get(i..).unwrap_or_default()).unwrap_or("0")
}

#[cfg(test)]
mod tests;
