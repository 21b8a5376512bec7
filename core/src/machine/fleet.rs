//! `resetInstances`: the fleet's table. Every item settles on its own (one bad item rejects
//! nothing) and results come back in input order. Up to `concurrency` resets run at once, each
//! exactly once in effect; accepted resets join one shared poller (up to 100 instances a
//! DescribeInstances), each with its own deadline from the moment it was accepted. With a journal,
//! an item's final state is appended and flushed before it settles, and items an earlier run
//! journaled are resumed instead of reset again.

use super::call::{CallOptions, Client};
use super::poller::{Found, Judge, Pace, Poller, Target};
use super::reset::{Reset, ResetResult};
use super::waiter::WaitOptions;
use super::{aborted, Cx, Effect, Event, Failure, Id, JournalEntry, JournalState, Machine, Opaque, Output, JOURNAL};
use std::collections::BTreeMap;
use std::rc::Rc;

/// What an earlier run's journal says of an item.
#[derive(Clone, Debug, PartialEq)]
pub enum Prior {
    /// `intent` without `sent`: a reset may have been sent at about `at_ms` (local clock); it is
    /// reconciled before anything is sent.
    Intent {
        /// The intent's `at`.
        at_ms: f64,
    },
    /// `sent`: the reset took effect with this RequestId; it is waited for, never sent again.
    Sent {
        /// Its RequestId.
        request_id: String,
    },
    /// `succeeded`: the reset took effect and finished; the item succeeds without a request.
    Succeeded {
        /// Its RequestId.
        request_id: String,
    },
}

impl Prior {
    /// What an earlier run's journal `entries` (in the order written) say of each instance, by
    /// InstanceId: its last entry decides, except that once a RequestId is known the reset is never
    /// sent again (a later `failed` is a wait that failed: waited for again). An instance that is
    /// not in the map had nothing sent, or was refused before it took effect: reset as if new.
    pub fn from_journal(entries: &[JournalEntry]) -> BTreeMap<&str, Prior> {
        let mut last: BTreeMap<&str, (&JournalEntry, Option<&str>)> = BTreeMap::new();
        for e in entries {
            let slot = last.entry(e.instance_id.as_str()).or_insert((e, None));
            slot.0 = e;
            if let Some(r) = &e.request_id {
                slot.1 = Some(r);
            }
        }
        last.into_iter()
            .filter_map(|(id, (e, request_id))| {
                let request_id = request_id.map(str::to_owned);
                let prior = match (e.state, request_id) {
                    (JournalState::Succeeded, Some(request_id)) => Prior::Succeeded { request_id },
                    (_, Some(request_id)) => Prior::Sent { request_id },
                    (JournalState::Intent, None) => Prior::Intent { at_ms: e.at_ms },
                    // `sent` always has its RequestId; `succeeded` without one is another writer's.
                    (_, None) => return None,
                };
                Some((id, prior))
            })
            .collect()
    }
}

/// One input of `resetInstances`, checked by the caller.
#[derive(Debug)]
pub struct FleetItem {
    /// The input's `InstanceId` as given (empty when unreadable), for its result.
    pub instance_id: String,
    /// The checked JSON body of its ResetInstance, or why it was refused before any request.
    pub request: Result<Rc<str>, Failure>,
    /// What an earlier run journaled of it.
    pub prior: Option<Prior>,
}

/// `resetInstances`' options.
#[derive(Clone, Debug)]
pub struct FleetOptions {
    /// The waits' options (and the calls').
    pub wait: WaitOptions,
    /// `wait`: wait for each reset to finish (default true); else report RequestIds.
    pub do_wait: bool,
    /// Resets at once (at least 1).
    pub concurrency: usize,
    /// Journal every item (`journal` was given).
    pub journal: bool,
}

impl Default for FleetOptions {
    /// Waiting, 10 resets at once, no journal.
    fn default() -> Self {
        FleetOptions { wait: WaitOptions::default(), do_wait: true, concurrency: 10, journal: false }
    }
}

/// One item's result (`{ InstanceId, ok, RequestId?, instance?, error? }`).
#[derive(Debug)]
pub struct FleetResult {
    /// The input's `InstanceId`.
    pub instance_id: String,
    /// The reset's RequestId, once it took effect (failed waits included).
    pub request_id: Option<String>,
    /// The instance (none with `wait: false`), or the item's error.
    pub result: Result<Opaque, Failure>,
}

impl FleetResult {
    /// `ok`.
    pub fn ok(&self) -> bool {
        self.result.is_ok()
    }
}

#[derive(Debug)]
enum ItemState {
    Queued(Rc<str>, Option<Prior>),
    Resetting(Box<Reset>),
    Waiting,
    /// The final journal entry is being written; then the item settles with this result.
    Journaling(Id, Result<Opaque, Failure>),
    Done(Result<Opaque, Failure>),
}

#[derive(Debug)]
struct Item {
    instance_id: String,
    request_id: Option<String>,
    state: ItemState,
}

/// A fleet of resets. As a [`Machine`] it ends with [`Output::Fleet`], never with a failure.
#[derive(Debug)]
pub struct Fleet {
    client: Rc<Client>,
    opts: FleetOptions,
    items: Vec<Item>,
    next: usize,
    active: usize,
    poller: Poller,
    started: bool,
    finished: bool,
}

impl Fleet {
    /// A fleet of `items`, in input order.
    pub fn new(client: Rc<Client>, items: Vec<FleetItem>, opts: FleetOptions) -> Fleet {
        let schedule = opts.wait.schedule;
        // Nothing is accepted at first: the first look comes a little after the first acceptance.
        let poller = Poller::new(client.clone(), opts.wait.call.clone(), Pace::Schedule(schedule))
            .with_progress(opts.wait.progress)
            .with_first_delay(schedule.min_delay_ms.max(50.0));
        let items = items
            .into_iter()
            .map(|i| Item {
                instance_id: i.instance_id,
                request_id: None,
                state: match i.request {
                    Ok(body) => ItemState::Queued(body, i.prior),
                    Err(f) => ItemState::Done(Err(f)),
                },
            })
            .collect();
        Fleet { client, opts, items, next: 0, active: 0, poller, started: false, finished: false }
    }

    fn call_opts(&self) -> CallOptions {
        self.opts.wait.call.clone()
    }

    /// Starts resets until `concurrency` are in flight or none is left.
    fn fill(&mut self, cx: &mut Cx<'_>) {
        while self.active < self.opts.concurrency.max(1) {
            let i = self.next;
            let Some(item) = self.items.get_mut(i) else { return };
            self.next += 1;
            let (body, prior) = match std::mem::replace(&mut item.state, ItemState::Waiting) {
                ItemState::Queued(body, prior) => (body, prior),
                other => {
                    item.state = other;
                    continue;
                }
            };
            let instance_id = item.instance_id.clone();
            let mut reset = Reset::new(self.client.clone(), instance_id, body, self.call_opts());
            if JOURNAL && self.opts.journal {
                reset = reset.with_journal();
            }
            match prior.filter(|_| JOURNAL) {
                Some(Prior::Sent { request_id }) => {
                    self.reset_done(i, Ok(request_id), cx);
                    continue;
                }
                Some(Prior::Succeeded { request_id }) => {
                    if let Some(item) = self.items.get_mut(i) {
                        item.request_id = Some(request_id);
                    }
                    self.settle(i, Ok(Opaque::none()), false, cx);
                    continue;
                }
                Some(Prior::Intent { at_ms }) => reset = reset.resuming(at_ms),
                None => {}
            }
            match reset.start(cx) {
                None => {
                    if let Some(item) = self.items.get_mut(i) {
                        item.state = ItemState::Resetting(Box::new(reset));
                    }
                    self.active += 1;
                }
                Some(r) => self.reset_done(i, r, cx),
            }
        }
    }

    fn reset_done(&mut self, i: usize, result: ResetResult, cx: &mut Cx<'_>) {
        match result {
            Ok(request_id) => {
                let Some(item) = self.items.get_mut(i) else { return };
                item.request_id = Some(request_id.clone());
                if self.opts.do_wait {
                    item.state = ItemState::Waiting;
                    let target = Target::new(i, item.instance_id.clone(), Judge::Reset(Some(request_id)), cx.now_ms());
                    self.poller.add(target, cx);
                    self.collect(cx);
                } else {
                    self.settle(i, Ok(Opaque::none()), false, cx);
                }
            }
            Err(f) => self.settle(i, Err(f), true, cx),
        }
    }

    /// Settles the items whose waits ended.
    fn collect(&mut self, cx: &mut Cx<'_>) {
        for (target, found) in self.poller.take_done() {
            self.settle(target.key, found.map(Found::instance), true, cx);
        }
    }

    /// Ends item `i` with `result`, journaled first when there is a journal and `journal_it`.
    fn settle(&mut self, i: usize, result: Result<Opaque, Failure>, journal_it: bool, cx: &mut Cx<'_>) {
        let Some(item) = self.items.get_mut(i) else { return };
        if !(JOURNAL && self.opts.journal && journal_it) {
            item.state = ItemState::Done(result);
            return;
        }
        let id = cx.id();
        let state = if result.is_ok() { JournalState::Succeeded } else { JournalState::Failed };
        let entry = JournalEntry {
            instance_id: item.instance_id.clone(),
            request_id: item.request_id.clone(),
            state,
            at_ms: cx.now_ms(),
        };
        cx.emit(Effect::Journal { id, entry });
        item.state = ItemState::Journaling(id, result);
    }

    fn route(&mut self, event: Event, cx: &mut Cx<'_>) {
        let Some(id) = event.id() else { return };
        if self.poller.owns(id) {
            self.poller.on(event, cx);
            self.collect(cx);
            return;
        }
        let owner = self.items.iter().position(|item| match &item.state {
            ItemState::Resetting(r) => r.owns(id),
            ItemState::Journaling(j, _) => *j == id,
            _ => false,
        });
        let Some(i) = owner else { return };
        let Some(item) = self.items.get_mut(i) else { return };
        match std::mem::replace(&mut item.state, ItemState::Waiting) {
            ItemState::Resetting(mut reset) => match reset.on(event, cx) {
                None => item.state = ItemState::Resetting(reset),
                Some(r) => {
                    self.active = self.active.saturating_sub(1);
                    self.reset_done(i, r, cx);
                    self.fill(cx);
                }
            },
            ItemState::Journaling(_, result) => {
                item.state = ItemState::Done(match (event, result) {
                    // A failed write of "succeeded" fails the item; a failed item keeps its own error.
                    (Event::Journaled { result: Err(f), .. }, Ok(_)) => Err(f),
                    (_, result) => result,
                });
            }
            other => item.state = other,
        }
    }

    /// Every item not settled yet settles as aborted (items whose reset was accepted keep its
    /// RequestId); nothing more is sent.
    fn abort(&mut self, reason: &Opaque, cx: &mut Cx<'_>) {
        self.poller.cancel(cx);
        for item in &mut self.items {
            item.state = match std::mem::replace(&mut item.state, ItemState::Waiting) {
                ItemState::Resetting(mut reset) => {
                    reset.cancel(cx);
                    ItemState::Done(Err(aborted(Some("ResetInstance"), reason)))
                }
                ItemState::Queued(..) => ItemState::Done(Err(aborted(Some("ResetInstance"), reason))),
                ItemState::Waiting => ItemState::Done(Err(aborted(None, reason))),
                ItemState::Journaling(id, result) => {
                    cx.cancel(id);
                    ItemState::Done(result)
                }
                done @ ItemState::Done(_) => done,
            };
        }
    }

    /// Once every item settled: the results, in input order.
    fn finish_if_done(&mut self, cx: &mut Cx<'_>) {
        if self.items.iter().any(|i| !matches!(i.state, ItemState::Done(_))) {
            return;
        }
        self.finished = true;
        let results = std::mem::take(&mut self.items)
            .into_iter()
            .map(|item| FleetResult {
                instance_id: item.instance_id,
                request_id: item.request_id,
                result: match item.state {
                    ItemState::Done(r) => r,
                    _ => Ok(Opaque::none()),
                },
            })
            .collect();
        cx.emit(Effect::Done(Output::Fleet(results)));
    }
}

impl Machine for Fleet {
    fn handle(&mut self, event: Event, cx: &mut Cx<'_>) {
        if self.finished {
            return;
        }
        match event {
            Event::Start if !self.started => {
                self.started = true;
                self.fill(cx);
            }
            Event::Start => return,
            Event::Abort { reason } => self.abort(&reason, cx),
            event => self.route(event, cx),
        }
        self.finish_if_done(cx);
    }
}
