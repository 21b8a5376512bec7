//! The machines' test driver: a fake clock, a scripted credentials provider and journal, and a
//! small fake Lighthouse API (instances, resets that take some polls, faults modelled on
//! `local-api/`). [`Sim::run`] feeds a machine until it finishes, advancing the clock to whatever
//! is due next, and records every step so tests can check order.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

pub mod api;

pub use api::{FakeApi, FaultKind};

use std::rc::Rc;
use tc3_lighthouse_core::credentials::Credentials;
use tc3_lighthouse_core::endpoint::Endpoint;
use tc3_lighthouse_core::error::{Error, CREDENTIALS, NETWORK};
use tc3_lighthouse_core::machine::{
    Client, Cx, Effect, Event, Failure, Fault, Id, JournalEntry, LogEntry, Machine, Opaque, Output, Progress, Realm,
    Reply, Request,
};

/// 2023-11-14T22:13:20Z.
pub const T0: f64 = 1_700_000_000_000.0;

pub fn creds() -> Credentials {
    Credentials {
        secret_id: "AKIDTEST".into(),
        secret_key: "SECRETKEY-DO-NOT-LEAK".into(),
        token: None,
        expires_at: None,
    }
}

/// A client of the default endpoint, with a logger.
pub fn client() -> Client {
    let mut c = Client::new(Endpoint::parse("https://lighthouse.tencentcloudapi.com").unwrap());
    c.log = true;
    c
}

pub fn rc(c: Client) -> Rc<Client> {
    Rc::new(c)
}

/// Something due at a time.
#[derive(Debug)]
enum Due {
    /// A request reaches the API; its answer comes back at once (unless the send was cancelled).
    Arrive {
        id: Id,
        request: Request,
        fault: Option<FaultKind>,
        cancelled: bool,
    },
    /// A fetch that failed before reaching the API.
    Fail {
        id: Id,
        fault: Fault,
    },
    Fire(Id),
    Credentials {
        id: Id,
        refresh: bool,
    },
    Journal {
        id: Id,
        entry: JournalEntry,
    },
    Abort,
}

/// One step: what was fed and what came out.
#[derive(Debug)]
pub struct Step {
    pub now: f64,
    pub event: String,
    pub effects: Vec<Effect>,
}

pub struct Sim {
    pub now: f64,
    /// The random unit given with every step.
    pub random: f64,
    pub realm: Realm,
    pub api: FakeApi,
    /// What the provider hands out; `refresh` moves to the next one (the last one stays).
    pub provider: Vec<Credentials>,
    pub provider_fails: bool,
    pub credential_fetches: u32,
    pub refreshes: u32,
    /// The journal on disk; `journal_fails` makes appends fail.
    pub journal: Vec<JournalEntry>,
    pub journal_fails: bool,
    /// Milliseconds a request takes to reach the API.
    pub latency_ms: f64,
    pub steps: Vec<Step>,
    pub result: Option<Result<Output, Failure>>,
    due: Vec<(f64, u64, Due)>,
    seq: u64,
}

impl Sim {
    pub fn new(api: FakeApi) -> Sim {
        Sim {
            now: T0,
            random: 0.5,
            realm: Realm::default(),
            api,
            provider: vec![creds()],
            provider_fails: false,
            credential_fetches: 0,
            refreshes: 0,
            journal: Vec::new(),
            journal_fails: false,
            latency_ms: 10.0,
            steps: Vec::new(),
            result: None,
            due: Vec::new(),
            seq: 0,
        }
    }

    fn schedule(&mut self, at: f64, due: Due) {
        self.seq += 1;
        self.due.push((at, self.seq, due));
    }

    /// Aborts at `at_ms`.
    pub fn abort_at(&mut self, at_ms: f64) {
        self.schedule(at_ms, Due::Abort);
    }

    pub fn feed(&mut self, m: &mut dyn Machine, event: Event) {
        let label = format!("{event:?}");
        let mut out = Vec::new();
        m.handle(event, &mut Cx::new(self.now, self.random, &mut self.realm, &mut out));
        for e in &out {
            self.perform(e);
        }
        self.steps.push(Step { now: self.now, event: label, effects: out });
    }

    fn perform(&mut self, e: &Effect) {
        let now = self.now;
        match e {
            Effect::Send { id, request } => match self.api.take_fault(request) {
                Some(FaultKind::Refused) => {
                    let mut fault = Fault::new(Error::new(NETWORK, "connect ECONNREFUSED"));
                    fault.sent = false;
                    self.schedule(now, Due::Fail { id: *id, fault });
                }
                fault => {
                    let delay = match fault {
                        Some(FaultKind::Slow(ms)) => ms,
                        _ => self.latency_ms,
                    };
                    let request = request.clone();
                    self.schedule(now + delay, Due::Arrive { id: *id, request, fault, cancelled: false });
                }
            },
            Effect::Sleep { id, ms } => {
                assert!(ms.is_finite() && *ms >= 0.0, "sleep {ms}");
                self.schedule(now + ms, Due::Fire(*id));
            }
            Effect::Cancel { id } => {
                for (_, _, d) in &mut self.due {
                    if let Due::Arrive { id: i, cancelled, .. } = d {
                        if i == id {
                            *cancelled = true;
                        }
                    }
                }
                self.due.retain(|(_, _, d)| match d {
                    Due::Fire(i)
                    | Due::Fail { id: i, .. }
                    | Due::Credentials { id: i, .. }
                    | Due::Journal { id: i, .. } => i != id,
                    Due::Arrive { .. } | Due::Abort => true,
                });
            }
            Effect::GetCredentials { id, refresh } => {
                self.schedule(now, Due::Credentials { id: *id, refresh: *refresh })
            }
            Effect::Journal { id, entry } => self.schedule(now + 1.0, Due::Journal { id: *id, entry: entry.clone() }),
            Effect::Log(_) | Effect::Progress(_) => {}
            Effect::Done(_) | Effect::Failed(_) => {
                assert!(self.result.is_none(), "a second result");
            }
        }
    }

    /// Feeds `Start`, then whatever is due, until the machine finishes. Panics if it hangs, and
    /// if anything it asked for is left neither answered nor cancelled.
    pub fn run(&mut self, m: &mut dyn Machine) -> &Result<Output, Failure> {
        self.feed(m, Event::Start);
        self.take_result();
        let mut steps = 0;
        while self.result.is_none() {
            steps += 1;
            assert!(steps < 200_000, "runaway machine");
            self.step(m);
        }
        let leaks: Vec<String> = self
            .due
            .iter()
            .filter(|(_, _, d)| !matches!(d, Due::Arrive { cancelled: true, .. } | Due::Abort))
            .map(|(_, _, d)| format!("{d:?}"))
            .collect();
        assert!(leaks.is_empty(), "left pending after the result: {leaks:?}");
        self.result.as_ref().unwrap()
    }

    /// Lets the API process the requests still travelling (cancelled ones included), as a real
    /// server would after the client gave up on them.
    pub fn settle(&mut self) {
        self.due.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        for (at, _, d) in std::mem::take(&mut self.due) {
            if let Due::Arrive { request, fault, .. } = d {
                self.now = self.now.max(at);
                let _ = self.api.process(&request, fault, self.now);
            }
        }
    }

    fn take_result(&mut self) {
        let Some(step) = self.steps.last_mut() else { return };
        if let Some(i) = step.effects.iter().position(|e| matches!(e, Effect::Done(_) | Effect::Failed(_))) {
            assert_eq!(i + 1, step.effects.len(), "effects after the result");
            self.result = Some(match step.effects.pop().unwrap() {
                Effect::Done(o) => Ok(o),
                Effect::Failed(f) => Err(f),
                _ => unreachable!(),
            });
        }
    }

    fn step(&mut self, m: &mut dyn Machine) {
        let i = (0..self.due.len())
            .min_by(|&a, &b| self.due[a].0.total_cmp(&self.due[b].0).then(self.due[a].1.cmp(&self.due[b].1)))
            .expect("the machine waits for nothing and has not finished");
        let (at, _, due) = self.due.remove(i);
        self.now = self.now.max(at);
        let event = match due {
            Due::Arrive { id, request, fault, cancelled } => {
                if let Some(FaultKind::LandsLater(ms)) = fault {
                    let late =
                        Due::Arrive { id, request: request.clone(), fault: Some(FaultKind::Landing), cancelled: true };
                    self.schedule(self.now + ms, late);
                }
                let reply = self.api.process(&request, fault, self.now);
                if cancelled {
                    return;
                }
                Event::Replied { id, reply }
            }
            Due::Fail { id, fault } => Event::Replied { id, reply: Reply::Fault(fault) },
            Due::Fire(id) => Event::Fired { id },
            Due::Credentials { id, refresh } => {
                self.credential_fetches += 1;
                if refresh {
                    self.refreshes += 1;
                    if self.provider.len() > 1 {
                        self.provider.remove(0);
                    }
                }
                let result = if self.provider_fails {
                    Err(Failure::new(Error::new(CREDENTIALS, "The credentials provider failed."))
                        .with_cause(Opaque::new("provider said no")))
                } else {
                    Ok(self.provider[0].clone())
                };
                Event::Credentials { id, result }
            }
            Due::Journal { id, entry } => {
                if self.journal_fails {
                    Event::Journaled { id, result: Err(Failure::new(Error::new("ClientError.Journal", "disk full"))) }
                } else {
                    self.journal.push(entry);
                    Event::Journaled { id, result: Ok(()) }
                }
            }
            Due::Abort => Event::Abort { reason: Opaque::new("user pressed stop") },
        };
        self.feed(m, event);
        self.take_result();
    }

    /// Every effect so far, in order.
    pub fn effects(&self) -> impl Iterator<Item = &Effect> {
        self.steps.iter().flat_map(|s| s.effects.iter())
    }

    pub fn sends(&self) -> Vec<&Request> {
        self.effects()
            .filter_map(|e| match e {
                Effect::Send { request, .. } => Some(request),
                _ => None,
            })
            .collect()
    }

    pub fn sends_of(&self, action: &str) -> Vec<&Request> {
        self.sends().into_iter().filter(|r| r.header("X-TC-Action") == Some(action)).collect()
    }

    pub fn sleeps(&self) -> Vec<f64> {
        self.effects()
            .filter_map(|e| match e {
                Effect::Sleep { ms, .. } => Some(*ms),
                _ => None,
            })
            .collect()
    }

    pub fn progress(&self) -> Vec<&Progress> {
        self.effects()
            .filter_map(|e| match e {
                Effect::Progress(p) => Some(p),
                _ => None,
            })
            .collect()
    }

    pub fn logs(&self) -> Vec<&LogEntry> {
        self.effects()
            .filter_map(|e| match e {
                Effect::Log(l) => Some(l),
                _ => None,
            })
            .collect()
    }

    pub fn failure(&self) -> &Failure {
        match &self.result {
            Some(Err(f)) => f,
            other => panic!("expected a failure, got {other:?}"),
        }
    }

    pub fn output(&self) -> &Output {
        match &self.result {
            Some(Ok(o)) => o,
            other => panic!("expected a result, got {other:?}"),
        }
    }

    /// The instance a wait ended with.
    pub fn instance(&self) -> api::Shown {
        match self.output() {
            Output::Instance(i) => api::shown(i),
            other => panic!("expected an instance, got {other:?}"),
        }
    }

    pub fn request_id(&self) -> &str {
        match self.output() {
            Output::Reset { request_id } => request_id,
            other => panic!("expected a RequestId, got {other:?}"),
        }
    }
}
