//! ResetInstance at most once in effect. When an attempt's fate is unknown (sent, no API answer:
//! lost, timed out, not the API's JSON), DescribeInstances decides through the poller: a
//! ResetInstance on the instance that started at or after the attempt (less
//! [`SKEW_ALLOWANCE_MS`](crate::waiter::SKEW_ALLOWANCE_MS)) is ours and its
//! `LatestOperationRequestId` is the RequestId; otherwise resending is safe. With a journal, the
//! intent is on disk before the first send, and the RequestId once it is known.

use super::call::{Call, CallFailure, CallOptions, CallResult, Client};
use super::poller::{Found, Judge, Pace, Poller, Target};
use super::{aborted, finish, Cx, Effect, Event, Failure, Id, JournalEntry, JournalState, Level, LogEntry, LogEvent};
use super::{Machine, Output, JOURNAL};
use crate::error::Kind;
use crate::retry::full_jitter_ms;
use std::rc::Rc;

const ACTION: &str = "ResetInstance";

#[derive(Debug)]
enum State {
    New,
    Intent(Id),
    Calling {
        call: Call,
        since_ms: f64,
    },
    /// `lost`: the failure being reconciled (none when resuming from a journal).
    Reconciling {
        poller: Poller,
        lost: Option<CallFailure>,
    },
    Backoff(Id),
    Sent {
        id: Id,
        request_id: String,
    },
    Finished,
}

/// An exactly-once ResetInstance. As a [`Machine`] it ends with [`Output::Reset`].
#[derive(Debug)]
pub struct Reset {
    client: Rc<Client>,
    opts: CallOptions,
    instance_id: String,
    body: Rc<str>,
    journal: bool,
    resume_at_ms: Option<f64>,
    /// The start (server clock) of the first attempt whose fate was unknown: a later "busy" may
    /// be that attempt at work, and reconciliation looks for a reset since then.
    unknown_since: Option<f64>,
    resends: u32,
    state: State,
}

pub(crate) type ResetResult = Result<String, Failure>;

impl Reset {
    /// A reset of `instance_id` with the checked JSON `body`.
    pub fn new(
        client: Rc<Client>,
        instance_id: impl Into<String>,
        body: impl Into<Rc<str>>,
        opts: CallOptions,
    ) -> Reset {
        Reset {
            client,
            opts,
            instance_id: instance_id.into(),
            body: body.into(),
            journal: false,
            resume_at_ms: None,
            unknown_since: None,
            resends: 0,
            state: State::New,
        }
    }

    /// Journal the reset: `intent` appended and flushed before the first send, `sent` with the
    /// RequestId before the reset is reported done.
    #[must_use]
    pub fn with_journal(mut self) -> Reset {
        self.journal = true;
        self
    }

    /// A reset an earlier run journaled as `intent` at `intent_at_ms` (local clock) and never saw
    /// answered: reconcile first, and send only if it did not take effect.
    #[must_use]
    pub fn resuming(mut self, intent_at_ms: f64) -> Reset {
        self.resume_at_ms = Some(intent_at_ms);
        self
    }

    pub(crate) fn owns(&self, id: Id) -> bool {
        match &self.state {
            State::Intent(i) | State::Backoff(i) | State::Sent { id: i, .. } => *i == id,
            State::Calling { call, .. } => call.owns(id),
            State::Reconciling { poller, .. } => poller.owns(id),
            State::New | State::Finished => false,
        }
    }

    pub(crate) fn start(&mut self, cx: &mut Cx<'_>) -> Option<ResetResult> {
        if !matches!(self.state, State::New) {
            return None;
        }
        if let Some(at) = self.resume_at_ms.filter(|_| JOURNAL) {
            let since = at + cx.realm().clock_offset(self.client.endpoint.host());
            self.unknown_since = Some(since);
            return self.reconcile(since, 0.0, None, cx);
        }
        if JOURNAL && self.journal {
            let id = cx.id();
            cx.emit(Effect::Journal { id, entry: self.entry(JournalState::Intent, None, cx) });
            self.state = State::Intent(id);
            return None;
        }
        self.send(cx)
    }

    /// Feeds an event; events for other ids are ignored.
    pub(crate) fn on(&mut self, event: Event, cx: &mut Cx<'_>) -> Option<ResetResult> {
        match (std::mem::replace(&mut self.state, State::Finished), event) {
            (State::Intent(id), Event::Journaled { id: got, result }) if got == id => match result {
                Ok(()) => self.send(cx),
                Err(f) => Some(Err(f)),
            },
            (State::Calling { mut call, since_ms }, event) => match call.on(event, cx) {
                None => {
                    self.state = State::Calling { call, since_ms };
                    None
                }
                Some(result) => self.called(result, since_ms, cx),
            },
            (State::Reconciling { mut poller, lost }, event) => {
                poller.on(event, cx);
                self.reconciled(poller, lost, cx)
            }
            (State::Backoff(t), Event::Fired { id }) if id == t => self.send(cx),
            (State::Sent { id, request_id }, Event::Journaled { id: got, result }) if got == id => match result {
                Ok(()) => Some(Ok(request_id)),
                Err(mut f) => {
                    f.error.request_id = Some(request_id);
                    Some(Err(f))
                }
            },
            (state, _) => {
                self.state = state;
                None
            }
        }
    }

    pub(crate) fn cancel(&mut self, cx: &mut Cx<'_>) {
        match std::mem::replace(&mut self.state, State::Finished) {
            State::Intent(id) | State::Backoff(id) | State::Sent { id, .. } => cx.cancel(id),
            State::Calling { mut call, .. } => call.cancel(cx),
            State::Reconciling { mut poller, .. } => poller.cancel(cx),
            State::New | State::Finished => {}
        }
    }

    fn entry(&self, state: JournalState, request_id: Option<String>, cx: &Cx<'_>) -> JournalEntry {
        JournalEntry { instance_id: self.instance_id.clone(), request_id, state, at_ms: cx.now_ms() }
    }

    fn log(&self, cx: &mut Cx<'_>, event: LogEvent, code: Option<&str>, request_id: Option<&str>) {
        if self.client.logs() {
            cx.emit(Effect::Log(LogEntry {
                level: Level::Warn,
                event,
                action: ACTION.to_owned(),
                region: self.opts.region.clone().or_else(|| self.client.region.clone()),
                attempt: self.resends.saturating_add(1),
                status: None,
                code: code.map(str::to_owned),
                request_id: request_id.map(str::to_owned),
                ms: 0.0,
            }));
        }
    }

    fn send(&mut self, cx: &mut Cx<'_>) -> Option<ResetResult> {
        let now_server = cx.now_ms() + cx.realm().clock_offset(self.client.endpoint.host());
        let since_ms = self.unknown_since.unwrap_or(now_server);
        let mut call = Call::new(self.client.clone(), ACTION, self.body.clone(), self.opts.clone());
        match call.start(cx) {
            None => {
                self.state = State::Calling { call, since_ms };
                None
            }
            Some(result) => self.called(result, since_ms, cx),
        }
    }

    fn called(&mut self, result: CallResult, since_ms: f64, cx: &mut Cx<'_>) -> Option<ResetResult> {
        match result {
            Ok(answer) => self.accepted(answer.request_id.unwrap_or_default(), cx),
            // After a lost answer, "busy" may be our own first attempt at work.
            Err(lost)
                if lost.unknown_fate || (self.unknown_since.is_some() && lost.failure.error.kind == Kind::Busy) =>
            {
                self.unknown_since = Some(since_ms);
                // A timed-out request may still be held by the service: watch long enough for it to land.
                let patience_ms = if lost.failure.error.kind == Kind::Timeout {
                    (2.0 * self.opts.timeout_ms.or(self.client.timeout_ms).unwrap_or(0.0)).max(5_000.0)
                } else {
                    0.0
                };
                self.log(cx, LogEvent::ReconcileStarted, Some(&lost.failure.error.code), None);
                self.reconcile(since_ms, patience_ms, Some(lost), cx)
            }
            Err(f) => Some(Err(f.failure)),
        }
    }

    fn reconcile(
        &mut self,
        since_ms: f64,
        patience_ms: f64,
        lost: Option<CallFailure>,
        cx: &mut Cx<'_>,
    ) -> Option<ResetResult> {
        let mut poller = Poller::new(self.client.clone(), self.opts.clone(), Pace::Reconcile).strict();
        let target = Target::new(0, self.instance_id.clone(), Judge::Reconcile { since_ms, patience_ms }, cx.now_ms());
        poller.add(target, cx);
        self.reconciled(poller, lost, cx)
    }

    fn reconciled(&mut self, mut poller: Poller, lost: Option<CallFailure>, cx: &mut Cx<'_>) -> Option<ResetResult> {
        let Some((_, found)) = poller.take_done().pop() else {
            self.state = State::Reconciling { poller, lost };
            return None;
        };
        match found {
            Ok(Found::Happened(request_id)) => {
                self.log(cx, LogEvent::ReconciledHappened, None, Some(&request_id));
                self.accepted(request_id, cx)
            }
            Ok(Found::NotHappened | Found::Instance(_)) => {
                self.log(cx, LogEvent::ReconciledNotHappened, None, None);
                let policy = self.client.policy;
                match lost {
                    None => self.send(cx),
                    Some(l)
                        if self.resends.saturating_add(1) < policy.max_attempts
                            && l.failure.error.kind != Kind::Busy =>
                    {
                        self.resends = self.resends.saturating_add(1);
                        let ms = full_jitter_ms(self.resends, policy.base_ms, policy.cap_ms, cx.random());
                        self.state = State::Backoff(cx.sleep(ms));
                        None
                    }
                    Some(l) => Some(Err(l.failure)),
                }
            }
            Err(f) => Some(Err(f)),
        }
    }

    /// The reset took effect with `request_id`: journaled before it is reported.
    fn accepted(&mut self, request_id: String, cx: &mut Cx<'_>) -> Option<ResetResult> {
        if !(JOURNAL && self.journal) {
            return Some(Ok(request_id));
        }
        let id = cx.id();
        cx.emit(Effect::Journal { id, entry: self.entry(JournalState::Sent, Some(request_id.clone()), cx) });
        self.state = State::Sent { id, request_id };
        None
    }
}

impl Machine for Reset {
    fn handle(&mut self, event: Event, cx: &mut Cx<'_>) {
        let result = match event {
            Event::Start => self.start(cx),
            Event::Abort { reason } => match self.state {
                State::Finished => None,
                _ => {
                    self.cancel(cx);
                    Some(Err(aborted(Some(ACTION), &reason)))
                }
            },
            event => self.on(event, cx),
        };
        if let Some(r) = result {
            self.state = State::Finished;
            finish(cx, r.map(|request_id| Output::Reset { request_id }));
        }
    }
}
