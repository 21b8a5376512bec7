//! Credentials and when to refresh them. `Debug` never prints the key or the token.
//!
//! ```
//! use tc3_lighthouse_core::credentials::Credentials;
//! let c = Credentials { secret_id: "AKID".into(), secret_key: "k".into(), token: None, expires_at: Some(1_000.0) };
//! assert!(!format!("{c:?}").contains("\"k\""));
//! assert!(c.needs_refresh(1_000.0 - 10.0));
//! assert!(!c.needs_refresh(0.0));
//! ```

use crate::error::{Error, CREDENTIALS};
use crate::tc3::request::{is_name, is_secret_id_byte};

/// Refresh this long before `expiresAt`, so a request signed now is still valid when it lands.
pub const REFRESH_MARGIN_S: f64 = 300.0;

/// A SecretId/SecretKey pair, with the token and expiry of temporary (STS) credentials.
#[derive(Clone, PartialEq)]
pub struct Credentials {
    /// SecretId.
    pub secret_id: String,
    /// SecretKey.
    pub secret_key: String,
    /// Session token of temporary credentials.
    pub token: Option<String>,
    /// Expiry, Unix seconds.
    pub expires_at: Option<f64>,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("secret_id", &self.secret_id)
            .field("secret_key", &"** redacted **")
            .field("token", &self.token.as_ref().map(|_| "** redacted **"))
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

impl Credentials {
    /// Whether these must be refreshed before signing at `now_s` (Unix seconds): within
    /// [`REFRESH_MARGIN_S`] of `expires_at`.
    pub fn needs_refresh(&self, now_s: f64) -> bool {
        match self.expires_at {
            None => false,
            Some(exp) if !exp.is_finite() => false,
            Some(exp) => now_s >= exp - REFRESH_MARGIN_S,
        }
    }

    /// Whether an answer with `code` to these credentials, at `now_s` (Unix seconds, server time
    /// as best known), calls for fresh credentials and one more attempt: an `AuthFailure.*` code
    /// (not `AuthFailure.SignatureExpire`, which is the clock's) to temporary credentials (with a
    /// token) within [`REFRESH_MARGIN_S`] of their expiry or past it. Long-term keys, or temporary
    /// ones far from expiry, are wrong for another reason: refreshing would not help.
    pub fn refresh_on(&self, code: &str, now_s: f64) -> bool {
        let auth = code == "AuthFailure" || (code.starts_with("AuthFailure.") && code != "AuthFailure.SignatureExpire");
        auth && self.token.is_some() && self.needs_refresh(now_s)
    }

    /// Checks the fields a provider returned; `label` names where they came from.
    pub fn check(&self, label: &str) -> Result<(), Error> {
        let bad = |field: &str, what: &str| Error::new(CREDENTIALS, ["`", label, ".", field, "` ", what].concat());
        if !is_name(&self.secret_id, is_secret_id_byte) {
            return Err(bad("secretId", "must be a non-empty SecretId."));
        }
        if self.secret_key.is_empty() {
            return Err(bad("secretKey", "must be a non-empty string."));
        }
        // A header value: printable ASCII (fetch refuses anything else, after the request was counted).
        if self.token.as_deref().is_some_and(|t| !t.bytes().all(|b| b.is_ascii_graphic() || b == b' ')) {
            return Err(bad("token", "must be printable ASCII."));
        }
        if self.expires_at.is_some_and(|e| !e.is_finite() || e < 0.0) {
            return Err(bad("expiresAt", "must be Unix seconds."));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn c() -> Credentials {
        Credentials {
            secret_id: "AKID".into(),
            secret_key: "SECRET".into(),
            token: Some("TOKEN".into()),
            expires_at: None,
        }
    }

    #[test]
    fn debug_redacts() {
        let d = format!("{:?}", c());
        assert!(!d.contains("SECRET") && !d.contains("TOKEN"), "{d}");
    }

    #[test]
    fn refresh_margin() {
        let mut x = c();
        assert!(!x.needs_refresh(1e12));
        x.expires_at = Some(10_000.0);
        assert!(!x.needs_refresh(10_000.0 - REFRESH_MARGIN_S - 1.0));
        assert!(x.needs_refresh(10_000.0 - REFRESH_MARGIN_S));
        assert!(x.needs_refresh(20_000.0));
    }

    #[test]
    fn auth_failures_of_expiring_temporary_credentials_call_for_a_refresh() {
        let exp = 10_000.0;
        let near = exp - REFRESH_MARGIN_S;
        let temp = Credentials { expires_at: Some(exp), ..c() };
        for code in [
            "AuthFailure",
            "AuthFailure.TokenFailure",
            "AuthFailure.SignatureFailure",
            "AuthFailure.SecretIdNotFound",
            "AuthFailure.InvalidSecretId",
            "AuthFailure.InvalidAuthorization",
        ] {
            assert!(temp.refresh_on(code, near), "{code}");
            assert!(temp.refresh_on(code, exp + 1.0), "{code}: expired");
            assert!(!temp.refresh_on(code, near - 1.0), "{code}: far from expiry");
        }
        for code in
            ["AuthFailure.SignatureExpire", "UnauthorizedOperation.NoPermission", "AuthFailureX", "", "InternalError"]
        {
            assert!(!temp.refresh_on(code, exp), "{code}");
        }
        // Long-term keys, and temporary ones without an expiry, are never refreshed for this.
        let long_term = Credentials { token: None, ..temp.clone() };
        assert!(!long_term.refresh_on("AuthFailure.SecretIdNotFound", exp));
        let no_expiry = Credentials { expires_at: None, ..temp };
        assert!(!no_expiry.refresh_on("AuthFailure.TokenFailure", 1e12));
    }

    #[test]
    fn checks_fields() {
        assert!(c().check("credentials").is_ok());
        for (bad, field) in [
            (Credentials { secret_id: String::new(), ..c() }, "secretId"),
            (Credentials { secret_id: "a b".into(), ..c() }, "secretId"),
            (Credentials { secret_key: String::new(), ..c() }, "secretKey"),
            (Credentials { token: Some("a\nb".into()), ..c() }, "token"),
            (Credentials { expires_at: Some(f64::NAN), ..c() }, "expiresAt"),
        ] {
            let e = bad.check("credentials").err().unwrap();
            assert_eq!(e.code, "ClientError.Credentials");
            assert!(e.message.contains(field));
            assert!(!e.message.contains("SECRET"));
        }
    }
}
