//! What crosses between the machines and their driver: requests, answers, instances, progress,
//! log and journal entries. Plain data: strings, numbers and small enums.

use super::Opaque;
use crate::error::Error;
use crate::waiter::{parse_tencent_time, Snapshot};
use std::fmt;
use std::rc::Rc;

/// A POST to send. `Host` is not among the headers: the platform sets it, and it is the value
/// signed.
#[derive(Clone)]
pub struct Request {
    /// The URL to fetch.
    pub url: String,
    /// Every header to send, in a stable order.
    pub headers: Vec<(&'static str, String)>,
    body: Rc<str>,
    /// Whether the answer's `InstanceSet` is wanted ([`Answer::instances`]): DescribeInstances of
    /// a wait.
    pub instances: bool,
}

impl Request {
    pub(crate) fn new(url: String, headers: Vec<(&'static str, String)>, body: Rc<str>, instances: bool) -> Request {
        Request { url, headers, body, instances }
    }

    /// The exact body, which is what was signed.
    pub fn body(&self) -> &str {
        &self.body
    }

    /// The value of header `name` (as spelt in [`Request::headers`]).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| *k == name).map(|(_, v)| v.as_str())
    }
}

impl fmt::Debug for Request {
    /// Header names only: values hold the signature and the token.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(k, _)| *k).collect();
        f.debug_struct("Request")
            .field("url", &self.url)
            .field("headers", &names)
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// The API's answer to a send: HTTP 200, its JSON, a `Response` object without `Error`.
#[derive(Clone, Debug)]
pub struct Answer {
    /// `Response.RequestId`.
    pub request_id: Option<String>,
    /// The `Response` object itself (what a call resolves with).
    pub response: Opaque,
    /// `Response.InstanceSet`, decoded when [`Request::instances`] asked for it (else empty).
    pub instances: Vec<Instance>,
}

/// Why a send has no [`Answer`]: the API's error answer, or a transport-level failure.
#[derive(Clone, Debug)]
pub struct Fault {
    /// The API's `Error.Code` and `Message` with its RequestId and HTTP status 200, or a client
    /// code: `ClientError.Network` (no answer), `ClientError.BadResponse` (not the API's JSON:
    /// HTML, empty, truncated, non-200, with `httpStatus`).
    pub error: Error,
    /// The JS error behind it (fetch's TypeError), if any.
    pub cause: Opaque,
    /// Whether the request may have reached the service: `false` only when it certainly did not
    /// (fetch threw before sending, connection refused, host not found).
    pub sent: bool,
    /// The answer's `Date` header, when there was an answer.
    pub date: Option<String>,
}

impl Fault {
    /// A fault with `error`, sent, without cause or date.
    pub fn new(error: Error) -> Fault {
        Fault { error, cause: Opaque::none(), sent: true, date: None }
    }
}

/// What a send came to.
#[derive(Clone, Debug)]
pub enum Reply {
    /// The API's answer.
    Answer(Answer),
    /// No answer: why.
    Fault(Fault),
}

/// One element of DescribeInstances' `InstanceSet`, with the fields the waiters judge.
#[derive(Clone, Debug, Default)]
pub struct Instance {
    /// `InstanceId`.
    pub instance_id: String,
    /// `InstanceState` (RUNNING, STOPPED, PENDING, ...).
    pub instance_state: String,
    /// `LatestOperation` (e.g. ResetInstance).
    pub latest_operation: Option<String>,
    /// `LatestOperationState`: SUCCESS, OPERATING or FAILED.
    pub latest_operation_state: Option<String>,
    /// `LatestOperationRequestId`.
    pub latest_operation_request_id: Option<String>,
    /// `LatestOperationStartedTime` as the API wrote it (`2020-09-22T00:00:00Z`).
    pub latest_operation_started_time: Option<String>,
    /// The JS instance object itself (what progress events and waits hand back).
    pub raw: Opaque,
}

impl Instance {
    pub(crate) fn snapshot(&self) -> Snapshot<'_> {
        Snapshot {
            instance_state: &self.instance_state,
            latest_operation: self.latest_operation.as_deref(),
            latest_operation_state: self.latest_operation_state.as_deref(),
            latest_operation_request_id: self.latest_operation_request_id.as_deref(),
            latest_operation_started_ms: self.latest_operation_started_time.as_deref().and_then(parse_tencent_time),
        }
    }
}

/// One `onProgress` event: a poll that listed the instance.
#[derive(Clone, Debug)]
pub struct Progress {
    /// `InstanceId`.
    pub instance_id: String,
    /// `LatestOperationState` (`null` when absent).
    pub latest_operation_state: Option<String>,
    /// `InstanceState`.
    pub instance_state: String,
    /// Polls of this wait before this one (0, 1, 2, ...), missed ones included.
    pub attempt: u32,
    /// Milliseconds since the wait began; see [`elapsed_seconds`].
    pub elapsed_ms: f64,
    /// The instance object.
    pub instance: Opaque,
}

/// Milliseconds as the JS `elapsedSeconds`: seconds to one decimal.
pub fn elapsed_seconds(ms: f64) -> f64 {
    (ms / 100.0).round() / 10.0
}

/// How loud a log entry is (the logger's method).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// `logger.debug`.
    Debug,
    /// `logger.info`.
    Info,
    /// `logger.warn`.
    Warn,
}

impl Level {
    /// The logger method's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Debug => "debug",
            Level::Info => "info",
            Level::Warn => "warn",
        }
    }
}

/// What a log entry reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogEvent {
    /// An attempt settled: `status`, `code`, `request_id`, `ms` its duration.
    Attempt,
    /// A retry after `ms` of backoff (`code`: the failure retried).
    Retry,
    /// The client-side limiter holds the attempt back `ms`.
    RateLimitWait,
    /// The clock offset was corrected to `ms` and the request is signed again.
    ClockSkew,
    /// Temporary credentials were refused near their expiry: refreshed, retried.
    CredentialsRefresh,
    /// A reset's fate is unknown (`code`: why): DescribeInstances decides.
    ReconcileStarted,
    /// Reconciliation found the reset took effect (`request_id`: its RequestId).
    ReconciledHappened,
    /// Reconciliation found it did not: resending is safe.
    ReconciledNotHappened,
}

impl LogEvent {
    /// The entry's `event`, for code that filters a log.
    pub fn name(self) -> &'static str {
        match self {
            LogEvent::Attempt => "attempt",
            LogEvent::Retry => "retry",
            LogEvent::RateLimitWait => "rateLimitWait",
            LogEvent::ClockSkew => "clockSkew",
            LogEvent::CredentialsRefresh => "credentialsRefresh",
            LogEvent::ReconcileStarted => "reconcileStarted",
            LogEvent::ReconciledHappened => "reconciledHappened",
            LogEvent::ReconciledNotHappened => "reconciledNotHappened",
        }
    }

    /// A short message for the logger's first argument.
    pub fn message(self) -> &'static str {
        match self {
            LogEvent::Attempt => "tc3-lighthouse: attempt",
            LogEvent::Retry => "tc3-lighthouse: retry",
            LogEvent::RateLimitWait => "tc3-lighthouse: rate limit wait",
            LogEvent::ClockSkew => "tc3-lighthouse: clock skew corrected",
            LogEvent::CredentialsRefresh => "tc3-lighthouse: credentials refreshed",
            LogEvent::ReconcileStarted => "tc3-lighthouse: reconciling a reset",
            LogEvent::ReconciledHappened => "tc3-lighthouse: reconciled, the reset took effect",
            LogEvent::ReconciledNotHappened => "tc3-lighthouse: reconciled, the reset did not take effect",
        }
    }
}

/// One logger entry. Never a secret, a token, a signature or a body: names, codes, numbers.
#[derive(Clone, Debug, PartialEq)]
pub struct LogEntry {
    /// How loud.
    pub level: Level,
    /// What happened.
    pub event: LogEvent,
    /// The API action.
    pub action: String,
    /// X-TC-Region, when sent.
    pub region: Option<String>,
    /// The attempt, from 1.
    pub attempt: u32,
    /// The HTTP status, when there was an answer.
    pub status: Option<u16>,
    /// The error code, when it failed.
    pub code: Option<String>,
    /// The RequestId, when there was one.
    pub request_id: Option<String>,
    /// Milliseconds: the attempt's duration, the wait, or the offset (see [`LogEvent`]).
    pub ms: f64,
}

/// Where a fleet item stands in the journal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JournalState {
    /// A reset is about to be sent: written and flushed before it is.
    Intent,
    /// The reset was answered (`RequestId` known).
    Sent,
    /// The reset finished in SUCCESS.
    Succeeded,
    /// The item failed.
    Failed,
}

impl JournalState {
    /// The JS `state`.
    pub fn as_str(self) -> &'static str {
        match self {
            JournalState::Intent => "intent",
            JournalState::Sent => "sent",
            JournalState::Succeeded => "succeeded",
            JournalState::Failed => "failed",
        }
    }
}

/// One journal entry (the JS `JournalEntry`).
#[derive(Clone, Debug, PartialEq)]
pub struct JournalEntry {
    /// `InstanceId`.
    pub instance_id: String,
    /// `RequestId`, once known.
    pub request_id: Option<String>,
    /// `state`.
    pub state: JournalState,
    /// `at`: Unix milliseconds, local clock.
    pub at_ms: f64,
}
