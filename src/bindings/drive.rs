//! The one driver of the core's machines (`crate::machine`). Its loop is `runJob` in `js/driver.js`: it
//! owns fetch, timers and the caller's `AbortSignal`, and feeds whatever happens to [`Job::step`] one
//! event at a time. A step runs the machine with the clock, randomness and the realm every client of
//! this JS realm shares, answers at once what needs no waiting (credentials at hand, the logger,
//! `onProgress`, a build without a journal) and returns the rest to the loop as a flat list of
//! effects. No Rust future: the async half is the machines' state plus this one loop.

use super::config::Config;
use super::credentials::Source;
use super::output::{failure_to_js, output_to_js, progress_to_js};
use super::transport::{self, Fetched};
use crate::error::{Error, JOURNAL};
use js_sys::{Array, Function, Promise};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;
use tc3_lighthouse_core::machine::{Cx, Effect, Event, Failure, Id, JournalEntry, Machine, Opaque, Realm, Request};
use wasm_bindgen::prelude::*;
use web_sys::AbortSignal;

#[wasm_bindgen(module = "/js/driver.js")]
extern "C" {
    #[wasm_bindgen(js_name = runJob)]
    fn run_job(job: JsValue) -> Promise;
}

#[wasm_bindgen(module = "/js/log.js")]
extern "C" {
    #[wasm_bindgen(js_name = logEntry)]
    #[allow(clippy::too_many_arguments, reason = "one crossing with primitives, not an object built in wasm")]
    fn log_entry(
        logger: &JsValue,
        level: &str,
        event: &str,
        message: &str,
        action: &str,
        region: Option<String>,
        attempt: u32,
        status: Option<u32>,
        code: Option<String>,
        request_id: Option<String>,
        ms: f64,
    );
}

#[cfg(feature = "journal")]
#[wasm_bindgen(module = "/js/journal.js")]
extern "C" {
    #[wasm_bindgen(js_name = appendEntry)]
    fn append_entry(journal: &JsValue, instance_id: &str, request_id: Option<String>, state: &str, at: f64) -> Promise;
}

// What the loop feeds `Job::step` (`kind`), as numbers runJob in js/driver.js shares.
const START: u32 = 0;
const ABORT: u32 = 1;
const FIRED: u32 = 2;
const NO_FETCH: u32 = 3;
const THREW: u32 = 4;
const REJECTED: u32 = 5;
const RESPONSE: u32 = 6;
const UNREADABLE: u32 = 7;
const CREDENTIALS: u32 = 8;
const CREDENTIALS_THREW: u32 = 9;
const CREDENTIALS_FAILED: u32 = 10;
const JOURNALED: u32 = 11;
const JOURNAL_FAILED: u32 = 12;

// What a step asks of the loop, each followed by its arguments.
const SEND: u32 = 1; // id, url, init, fetch (or undefined: the global one)
const SLEEP: u32 = 2; // id, ms
const CANCEL: u32 = 3; // id
const PROVIDE: u32 = 4; // id, provider, the object to keep the call in flight on
const APPEND: u32 = 5; // id, the append's Promise
const DONE: u32 = 6; // value
const FAILED: u32 = 7; // error

thread_local! {
    // The limiter, the clock offsets learnt per host, the derived keys, the effect ids: shared by
    // every client of this JS realm (the rate limit is per account and action, not per client).
    static REALM: RefCell<Realm> = RefCell::new(Realm::default());
}

/// Runs `f` with the realm (`setRateLimit`).
pub fn with_realm<R>(f: impl FnOnce(&mut Realm) -> R) -> R {
    REALM.with(|r| f(&mut r.borrow_mut()))
}

/// What a machine's driver needs beyond the machine: the client's fetch and credentials, the
/// caller's signal and `onProgress`.
#[derive(Debug)]
pub struct Env {
    /// The client.
    pub config: Rc<Config>,
    /// The caller's signal.
    pub signal: Option<AbortSignal>,
    /// `onProgress`.
    pub on_progress: Option<Function>,
    /// `resetInstances`' `journal`.
    pub journal: Option<JsValue>,
}

/// Milliseconds for a JS timer: at least 0, at most 2^31-1 (larger values fire at once in browsers).
fn clamp_ms(ms: f64) -> u32 {
    if ms.is_nan() || ms <= 0.0 {
        0
    } else if ms >= 2_147_483_647.0 {
        2_147_483_647
    } else {
        ms.ceil() as u32
    }
}

/// Random bits for jitter, from the platform's CSPRNG; 0.5 of the window when it fails.
pub fn random_unit() -> f64 {
    let mut b = [0u8; 8];
    match getrandom::fill(&mut b) {
        Ok(()) => crate::retry::unit_from_bits(u64::from_le_bytes(b)),
        Err(_) => 0.5,
    }
}

/// A machine being driven, with the requests it has in flight (to decode their answers). Internal:
/// only `runJob` holds one (`__Job`, like the other internal names; the Node entry leaves it out).
#[wasm_bindgen(js_name = __Job)]
pub struct Job {
    machine: Box<dyn Machine>,
    env: Env,
    sends: Vec<(Id, Request)>,
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Job")
    }
}

#[wasm_bindgen(js_class = __Job)]
impl Job {
    /// The caller's `AbortSignal`, if any.
    #[wasm_bindgen(getter)]
    pub fn signal(&self) -> JsValue {
        self.env.signal.clone().map_or(JsValue::UNDEFINED, Into::into)
    }

    /// Feeds what happened (`kind`, for the effect `id`, with up to two values) and returns what to
    /// do next, flat: `[SEND, id, url, init, fetch, SLEEP, id, ms, ...]`.
    pub fn step(&mut self, kind: u32, id: Id, a: JsValue, b: JsValue) -> Array {
        let effects = Array::new();
        let Some(first) = self.event(kind, id, a, b) else { return effects };
        let mut events = VecDeque::from([first]);
        let mut out = Vec::new();
        while let Some(event) = events.pop_front() {
            REALM.with(|r| {
                let mut realm = r.borrow_mut();
                self.machine.handle(event, &mut Cx::new(js_sys::Date::now(), random_unit(), &mut realm, &mut out));
            });
            for effect in out.drain(..) {
                self.effect(effect, &effects, &mut events);
            }
        }
        effects
    }
}

fn push(effects: &Array, items: &[JsValue]) {
    for v in items {
        effects.push(v);
    }
}

impl Job {
    fn event(&mut self, kind: u32, id: Id, a: JsValue, b: JsValue) -> Option<Event> {
        let credentials = &self.env.config.credentials;
        let result = match kind {
            START => return Some(Event::Start),
            ABORT => return Some(Event::Abort { reason: Opaque::new(a) }),
            FIRED => return Some(Event::Fired { id }),
            CREDENTIALS => credentials.provided(false, Ok(a)),
            CREDENTIALS_THREW => credentials.provided(true, Err(a)),
            CREDENTIALS_FAILED => credentials.provided(false, Err(a)),
            JOURNALED => return Some(Event::Journaled { id, result: Ok(()) }),
            JOURNAL_FAILED => {
                let error = Error::new(JOURNAL, "The journal could not be written (`journal.append` failed).");
                return Some(Event::Journaled { id, result: Err(Failure::new(error).with_cause(Opaque::new(a))) });
            }
            _ => {
                let fetched = match kind {
                    NO_FETCH => Fetched::NoFetch,
                    THREW => Fetched::Threw(a),
                    REJECTED => Fetched::Rejected(a),
                    RESPONSE => Fetched::Response(a, Ok(b)),
                    UNREADABLE => Fetched::Response(a, Err(b)),
                    _ => return None,
                };
                let at = self.sends.iter().position(|(i, _)| *i == id)?;
                let (_, request) = self.sends.swap_remove(at);
                return Some(Event::Replied { id, reply: transport::reply(&request, fetched) });
            }
        };
        Some(Event::Credentials { id, result })
    }

    fn effect(&mut self, effect: Effect, effects: &Array, events: &mut VecDeque<Event>) {
        let n = |x: u32| JsValue::from_f64(f64::from(x));
        match effect {
            Effect::Send { id, request } => {
                let fetch = self.env.config.fetch.clone().map_or(JsValue::UNDEFINED, Into::into);
                push(effects, &[n(SEND), n(id), request.url.as_str().into(), transport::init(&request).into(), fetch]);
                self.sends.push((id, request));
            }
            Effect::Sleep { id, ms } => push(effects, &[n(SLEEP), n(id), n(clamp_ms(ms))]),
            Effect::Cancel { id } => {
                self.sends.retain(|(i, _)| *i != id);
                push(effects, &[n(CANCEL), n(id)]);
            }
            Effect::GetCredentials { id, refresh } => {
                let source = &self.env.config.credentials;
                match source.now(js_sys::Date::now() / 1000.0, refresh) {
                    Some(result) => events.push_back(Event::Credentials { id, result }),
                    None => {
                        if let Source::Provider { provider, shared, .. } = source {
                            push(effects, &[n(PROVIDE), n(id), provider.into(), shared.clone()]);
                        }
                    }
                }
            }
            Effect::Journal { id, entry } => match journal(self.env.journal.as_ref(), entry) {
                Ok(appended) => push(effects, &[n(APPEND), n(id), appended.into()]),
                Err(f) => events.push_back(Event::Journaled { id, result: Err(f) }),
            },
            Effect::Log(e) => {
                if let Some(logger) = &self.env.config.logger {
                    log_entry(
                        logger,
                        e.level.as_str(),
                        e.event.name(),
                        e.event.message(),
                        &e.action,
                        e.region,
                        e.attempt,
                        e.status.map(u32::from),
                        e.code,
                        e.request_id,
                        e.ms,
                    );
                }
            }
            Effect::Progress(p) => {
                if let Some(f) = &self.env.on_progress {
                    // A throwing callback is the caller's bug; it must not end the wait.
                    let _ = f.call1(&JsValue::UNDEFINED, &progress_to_js(&p));
                }
            }
            Effect::Done(o) => push(effects, &[n(DONE), output_to_js(o)]),
            Effect::Failed(f) => push(effects, &[n(FAILED), failure_to_js(f)]),
        }
    }
}

/// Starts appending `entry` to the journal. A machine asks only when the caller gave a journal; a
/// failed append (its cause kept) fails the item before its reset is sent.
fn journal(journal: Option<&JsValue>, entry: JournalEntry) -> Result<Promise, Failure> {
    #[cfg(feature = "journal")]
    if let Some(j) = journal {
        return Ok(append_entry(j, &entry.instance_id, entry.request_id, entry.state.as_str(), entry.at_ms));
    }
    let _ = (journal, entry);
    Err(Failure::new(Error::new(JOURNAL, "This build has no journal.")))
}

/// Drives `machine` as a JS Promise of its output (a `TencentCloudError` when it fails). Every async
/// export goes through here.
pub fn run(machine: Box<dyn Machine>, env: Env) -> Promise {
    run_job(Job { machine, env, sends: Vec::new() }.into())
}
