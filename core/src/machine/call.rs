//! One API call: credentials, the realm's limiter, signing (with the clock offset learnt for the
//! host), the send and its time limit, and what follows a failure: backoff and retry
//! ([`decide`]), re-signing once after `AuthFailure.SignatureExpire`, refreshing temporary
//! credentials once after an `AuthFailure.*` near their expiry, or giving up. A mutation sent
//! without an answer ends with its fate unknown, for [`super::Reset`] to reconcile.

use super::{
    aborted, finish, Answer, Cx, Effect, Event, Failure, Fault, Id, Level, LogEntry, LogEvent, Machine, Output,
};
use super::{Reply, Request};
use crate::credentials::Credentials;
use crate::endpoint::Endpoint;
use crate::error::{Error, Kind, BAD_RESPONSE, TIMEOUT};
use crate::retry::{clock_offset_ms, decide, parse_http_date, safety_of, Next, RetryPolicy, Safety};
use crate::tc3::request::{prepare, Input, DEFAULT_VERSION};
use std::rc::Rc;

/// `X-TC-RequestClient`.
pub const REQUEST_CLIENT: &str = concat!("tc3-lighthouse/", env!("CARGO_PKG_VERSION"));

/// A client's settings, shared by its calls (the checked `ClientConfig`).
#[derive(Clone, Debug)]
pub struct Client {
    /// Where requests go, and the Host that is signed.
    pub endpoint: Endpoint,
    /// The service signed for (`lighthouse`).
    pub service: String,
    /// X-TC-Region.
    pub region: Option<String>,
    /// X-TC-Language.
    pub language: Option<String>,
    /// Per-attempt time limit, in milliseconds.
    pub timeout_ms: Option<f64>,
    /// Attempts and backoff.
    pub policy: RetryPolicy,
    /// Sign with credentials (false: a signing proxy, no credentials asked for).
    pub signed: bool,
    /// Wait for the realm's limiter before each attempt.
    pub rate_limit: bool,
    /// Emit [`Effect::Log`] entries (there is a logger). Only with the `log` feature (on by
    /// default): without it no log entry is built, and the code that builds them is not compiled in.
    pub log: bool,
    /// `X-TC-RequestClient`.
    pub request_client: &'static str,
}

impl Client {
    /// Whether log entries are emitted: there is a logger, and the build has the `log` feature.
    pub(crate) fn logs(&self) -> bool {
        cfg!(feature = "log") && self.log
    }

    /// Defaults for `endpoint`: service `lighthouse`, no region or language, no time limit, three
    /// attempts, signed, rate limited, no logger.
    pub fn new(endpoint: Endpoint) -> Client {
        Client {
            endpoint,
            service: "lighthouse".to_owned(),
            region: None,
            language: None,
            timeout_ms: None,
            policy: RetryPolicy::default(),
            signed: true,
            rate_limit: true,
            log: false,
            request_client: REQUEST_CLIENT,
        }
    }
}

/// Per-call options (`CallOptions`; the region is the signing proxy's, from the page).
#[derive(Clone, Debug, Default)]
pub struct CallOptions {
    /// Per-attempt time limit instead of the client's, in milliseconds.
    pub timeout_ms: Option<f64>,
    /// X-TC-Region instead of the client's.
    pub region: Option<String>,
}

/// A call's failure, and whether it is a mutation sent without an answer (to reconcile).
#[derive(Debug)]
pub(crate) struct CallFailure {
    pub failure: Failure,
    pub unknown_fate: bool,
}

impl CallFailure {
    fn plain(failure: Failure) -> CallFailure {
        CallFailure { failure, unknown_fate: false }
    }
}

pub(crate) type CallResult = Result<Answer, CallFailure>;

#[derive(Debug)]
enum State {
    New,
    Credentials(Id),
    RateLimit { timer: Id, creds: Option<Credentials> },
    InFlight { send: Id, timer: Option<Id>, started_ms: f64, creds: Option<Credentials> },
    Backoff(Id),
    Finished,
}

/// One API call, retried as far as that is safe. As a [`Machine`] it ends with
/// [`Output::Response`].
#[derive(Debug)]
pub struct Call {
    client: Rc<Client>,
    action: String,
    body: Rc<str>,
    opts: CallOptions,
    instances: bool,
    safety: Safety,
    /// 0-based, as [`decide`] counts; logs say `attempt + 1`.
    attempt: u32,
    skew_retries: u32,
    refreshed: bool,
    refresh_next: bool,
    state: State,
}

/// `s` as a JSON string, escaped.
fn push_json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if u32::from(c) < 0x20 => {
                let hex = crate::hex::encode(&[u32::from(c) as u8]);
                out.push_str("\\u00");
                out.push_str(&hex);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

impl Call {
    /// A call of `action` with the JSON `body` (sent and signed byte for byte).
    pub fn new(client: Rc<Client>, action: impl Into<String>, body: impl Into<Rc<str>>, opts: CallOptions) -> Call {
        let action = action.into();
        Call {
            client,
            safety: safety_of(&action),
            action,
            body: body.into(),
            opts,
            instances: false,
            attempt: 0,
            skew_retries: 0,
            refreshed: false,
            refresh_next: false,
            state: State::New,
        }
    }

    /// DescribeInstances of `ids` (at most 100), its `InstanceSet` wanted.
    pub(crate) fn describe(client: Rc<Client>, ids: &[String], opts: CallOptions) -> Call {
        let mut body = String::with_capacity(32 + ids.len() * 17);
        body.push_str("{\"InstanceIds\":[");
        for (i, id) in ids.iter().enumerate() {
            if i > 0 {
                body.push(',');
            }
            push_json_string(&mut body, id);
        }
        body.push_str("],\"Limit\":100}");
        let mut call = Call::new(client, "DescribeInstances", body, opts);
        call.instances = true;
        call
    }

    pub(crate) fn owns(&self, id: Id) -> bool {
        match &self.state {
            State::Credentials(i) | State::RateLimit { timer: i, .. } | State::Backoff(i) => *i == id,
            State::InFlight { send, timer, .. } => *send == id || *timer == Some(id),
            State::New | State::Finished => false,
        }
    }

    pub(crate) fn start(&mut self, cx: &mut Cx<'_>) -> Option<CallResult> {
        match self.state {
            State::New => self.begin(cx),
            _ => None,
        }
    }

    /// Feeds an event; events for other ids are ignored.
    pub(crate) fn on(&mut self, event: Event, cx: &mut Cx<'_>) -> Option<CallResult> {
        match (std::mem::replace(&mut self.state, State::Finished), event) {
            (State::Credentials(id), Event::Credentials { id: got, result }) if got == id => match result {
                Ok(c) => self.limit(Some(c), cx),
                Err(mut f) => {
                    f.error = f.error.with_action(&self.action);
                    Some(Err(CallFailure::plain(f)))
                }
            },
            (State::RateLimit { timer, creds }, Event::Fired { id }) if id == timer => self.confirm(creds, cx),
            (State::InFlight { send, timer, started_ms, creds }, Event::Replied { id, reply }) if id == send => {
                if let Some(t) = timer {
                    cx.cancel(t);
                }
                self.replied(reply, started_ms, creds, cx)
            }
            (State::InFlight { send, timer: Some(t), started_ms, creds }, Event::Fired { id }) if id == t => {
                cx.cancel(send);
                let ms = self.opts.timeout_ms.or(self.client.timeout_ms).unwrap_or(0.0);
                let mut buf = [0u8; 20];
                let n = crate::tc3::u64_to_str(ms as u64, &mut buf);
                let error = Error::new(TIMEOUT, ["No answer within timeoutMs (", n, " ms)."].concat());
                self.replied(Reply::Fault(Fault::new(error)), started_ms, creds, cx)
            }
            (State::Backoff(t), Event::Fired { id }) if id == t => {
                self.attempt = self.attempt.saturating_add(1);
                self.begin(cx)
            }
            (state, _) => {
                self.state = state;
                None
            }
        }
    }

    /// Cancels whatever is pending; the call is over.
    pub(crate) fn cancel(&mut self, cx: &mut Cx<'_>) {
        match std::mem::replace(&mut self.state, State::Finished) {
            State::Credentials(id) | State::RateLimit { timer: id, .. } | State::Backoff(id) => cx.cancel(id),
            State::InFlight { send, timer, .. } => {
                cx.cancel(send);
                if let Some(t) = timer {
                    cx.cancel(t);
                }
            }
            State::New | State::Finished => {}
        }
    }

    fn region(&self) -> Option<&str> {
        self.opts.region.as_deref().or(self.client.region.as_deref())
    }

    /// A log entry of this attempt, when there is a logger.
    fn entry(&self, level: Level, event: LogEvent, ms: f64) -> Option<LogEntry> {
        self.client.logs().then(|| LogEntry {
            level,
            event,
            action: self.action.clone(),
            region: self.region().map(str::to_owned),
            attempt: self.attempt.saturating_add(1),
            status: None,
            code: None,
            request_id: None,
            ms,
        })
    }

    /// Logs `event` with what `fault` says (status, code, RequestId).
    fn log(&self, cx: &mut Cx<'_>, level: Level, event: LogEvent, ms: f64, fault: Option<&Fault>) {
        if let Some(mut e) = self.entry(level, event, ms) {
            if let Some(f) = fault {
                e.status = f.error.http_status;
                e.code = Some(f.error.code.clone().into_owned());
                e.request_id = f.error.request_id.clone();
            }
            cx.emit(Effect::Log(e));
        }
    }

    /// A new attempt: credentials first (none for a signing proxy).
    fn begin(&mut self, cx: &mut Cx<'_>) -> Option<CallResult> {
        if !self.client.signed {
            return self.limit(None, cx);
        }
        let id = cx.id();
        cx.emit(Effect::GetCredentials { id, refresh: std::mem::take(&mut self.refresh_next) });
        self.state = State::Credentials(id);
        None
    }

    /// Reserves a slot of the realm's limiter, sleeping until it comes.
    fn limit(&mut self, creds: Option<Credentials>, cx: &mut Cx<'_>) -> Option<CallResult> {
        if !self.client.rate_limit {
            return self.send(creds, cx);
        }
        let key = creds.as_ref().map_or("", |c| c.secret_id.as_str());
        let now = cx.now_ms();
        let wait = cx.realm().limiters.reserve(key, &self.action, now);
        if wait > 0.0 {
            self.log(cx, Level::Debug, LogEvent::RateLimitWait, wait, None);
            self.state = State::RateLimit { timer: cx.sleep(wait), creds };
            return None;
        }
        self.confirm(creds, cx)
    }

    /// The reserved slot has come: send if the actual sends allow it, else sleep again.
    fn confirm(&mut self, creds: Option<Credentials>, cx: &mut Cx<'_>) -> Option<CallResult> {
        let key = creds.as_ref().map_or("", |c| c.secret_id.as_str());
        let now = cx.now_ms();
        let wait = cx.realm().limiters.confirm(key, &self.action, now);
        if wait > 0.0 {
            self.state = State::RateLimit { timer: cx.sleep(wait), creds };
            return None;
        }
        self.send(creds, cx)
    }

    /// Signs (at the server's time as best known) and sends, with the attempt's time limit.
    fn send(&mut self, creds: Option<Credentials>, cx: &mut Cx<'_>) -> Option<CallResult> {
        let client = self.client.clone();
        let region = self.region().map(str::to_owned);
        let mut headers = Vec::with_capacity(10);
        match &creds {
            Some(c) => {
                let host = client.endpoint.host();
                let now_s = ((cx.now_ms() + cx.realm().clock_offset(host)) / 1000.0).floor();
                let input = Input {
                    secret_id: c.secret_id.clone(),
                    secret_key: c.secret_key.clone(),
                    token: c.token.clone(),
                    service: Some(client.service.clone()),
                    host: Some(host.to_owned()),
                    action: self.action.clone(),
                    region,
                    language: client.language.clone(),
                    payload: Some(self.body.to_string()),
                    ..Input::default()
                };
                let prepared = match prepare(input, now_s) {
                    Ok(p) => p,
                    Err(e) => return Some(Err(CallFailure::plain(Failure::new(e.with_action(&self.action))))),
                };
                let signed = prepared.sign(Some(cx.realm().keys()));
                headers.extend(prepared.headers(&signed).into_iter().filter(|(k, _)| *k != "Host"));
            }
            None => {
                headers.push(("Content-Type", "application/json".to_owned()));
                headers.push(("X-TC-Action", self.action.clone()));
                headers.push(("X-TC-Version", DEFAULT_VERSION.to_owned()));
                if let Some(r) = region {
                    headers.push(("X-TC-Region", r));
                }
                if let Some(l) = &client.language {
                    headers.push(("X-TC-Language", l.clone()));
                }
            }
        }
        headers.push(("X-TC-RequestClient", client.request_client.to_owned()));
        let id = cx.id();
        let request = Request::new(client.endpoint.url().to_owned(), headers, self.body.clone(), self.instances);
        cx.emit(Effect::Send { id, request });
        let timer = self.opts.timeout_ms.or(client.timeout_ms).map(|ms| cx.sleep(ms));
        self.state = State::InFlight { send: id, timer, started_ms: cx.now_ms(), creds };
        None
    }

    fn replied(
        &mut self,
        reply: Reply,
        started_ms: f64,
        creds: Option<Credentials>,
        cx: &mut Cx<'_>,
    ) -> Option<CallResult> {
        let ms = cx.now_ms() - started_ms;
        match reply {
            Reply::Answer(answer) => {
                if let Some(mut e) = self.entry(Level::Debug, LogEvent::Attempt, ms) {
                    e.status = Some(200);
                    e.request_id = answer.request_id.clone();
                    cx.emit(Effect::Log(e));
                }
                Some(Ok(answer))
            }
            Reply::Fault(fault) => {
                self.log(cx, Level::Debug, LogEvent::Attempt, ms, Some(&fault));
                self.failed(fault, creds, cx)
            }
        }
    }

    fn failed(&mut self, fault: Fault, creds: Option<Credentials>, cx: &mut Cx<'_>) -> Option<CallResult> {
        // A gateway page or a cut answer says nothing about whether a mutation took effect.
        let kind = if fault.error.code == BAD_RESPONSE { Kind::Network } else { fault.error.kind };
        let client = self.client.clone();
        let host = client.endpoint.host();
        let now = cx.now_ms();
        let attempts_left = self.attempt.saturating_add(1) < client.policy.max_attempts;
        if !self.refreshed && attempts_left {
            let now_s = (now + cx.realm().clock_offset(host)) / 1000.0;
            if creds.as_ref().is_some_and(|c| c.refresh_on(&fault.error.code, now_s)) {
                self.log(cx, Level::Warn, LogEvent::CredentialsRefresh, 0.0, Some(&fault));
                self.refreshed = true;
                self.refresh_next = true;
                self.attempt = self.attempt.saturating_add(1);
                return self.begin(cx);
            }
        }
        let unit = cx.random();
        match decide(kind, self.safety, fault.sent, self.attempt, &client.policy, self.skew_retries, unit) {
            Next::RetryAfter(ms) => {
                self.log(cx, Level::Info, LogEvent::Retry, ms, Some(&fault));
                self.state = State::Backoff(cx.sleep(ms));
                None
            }
            Next::ReSignAndRetry => {
                if let Some(server) = fault.date.as_deref().and_then(parse_http_date) {
                    let offset = clock_offset_ms(server, now);
                    cx.realm().set_clock_offset(host, offset);
                    self.log(cx, Level::Warn, LogEvent::ClockSkew, offset, Some(&fault));
                }
                self.skew_retries = self.skew_retries.saturating_add(1);
                self.attempt = self.attempt.saturating_add(1);
                self.begin(cx)
            }
            next => {
                let failure = Failure::new(fault.error.with_action(&self.action)).with_cause(fault.cause);
                Some(Err(CallFailure { failure, unknown_fate: next == Next::Reconcile }))
            }
        }
    }
}

impl Machine for Call {
    fn handle(&mut self, event: Event, cx: &mut Cx<'_>) {
        let result = match event {
            Event::Start => self.start(cx),
            Event::Abort { reason } => match self.state {
                State::Finished => None,
                _ => {
                    self.cancel(cx);
                    Some(Err(CallFailure::plain(aborted(Some(&self.action), &reason))))
                }
            },
            event => self.on(event, cx),
        };
        if let Some(r) = result {
            self.state = State::Finished;
            finish(cx, r.map(Output::Response).map_err(|f| f.failure));
        }
    }
}
