//! The one error type of the crate and the classification of Tencent Cloud error codes.
//!
//! Every failure that reaches JavaScript is an [`Error`]: the service's `Error.Code` verbatim (or one of
//! the client codes below), a message, and a [`Kind`] that tells a dashboard what to do about it.
//! The binding layer turns it into the JS class `TencentCloudError` in exactly one place.
//!
//! ```
//! use tc3_lighthouse_signer::error::{classify, Kind};
//! assert_eq!(classify("RequestLimitExceeded.UinLimitExceeded"), Kind::Throttling);
//! assert!(Kind::Throttling.retryable());
//! assert_eq!(classify("ResourceNotFound.InstanceIdNotFound"), Kind::NotFound);
//! ```

use std::borrow::Cow;

/// Client code: wrong type, missing or malformed argument or config.
pub const INVALID_ARGUMENT: &str = "ClientError.InvalidArgument";
/// Client code: no credentials, or the provider failed.
pub const CREDENTIALS: &str = "ClientError.Credentials";
/// Client code: the request could not be sent or its answer was not received.
pub const NETWORK: &str = "ClientError.Network";
/// Client code: an attempt took longer than `timeoutMs`.
pub const TIMEOUT: &str = "ClientError.Timeout";
/// Client code: the caller's `AbortSignal` fired.
pub const ABORTED: &str = "ClientError.Aborted";
/// Client code: the answer was not the API's JSON (HTML, empty, truncated, non-200).
pub const BAD_RESPONSE: &str = "ClientError.BadResponse";
/// Client code: a fleet's journal could not be read or written; nothing was sent for the item.
pub const JOURNAL: &str = "ClientError.Journal";
/// Client code: what was called is not in this build (the signing proxy, the journal: server-side only).
pub const UNSUPPORTED: &str = "ClientError.Unsupported";
/// Waiter code: `maxWaitSeconds` passed before the operation finished.
pub const WAITER_TIMEOUT: &str = "WaiterError.Timeout";
/// Waiter code: the operation ended in FAILED.
pub const WAITER_OPERATION_FAILED: &str = "WaiterError.OperationFailed";
/// Service code used for a missing required ID, checked before any request.
pub const MISSING_PARAMETER: &str = "MissingParameter";
/// Service code for an InstanceId that is not `lhins-` + 8 lower-case letters or digits.
pub const INSTANCE_ID_MALFORMED: &str = "InvalidParameterValue.InstanceIdMalformed";
/// Service code for a BlueprintId that is not `lhbp-` + 8 lower-case letters or digits.
pub const BLUEPRINT_ID_MALFORMED: &str = "InvalidParameterValue.BlueprintIdMalformed";
/// Service code of an instance that is not in DescribeInstances.
pub const INSTANCE_NOT_FOUND: &str = "ResourceNotFound.InstanceNotFound";

/// What a caller can do about an error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// The service's rate limit: back off and retry.
    Throttling,
    /// `AuthFailure.SignatureExpire`: correct the clock, re-sign, retry once.
    ClockSkew,
    /// A passing fault of the service: reads retry, mutations only when certainly not applied.
    Transient,
    /// The instance is in the middle of another operation: wait until it is idle.
    Busy,
    /// Credentials or permissions: terminal.
    Auth,
    /// The request itself is wrong: terminal.
    InvalidInput,
    /// The resource does not exist: terminal.
    NotFound,
    /// No answer was received (the request may or may not have reached the service).
    Network,
    /// An attempt exceeded its time limit.
    Timeout,
    /// The caller aborted.
    Aborted,
    /// A waiter gave up or saw the operation fail.
    Waiter,
    /// Anything else: terminal.
    Other,
}

impl Kind {
    /// Every kind, in declaration order.
    pub const ALL: [Kind; 12] = [
        Kind::Throttling,
        Kind::ClockSkew,
        Kind::Transient,
        Kind::Busy,
        Kind::Auth,
        Kind::InvalidInput,
        Kind::NotFound,
        Kind::Network,
        Kind::Timeout,
        Kind::Aborted,
        Kind::Waiter,
        Kind::Other,
    ];

    /// The name used in JavaScript (`error.kind`).
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Throttling => "throttling",
            Kind::ClockSkew => "clockSkew",
            Kind::Transient => "transient",
            Kind::Busy => "busy",
            Kind::Auth => "auth",
            Kind::InvalidInput => "invalidInput",
            Kind::NotFound => "notFound",
            Kind::Network => "network",
            Kind::Timeout => "timeout",
            Kind::Aborted => "aborted",
            Kind::Waiter => "waiter",
            Kind::Other => "other",
        }
    }

    /// Whether trying the same request again later can succeed (for a mutation, only when it
    /// certainly did not take effect; the client decides that).
    pub fn retryable(self) -> bool {
        matches!(
            self,
            Kind::Throttling | Kind::ClockSkew | Kind::Transient | Kind::Busy | Kind::Network | Kind::Timeout
        )
    }
}

// `ALL` lists every variant: `Other` is the last one declared.
const _: () = assert!(Kind::ALL.len() == Kind::Other as usize + 1);

/// Whether `code` equals `prefix` or starts with `prefix` followed by a dot.
fn family(code: &str, prefix: &str) -> bool {
    code.strip_prefix(prefix).is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
}

/// Classifies a service or client error code.
pub fn classify(code: &str) -> Kind {
    match code {
        NETWORK => return Kind::Network,
        TIMEOUT => return Kind::Timeout,
        ABORTED => return Kind::Aborted,
        INVALID_ARGUMENT => return Kind::InvalidInput,
        CREDENTIALS => return Kind::Auth,
        BAD_RESPONSE => return Kind::Transient,
        WAITER_TIMEOUT | WAITER_OPERATION_FAILED => return Kind::Waiter,
        "AuthFailure.SignatureExpire" => return Kind::ClockSkew,
        "OperationDenied.InstanceOperationInProgress"
        | "OperationDenied.InstanceCreating"
        | "UnsupportedOperation.LatestOperationUnfinished" => return Kind::Busy,
        "UnsupportedOperation.SystemBusy" | "ServiceUnavailable" => return Kind::Transient,
        "RequestSizeLimitExceeded"
        | "InvalidAction"
        | "NoSuchVersion"
        | "UnsupportedRegion"
        | "UnknownParameter"
        | "MissingParameter" => return Kind::InvalidInput,
        _ => {}
    }
    if family(code, "RequestLimitExceeded") {
        Kind::Throttling
    } else if code.starts_with("InternalError") {
        Kind::Transient
    } else if family(code, "AuthFailure") || family(code, "UnauthorizedOperation") {
        Kind::Auth
    } else if code.starts_with("InvalidParameter") {
        Kind::InvalidInput
    } else if family(code, "ResourceNotFound") || family(code, "ResourceUnavailable") {
        Kind::NotFound
    } else {
        Kind::Other
    }
}

/// A failure, as it reaches JavaScript. Never holds a secret: messages are built from field names,
/// codes and the service's own text.
#[derive(Clone, Debug, PartialEq)]
pub struct Error {
    /// The service's `Error.Code` verbatim, or a client code.
    pub code: Cow<'static, str>,
    /// The service's message, or an English sentence naming the field or cause.
    pub message: Cow<'static, str>,
    /// The service's RequestId, when there was an answer.
    pub request_id: Option<String>,
    /// The HTTP status, when there was an answer.
    pub http_status: Option<u16>,
    /// The API action of the call.
    pub action: Option<String>,
    /// What the caller can do about it.
    pub kind: Kind,
    /// Whether retrying can succeed.
    pub retryable: bool,
}

impl Error {
    /// An error with `code`, classified.
    pub fn new(code: impl Into<Cow<'static, str>>, message: impl Into<Cow<'static, str>>) -> Self {
        let code = code.into();
        let kind = classify(&code);
        Error {
            code,
            message: message.into(),
            request_id: None,
            http_status: None,
            action: None,
            kind,
            retryable: kind.retryable(),
        }
    }

    /// `ClientError.InvalidArgument` with a message naming the field.
    pub fn invalid_argument(message: impl Into<Cow<'static, str>>) -> Self {
        Error::new(INVALID_ARGUMENT, message)
    }

    /// Sets the action.
    #[must_use]
    pub fn with_action(mut self, action: &str) -> Self {
        self.action = Some(action.to_owned());
        self
    }

    /// Sets the RequestId.
    #[must_use]
    pub fn with_request_id(mut self, request_id: Option<String>) -> Self {
        self.request_id = request_id;
        self
    }

    /// Sets the HTTP status.
    #[must_use]
    pub fn with_http_status(mut self, status: u16) -> Self {
        self.http_status = Some(status);
        self
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.code)?;
        f.write_str(": ")?;
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_every_documented_class() {
        let table: &[(&str, Kind)] = &[
            ("RequestLimitExceeded", Kind::Throttling),
            ("RequestLimitExceeded.IPLimitExceeded", Kind::Throttling),
            ("RequestLimitExceeded.UinLimitExceeded", Kind::Throttling),
            ("RequestLimitExceeded.GlobalRegionUinLimitExceeded", Kind::Throttling),
            ("AuthFailure.SignatureExpire", Kind::ClockSkew),
            ("InternalError", Kind::Transient),
            ("InternalError.DescribeInstanceStatus", Kind::Transient),
            ("InternalError.InvalidCommandNotFound", Kind::Transient),
            ("ServiceUnavailable", Kind::Transient),
            ("UnsupportedOperation.SystemBusy", Kind::Transient),
            ("OperationDenied.InstanceOperationInProgress", Kind::Busy),
            ("OperationDenied.InstanceCreating", Kind::Busy),
            ("UnsupportedOperation.LatestOperationUnfinished", Kind::Busy),
            ("AuthFailure.InvalidAuthorization", Kind::Auth),
            ("AuthFailure.InvalidSecretId", Kind::Auth),
            ("AuthFailure.MFAFailure", Kind::Auth),
            ("AuthFailure.SecretIdNotFound", Kind::Auth),
            ("AuthFailure.SignatureFailure", Kind::Auth),
            ("AuthFailure.TokenFailure", Kind::Auth),
            ("AuthFailure.UnauthorizedOperation", Kind::Auth),
            ("UnauthorizedOperation.MFANotFound", Kind::Auth),
            ("UnauthorizedOperation.NoPermission", Kind::Auth),
            ("InvalidParameter", Kind::InvalidInput),
            ("InvalidParameter.GamePortalInstanceOnlySupportCurrentBlueprint", Kind::InvalidInput),
            ("InvalidParameterValue", Kind::InvalidInput),
            ("InvalidParameterValue.BlueprintConfigNotMatch", Kind::InvalidInput),
            ("InvalidParameterValue.BlueprintId", Kind::InvalidInput),
            ("InvalidParameterValue.BlueprintIdMalformed", Kind::InvalidInput),
            ("InvalidParameterValue.Duplicated", Kind::InvalidInput),
            ("InvalidParameterValue.InstanceIdMalformed", Kind::InvalidInput),
            ("InvalidParameterValue.InvalidParameterCombination", Kind::InvalidInput),
            ("InvalidParameterValue.InvalidPassword", Kind::InvalidInput),
            ("InvalidParameterValue.LimitExceeded", Kind::InvalidInput),
            ("InvalidParameterValue.NotAllowToChangePlatformType", Kind::InvalidInput),
            ("InvalidParameterValue.OutOfRange", Kind::InvalidInput),
            ("InvalidParameterValue.TooLong", Kind::InvalidInput),
            ("MissingParameter", Kind::InvalidInput),
            ("UnknownParameter", Kind::InvalidInput),
            ("InvalidAction", Kind::InvalidInput),
            ("NoSuchVersion", Kind::InvalidInput),
            ("UnsupportedRegion", Kind::InvalidInput),
            ("RequestSizeLimitExceeded", Kind::InvalidInput),
            ("ResourceNotFound.BlueprintIdNotFound", Kind::NotFound),
            ("ResourceNotFound.InstanceIdNotFound", Kind::NotFound),
            ("ResourceNotFound.InstanceNotFound", Kind::NotFound),
            ("ResourceNotFound.KeyPairNotFound", Kind::NotFound),
            ("ResourceUnavailable.BlueprintUnavailable", Kind::NotFound),
            ("FailedOperation", Kind::Other),
            ("FailedOperation.DescribeInstanceStatus", Kind::Other),
            ("FailedOperation.InstanceOperationFailed", Kind::Other),
            ("LimitExceeded", Kind::Other),
            ("ResourceInUse", Kind::Other),
            ("ResourceInsufficient", Kind::Other),
            ("UnsupportedOperation.BlueprintTypeNotSupportOperation", Kind::Other),
            ("UnsupportedOperation.InstanceDisplayAreaNotSupportOperation", Kind::Other),
            ("UnsupportedOperation.InvalidInstanceState", Kind::Other),
            ("UnsupportedOperation.OperationNotSupportAutoGeneratePassword", Kind::Other),
            ("ClientError.InvalidArgument", Kind::InvalidInput),
            ("ClientError.Credentials", Kind::Auth),
            ("ClientError.Network", Kind::Network),
            ("ClientError.Timeout", Kind::Timeout),
            ("ClientError.Aborted", Kind::Aborted),
            ("ClientError.BadResponse", Kind::Transient),
            ("WaiterError.Timeout", Kind::Waiter),
            ("WaiterError.OperationFailed", Kind::Waiter),
            ("", Kind::Other),
            ("RequestLimitExceededX", Kind::Other),
            ("AuthFailureX", Kind::Other),
        ];
        for (code, kind) in table {
            assert_eq!(classify(code), *kind, "{code}");
        }
    }

    #[test]
    fn retryable_kinds() {
        for k in [Kind::Throttling, Kind::ClockSkew, Kind::Transient, Kind::Busy, Kind::Network, Kind::Timeout] {
            assert!(k.retryable(), "{k:?}");
        }
        for k in [Kind::Auth, Kind::InvalidInput, Kind::NotFound, Kind::Aborted, Kind::Waiter, Kind::Other] {
            assert!(!k.retryable(), "{k:?}");
        }
    }

    #[test]
    fn builder_and_display() {
        let e = Error::new("ResourceNotFound.InstanceIdNotFound", "no such instance")
            .with_action("ResetInstance")
            .with_request_id(Some("r-1".into()))
            .with_http_status(200);
        assert_eq!(e.kind, Kind::NotFound);
        assert!(!e.retryable);
        assert_eq!(e.to_string(), "ResourceNotFound.InstanceIdNotFound: no such instance");
        assert_eq!(e.action.as_deref(), Some("ResetInstance"));
    }
}
