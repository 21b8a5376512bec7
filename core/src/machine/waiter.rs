//! One instance's wait: `waitUntilInstanceReset` (poll until the reset, of the RequestId when
//! known, is in SUCCESS) and `resetInstanceAndWait` (optionally wait until idle, reset exactly
//! once, then wait for that reset). The phases of one wait share its clock and its poll count, so
//! progress' `attempt` and `elapsedSeconds` never go back and `maxWaitSeconds` bounds the whole.

use super::call::{CallOptions, Client};
use super::poller::{Judge, Pace, Poller, Target};
use super::reset::{Reset, ResetResult};
use super::{aborted, finish, Cx, Event, Failure, Machine, Opaque, Output};
use crate::error::Kind;
use crate::waiter::Schedule;
use std::rc::Rc;

/// A wait's options (`WaiterOptions`, `timeoutMs` per poll, `waitForIdle`).
#[derive(Clone, Debug, Default)]
pub struct WaitOptions {
    /// When to poll and when to give up.
    pub schedule: Schedule,
    /// Options of each poll (and of the reset).
    pub call: CallOptions,
    /// `resetInstanceAndWait`: wait for an operation in progress to end first, instead of failing
    /// with kind `busy`.
    pub wait_for_idle: bool,
    /// Emit [`super::Effect::Progress`] (there is an `onProgress`).
    pub progress: bool,
}

#[derive(Debug)]
enum State {
    New,
    /// Polling; `idle`: for an idle instance (then the reset), else for the reset's end.
    Polling {
        poller: Poller,
        idle: bool,
    },
    Resetting(Box<Reset>),
    Finished,
}

/// One instance's wait. As a [`Machine`] it ends with [`Output::Instance`].
#[derive(Debug)]
pub struct Wait {
    client: Rc<Client>,
    opts: WaitOptions,
    instance_id: String,
    /// `resetInstanceAndWait`'s checked body; `None` for a wait alone.
    body: Option<Rc<str>>,
    request_id: Option<String>,
    /// The wait's clock and poll count, between phases.
    clock: Option<Target>,
    state: State,
}

type WaitResult = Result<Opaque, Failure>;

impl Wait {
    /// `waitUntilInstanceReset`: until `instance_id`'s reset (of `request_id` when given; any
    /// ResetInstance otherwise) is in SUCCESS.
    pub fn until_reset(
        client: Rc<Client>,
        instance_id: impl Into<String>,
        request_id: Option<String>,
        opts: WaitOptions,
    ) -> Wait {
        Wait { client, opts, instance_id: instance_id.into(), body: None, request_id, clock: None, state: State::New }
    }

    /// `resetInstanceAndWait`: reset with `body`, exactly once, then wait for that reset.
    pub fn reset_and_wait(
        client: Rc<Client>,
        instance_id: impl Into<String>,
        body: impl Into<Rc<str>>,
        opts: WaitOptions,
    ) -> Wait {
        let body = Some(body.into());
        Wait { client, opts, instance_id: instance_id.into(), body, request_id: None, clock: None, state: State::New }
    }

    fn start(&mut self, cx: &mut Cx<'_>) -> Option<WaitResult> {
        if !matches!(self.state, State::New) {
            return None;
        }
        self.clock = Some(Target::new(0, self.instance_id.clone(), Judge::Idle, cx.now_ms()));
        match &self.body {
            Some(_) if self.opts.wait_for_idle => self.poll(true, cx),
            Some(_) => self.reset(cx),
            None => self.poll(false, cx),
        }
    }

    fn on(&mut self, event: Event, cx: &mut Cx<'_>) -> Option<WaitResult> {
        match std::mem::replace(&mut self.state, State::Finished) {
            State::Polling { mut poller, idle } => {
                poller.on(event, cx);
                self.polled(poller, idle, cx)
            }
            State::Resetting(mut reset) => match reset.on(event, cx) {
                None => {
                    self.state = State::Resetting(reset);
                    None
                }
                Some(r) => self.reset_done(r, cx),
            },
            state => {
                self.state = state;
                None
            }
        }
    }

    fn cancel(&mut self, cx: &mut Cx<'_>) {
        match std::mem::replace(&mut self.state, State::Finished) {
            State::Polling { mut poller, .. } => poller.cancel(cx),
            State::Resetting(mut reset) => reset.cancel(cx),
            State::New | State::Finished => {}
        }
    }

    /// A polling phase, continuing the wait's clock.
    fn poll(&mut self, idle: bool, cx: &mut Cx<'_>) -> Option<WaitResult> {
        let judge = if idle { Judge::Idle } else { Judge::Reset(self.request_id.clone()) };
        let now = cx.now_ms();
        let target = match self.clock.take() {
            Some(t) => t.then(judge),
            None => Target::new(0, self.instance_id.clone(), judge, now),
        };
        let pace = Pace::Schedule(self.opts.schedule);
        let mut poller =
            Poller::new(self.client.clone(), self.opts.call.clone(), pace).with_progress(self.opts.progress);
        poller.add(target, cx);
        self.polled(poller, idle, cx)
    }

    fn polled(&mut self, mut poller: Poller, idle: bool, cx: &mut Cx<'_>) -> Option<WaitResult> {
        let Some((target, found)) = poller.take_done().pop() else {
            self.state = State::Polling { poller, idle };
            return None;
        };
        self.clock = Some(target);
        match found {
            Ok(_) if idle => self.reset(cx),
            Ok(found) => Some(Ok(found.instance())),
            Err(f) => Some(Err(f)),
        }
    }

    fn reset(&mut self, cx: &mut Cx<'_>) -> Option<WaitResult> {
        let body = self.body.clone().unwrap_or_else(|| Rc::from("{}"));
        let mut reset = Reset::new(self.client.clone(), self.instance_id.clone(), body, self.opts.call.clone());
        match reset.start(cx) {
            None => {
                self.state = State::Resetting(Box::new(reset));
                None
            }
            Some(r) => self.reset_done(r, cx),
        }
    }

    fn reset_done(&mut self, result: ResetResult, cx: &mut Cx<'_>) -> Option<WaitResult> {
        match result {
            Ok(request_id) => {
                self.request_id = Some(request_id);
                self.poll(false, cx)
            }
            Err(f) if f.error.kind == Kind::Busy && self.opts.wait_for_idle && self.within_max_wait(cx) => {
                self.poll(true, cx)
            }
            Err(f) => Some(Err(f)),
        }
    }

    fn within_max_wait(&self, cx: &Cx<'_>) -> bool {
        self.clock.as_ref().map_or(0.0, |t| t.elapsed(cx.now_ms())) < self.opts.schedule.max_wait_ms
    }
}

impl Machine for Wait {
    fn handle(&mut self, event: Event, cx: &mut Cx<'_>) {
        let result = match event {
            Event::Start => self.start(cx),
            Event::Abort { reason } => match self.state {
                State::Finished => None,
                _ => {
                    self.cancel(cx);
                    Some(Err(aborted(None, &reason)))
                }
            },
            event => self.on(event, cx),
        };
        if let Some(r) = result {
            self.state = State::Finished;
            finish(cx, r.map(Output::Instance));
        }
    }
}
