//! The one poller behind every wait: the waiter, `waitForIdle`, reconciliation of a lost reset and
//! a fleet's waits. It holds targets (an instance and what it waits for), polls them in rounds of
//! DescribeInstances of up to 100 IDs each, and judges each target from its instance. The
//! missing-instance rule lives here and only here: a target missing from more than
//! [`MISSING_TOLERANCE`] consecutive polls (or, for reconciliation, whose snapshot cannot tell) ends.
//! Between rounds it sleeps as its [`Pace`] says, never past the nearest deadline.

use super::call::{Call, CallOptions, CallResult, Client};
use super::{Cx, Effect, Event, Failure, Id, Instance, Opaque, Progress, Waited};
use crate::error::{Error, Kind, INSTANCE_NOT_FOUND, NETWORK, WAITER_OPERATION_FAILED, WAITER_TIMEOUT};
use crate::retry::full_jitter_ms;
use crate::waiter::{
    batches, is_idle, reconcile_reset, reset_outcome, Outcome, Reconciled, Schedule, DESCRIBE_MAX_IDS,
    MISSING_TOLERANCE, SKEW_ALLOWANCE_MS,
};
use std::rc::Rc;

/// What a target waits for.
#[derive(Clone, Debug)]
pub(crate) enum Judge {
    /// Its reset (of this RequestId when known) in SUCCESS; FAILED fails the wait.
    Reset(Option<String>),
    /// RUNNING or STOPPED with no operation in progress.
    Idle,
    /// Whether a ResetInstance sent at `since_ms` (server clock) took effect; "not happened" is
    /// believed once `patience_ms` have passed since the target was added.
    Reconcile { since_ms: f64, patience_ms: f64 },
}

/// What a finished target found.
#[derive(Debug)]
pub(crate) enum Found {
    /// The instance reached the state waited for.
    Instance(Opaque),
    /// Reconciliation: the reset took effect, with this RequestId (empty if the API gave none).
    Happened(String),
    /// Reconciliation: it did not; resending is safe.
    NotHappened,
}

impl Found {
    pub(crate) fn instance(self) -> Opaque {
        match self {
            Found::Instance(i) => i,
            Found::Happened(_) | Found::NotHappened => Opaque::none(),
        }
    }
}

/// One wait of the poller.
#[derive(Debug)]
pub(crate) struct Target {
    /// The owner's name for it (a fleet's item index).
    pub key: usize,
    pub instance_id: String,
    judge: Judge,
    /// When the wait began: progress' `elapsedSeconds` and the deadline count from here.
    since_ms: f64,
    /// Polls that asked for it, over every phase of one wait.
    pub polls: u32,
    added_ms: f64,
    missing: u32,
    last: Opaque,
    in_round: bool,
}

impl Target {
    pub(crate) fn new(key: usize, instance_id: String, judge: Judge, since_ms: f64) -> Target {
        Target {
            key,
            instance_id,
            judge,
            since_ms,
            polls: 0,
            added_ms: since_ms,
            missing: 0,
            last: Opaque::none(),
            in_round: false,
        }
    }

    /// The next phase of the same wait: its clock and poll count go on.
    pub(crate) fn then(self, judge: Judge) -> Target {
        Target { judge, missing: 0, last: Opaque::none(), in_round: false, ..self }
    }

    /// Milliseconds since the wait began.
    pub(crate) fn elapsed(&self, now_ms: f64) -> f64 {
        now_ms - self.since_ms
    }

    /// What a waiter's failure carries.
    fn waited(&self, instance: Opaque, now_ms: f64) -> Option<Waited> {
        Some(Waited { instance, elapsed_ms: self.elapsed(now_ms), attempts: self.polls })
    }
}

/// How long the poller sleeps between rounds.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Pace {
    /// A waiter's schedule: backoff between its bounds, deadlines at `max_wait_ms`.
    Schedule(Schedule),
    /// Reconciliation: 250 ms to 2 s, full jitter, no deadline (patience and the missing rule end it).
    Reconcile,
}

impl Pace {
    fn delay_ms(&self, attempt: u32, elapsed_ms: f64, unit: f64) -> f64 {
        match self {
            Pace::Schedule(s) => s.next_delay_ms(attempt, elapsed_ms, unit).unwrap_or(s.min_delay_ms),
            Pace::Reconcile => full_jitter_ms(attempt, 500.0, 2_000.0, unit).max(250.0),
        }
    }

    fn expired(&self, elapsed_ms: f64) -> bool {
        match self {
            Pace::Schedule(s) => s.next_delay_ms(0, elapsed_ms, 0.0).is_none(),
            Pace::Reconcile => false,
        }
    }
}

#[derive(Debug)]
enum Round {
    Idle,
    Sleeping(Id),
    /// DescribeInstances calls in flight, each with the IDs it asked for.
    Polling(Vec<(Call, Vec<String>)>),
}

/// What a target's look at one answer came to.
enum Verdict {
    Pending,
    /// Counts as a miss (missing, or reconciliation could not tell).
    Unseen,
    Done(Result<Found, Failure>),
}

/// A poller; see the module docs.
#[derive(Debug)]
pub(crate) struct Poller {
    client: Rc<Client>,
    opts: CallOptions,
    pace: Pace,
    ride_out: bool,
    progress: bool,
    first_delay_ms: f64,
    targets: Vec<Target>,
    round: Round,
    attempt: u32,
    added: bool,
    done: Vec<(Target, Result<Found, Failure>)>,
}

impl Poller {
    /// A poller that rides out passing poll failures, reports no progress, and polls a target at
    /// once when it is added to an idle poller.
    pub(crate) fn new(client: Rc<Client>, opts: CallOptions, pace: Pace) -> Poller {
        Poller {
            client,
            opts,
            pace,
            ride_out: true,
            progress: false,
            first_delay_ms: 0.0,
            targets: Vec::new(),
            round: Round::Idle,
            attempt: 0,
            added: false,
            done: Vec::new(),
        }
    }

    /// A poll's failure, passing or not, ends the targets it asked for (reconciliation must not
    /// guess); by default passing ones (throttling, transient, network, timeout) wait for the next
    /// round, since the call already retried them.
    pub(crate) fn strict(mut self) -> Poller {
        self.ride_out = false;
        self
    }

    /// Emit [`Effect::Progress`] for each poll that lists a target.
    pub(crate) fn with_progress(mut self, progress: bool) -> Poller {
        self.progress = progress;
        self
    }

    /// The first round after `ms` when a target joins an idle poller (a fleet lets resets show).
    pub(crate) fn with_first_delay(mut self, ms: f64) -> Poller {
        self.first_delay_ms = ms;
        self
    }

    pub(crate) fn add(&mut self, mut target: Target, cx: &mut Cx<'_>) {
        target.added_ms = cx.now_ms();
        target.in_round = false;
        self.targets.push(target);
        self.added = true;
        if matches!(self.round, Round::Idle) {
            if self.first_delay_ms > 0.0 {
                self.round = Round::Sleeping(cx.sleep(self.first_delay_ms));
            } else {
                self.start_round(cx);
            }
        }
    }

    /// The targets that finished since the last call.
    pub(crate) fn take_done(&mut self) -> Vec<(Target, Result<Found, Failure>)> {
        std::mem::take(&mut self.done)
    }

    pub(crate) fn owns(&self, id: Id) -> bool {
        match &self.round {
            Round::Idle => false,
            Round::Sleeping(t) => *t == id,
            Round::Polling(calls) => calls.iter().any(|(c, _)| c.owns(id)),
        }
    }

    /// Feeds an event; events for other ids are ignored.
    pub(crate) fn on(&mut self, event: Event, cx: &mut Cx<'_>) {
        match &mut self.round {
            Round::Sleeping(t) if matches!(event, Event::Fired { id } if id == *t) => self.start_round(cx),
            Round::Polling(calls) => {
                let Some(i) = event.id().and_then(|id| calls.iter().position(|(c, _)| c.owns(id))) else { return };
                let Some((call, _)) = calls.get_mut(i) else { return };
                let Some(result) = call.on(event, cx) else { return };
                let (_, ids) = calls.swap_remove(i);
                let empty = calls.is_empty();
                self.apply(&ids, &result, cx);
                if empty {
                    self.end_round(cx);
                }
            }
            Round::Idle | Round::Sleeping(_) => {}
        }
    }

    /// Cancels the round in flight or the sleep; targets stay (the owner settles them).
    pub(crate) fn cancel(&mut self, cx: &mut Cx<'_>) {
        match std::mem::replace(&mut self.round, Round::Idle) {
            Round::Sleeping(t) => cx.cancel(t),
            Round::Polling(calls) => {
                for (mut call, _) in calls {
                    call.cancel(cx);
                }
            }
            Round::Idle => {}
        }
    }

    fn start_round(&mut self, cx: &mut Cx<'_>) {
        if self.targets.is_empty() {
            self.round = Round::Idle;
            return;
        }
        // Newly added targets start the backoff over, so the last of a fleet is not polled late.
        if std::mem::take(&mut self.added) {
            self.attempt = 0;
        }
        let mut ids: Vec<String> = Vec::with_capacity(self.targets.len());
        for t in &mut self.targets {
            t.in_round = true;
            t.polls = t.polls.saturating_add(1);
            if !ids.contains(&t.instance_id) {
                ids.push(t.instance_id.clone());
            }
        }
        let mut calls = Vec::new();
        let mut settled = Vec::new();
        for batch in batches(&ids, DESCRIBE_MAX_IDS) {
            let mut call = Call::describe(self.client.clone(), batch, self.opts.clone());
            match call.start(cx) {
                None => calls.push((call, batch.to_vec())),
                Some(result) => settled.push((batch.to_vec(), result)),
            }
        }
        let empty = calls.is_empty();
        self.round = Round::Polling(calls);
        for (ids, result) in settled {
            self.apply(&ids, &result, cx);
        }
        if empty {
            self.end_round(cx);
        }
    }

    /// Judges the targets a DescribeInstances asked for from its result.
    fn apply(&mut self, ids: &[String], result: &CallResult, cx: &mut Cx<'_>) {
        let now = cx.now_ms();
        let targets = std::mem::take(&mut self.targets);
        for mut t in targets {
            if !t.in_round || !ids.contains(&t.instance_id) {
                self.targets.push(t);
                continue;
            }
            t.in_round = false;
            let verdict = match result {
                Err(f) if self.ride_out && passing(f.failure.error.kind) => Verdict::Pending,
                Err(f) => Verdict::Done(Err(f.failure.clone())),
                Ok(answer) => match answer.instances.iter().find(|i| i.instance_id == t.instance_id) {
                    None => Verdict::Unseen,
                    Some(instance) => {
                        if self.progress && !matches!(t.judge, Judge::Reconcile { .. }) {
                            cx.emit(Effect::Progress(progress(&t, instance, now)));
                        }
                        judge(&mut t, instance, now)
                    }
                },
            };
            let verdict = match verdict {
                Verdict::Unseen => {
                    t.missing = t.missing.saturating_add(1);
                    if t.missing > MISSING_TOLERANCE {
                        Verdict::Done(Err(gone(&t.judge)))
                    } else {
                        Verdict::Pending
                    }
                }
                v => v,
            };
            match verdict {
                Verdict::Done(r) => self.done.push((t, r)),
                Verdict::Pending | Verdict::Unseen => self.targets.push(t),
            }
        }
    }

    /// After a round: targets past their deadline end, the others are polled again after the
    /// pace's delay, cut to the nearest deadline.
    fn end_round(&mut self, cx: &mut Cx<'_>) {
        let now = cx.now_ms();
        let targets = std::mem::take(&mut self.targets);
        for t in targets {
            if self.pace.expired(t.elapsed(now)) {
                let mut f = Failure::new(Error::new(WAITER_TIMEOUT, "The reset did not finish within maxWaitSeconds."));
                f.waited = t.waited(t.last.clone(), now);
                self.done.push((t, Err(f)));
            } else {
                self.targets.push(t);
            }
        }
        if self.targets.is_empty() {
            self.round = Round::Idle;
            return;
        }
        let elapsed = self.targets.iter().map(|t| t.elapsed(now)).fold(0.0, f64::max);
        let delay = self.pace.delay_ms(self.attempt, elapsed, cx.random()).max(1.0);
        self.attempt = self.attempt.saturating_add(1);
        self.round = Round::Sleeping(cx.sleep(delay));
    }
}

/// Whether a poll's failure is a passing one a waiter rides out (the call already retried it).
fn passing(kind: Kind) -> bool {
    matches!(kind, Kind::Throttling | Kind::Transient | Kind::Network | Kind::Timeout)
}

fn progress(t: &Target, i: &Instance, now_ms: f64) -> Progress {
    Progress {
        instance_id: t.instance_id.clone(),
        latest_operation_state: i.latest_operation_state.clone(),
        instance_state: i.instance_state.clone(),
        attempt: t.polls.saturating_sub(1),
        elapsed_ms: t.elapsed(now_ms),
        instance: i.raw.clone(),
    }
}

/// Judges one listing of the target's instance.
fn judge(t: &mut Target, i: &Instance, now_ms: f64) -> Verdict {
    let snapshot = i.snapshot();
    let verdict = match &t.judge {
        Judge::Reset(request_id) => match reset_outcome(&snapshot, request_id.as_deref()) {
            Outcome::Succeeded => Verdict::Done(Ok(Found::Instance(i.raw.clone()))),
            Outcome::Failed => {
                let error = Error::new(WAITER_OPERATION_FAILED, "The reset ended in FAILED.")
                    .with_request_id(i.latest_operation_request_id.clone());
                let mut f = Failure::new(error);
                f.waited = t.waited(i.raw.clone(), now_ms);
                Verdict::Done(Err(f))
            }
            Outcome::Pending => Verdict::Pending,
        },
        Judge::Idle if is_idle(&snapshot) => Verdict::Done(Ok(Found::Instance(i.raw.clone()))),
        Judge::Idle => Verdict::Pending,
        Judge::Reconcile { since_ms, patience_ms } => match reconcile_reset(&snapshot, *since_ms, SKEW_ALLOWANCE_MS) {
            Reconciled::Happened => {
                Verdict::Done(Ok(Found::Happened(i.latest_operation_request_id.clone().unwrap_or_default())))
            }
            Reconciled::NotHappened if now_ms - t.added_ms >= *patience_ms => Verdict::Done(Ok(Found::NotHappened)),
            Reconciled::NotHappened => Verdict::Pending,
            Reconciled::Undetermined => return Verdict::Unseen,
        },
    };
    if matches!(verdict, Verdict::Pending) {
        t.missing = 0;
        t.last = i.raw.clone();
    }
    verdict
}

/// The error of a target that was not seen too many times in a row.
fn gone(judge: &Judge) -> Failure {
    Failure::new(match judge {
        Judge::Reconcile { .. } => Error::new(
            NETWORK,
            "The reset's answer was lost and DescribeInstances could not tell whether it took effect.",
        )
        .with_action("ResetInstance"),
        Judge::Reset(_) | Judge::Idle => {
            Error::new(INSTANCE_NOT_FOUND, "The instance is not in DescribeInstances.").with_action("DescribeInstances")
        }
    })
}
