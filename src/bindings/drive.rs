//! The one driver of the core's machines (`crate::machine`): it owns fetch, timers, the clock,
//! randomness and the caller's `AbortSignal`, and runs any machine to its end. Everything the
//! machines ask for is answered as an event pushed into one inbox; the loop feeds the events one at
//! a time, with the realm every client of this JS realm shares.

use super::config::Config;
use super::output::{failure_to_js, output_to_js, progress_to_js};
use super::transport;
use crate::error::{Error, JOURNAL};
use js_sys::{Function, Promise, Reflect};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Poll, Waker};
use tc3_lighthouse_core::machine::{
    Cx, Effect, Event, Failure, Fault, Id, JournalEntry, Machine, Opaque, Output, Realm, Reply,
};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{future_to_promise, spawn_local};
use web_sys::{AbortController, AbortSignal};

#[wasm_bindgen(module = "/js/glue.js")]
extern "C" {
    #[wasm_bindgen(js_name = setTimer)]
    fn set_timer(callback: &JsValue, ms: u32, id: Id) -> JsValue;
    #[wasm_bindgen(js_name = clearTimer)]
    fn clear_timer(handle: &JsValue);
}

#[wasm_bindgen(module = "/js/report.js")]
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
    #[cfg(feature = "journal")]
    #[wasm_bindgen(js_name = appendEntry)]
    fn append_entry(journal: &JsValue, instance_id: &str, request_id: Option<String>, state: &str, at: f64) -> Promise;
}

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

#[derive(Default)]
struct Io {
    inbox: VecDeque<Event>,
    waker: Option<Waker>,
}

type Inbox = Rc<RefCell<Io>>;

fn push(io: &Inbox, event: Event) {
    let waker = {
        let mut io = io.borrow_mut();
        io.inbox.push_back(event);
        io.waker.take()
    };
    if let Some(w) = waker {
        w.wake();
    }
}

async fn next(io: &Inbox) -> Event {
    std::future::poll_fn(|cx| {
        let mut io = io.borrow_mut();
        match io.inbox.pop_front() {
            Some(e) => Poll::Ready(e),
            None => {
                io.waker = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    })
    .await
}

/// What answers an effect in flight, to stop it on `Cancel`: a fetch's controller, a timer's handle.
enum Pending {
    Fetch(Option<AbortController>),
    Timer(JsValue),
    Task,
}

impl Pending {
    fn stop(self) {
        match self {
            Pending::Fetch(Some(c)) => c.abort(),
            Pending::Timer(handle) => clear_timer(&handle),
            Pending::Fetch(None) | Pending::Task => {}
        }
    }
}

fn reason(signal: &AbortSignal) -> Opaque {
    Opaque::new(signal.reason())
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

/// `config.fetch`, else the global one.
fn fetch_fn(config: &Config) -> Option<Function> {
    if let Some(f) = &config.fetch {
        return Some(f.clone());
    }
    Reflect::get(&js_sys::global(), &"fetch".into()).ok().and_then(|f| f.dyn_into::<Function>().ok())
}

/// Runs `m` until it is done or failed.
pub async fn drive(m: &mut dyn Machine, env: &Env) -> Result<Output, Failure> {
    let io: Inbox = Rc::default();
    let fetch = fetch_fn(&env.config);
    let mut pending: Vec<(Id, Pending)> = Vec::new();
    // One callback for the drive: a timer calls it with its id, the signal with its abort event.
    // Every timer is cleared and the listener removed before it is dropped.
    let callback = {
        let (io, signal) = (io.clone(), env.signal.clone());
        Closure::<dyn FnMut(JsValue)>::new(move |arg: JsValue| match (arg.as_f64(), &signal) {
            (Some(id), _) => push(&io, Event::Fired { id: id as Id }),
            (None, Some(s)) => push(&io, Event::Abort { reason: reason(s) }),
            (None, None) => {}
        })
    };
    let mut event = Event::Start;
    let mut listening = None;
    if let Some(s) = &env.signal {
        if s.aborted() {
            event = Event::Abort { reason: reason(s) };
        } else if s.add_event_listener_with_callback("abort", callback.as_ref().unchecked_ref()).is_ok() {
            listening = Some(s);
        }
    }
    let mut out = Vec::new();
    let result = loop {
        // An answer to something cancelled (or already answered) is not the machine's business.
        let wanted = match event.id() {
            None => true,
            Some(id) => match pending.iter().position(|(i, _)| *i == id) {
                Some(p) => {
                    pending.swap_remove(p);
                    true
                }
                None => false,
            },
        };
        if wanted {
            REALM.with(|r| {
                let mut realm = r.borrow_mut();
                m.handle(event, &mut Cx::new(js_sys::Date::now(), random_unit(), &mut realm, &mut out));
            });
        }
        let mut end = None;
        for effect in out.drain(..) {
            match effect {
                Effect::Send { id, request } => {
                    let controller = AbortController::new().ok();
                    let io = io.clone();
                    match (&fetch, controller.as_ref().map(AbortController::signal)) {
                        (Some(f), Some(signal)) => {
                            let f = f.clone();
                            spawn_local(async move {
                                let reply = transport::send(&f, &request, &signal).await;
                                push(&io, Event::Replied { id, reply });
                            });
                        }
                        _ => {
                            let error = Error::invalid_argument("No global fetch: pass `config.fetch`.");
                            let reply = Reply::Fault(Fault { sent: false, ..Fault::new(error) });
                            push(&io, Event::Replied { id, reply });
                        }
                    }
                    pending.push((id, Pending::Fetch(controller)));
                }
                Effect::Sleep { id, ms } => {
                    pending.push((id, Pending::Timer(set_timer(callback.as_ref(), clamp_ms(ms), id))));
                }
                Effect::Cancel { id } => {
                    if let Some(p) = pending.iter().position(|(i, _)| *i == id) {
                        pending.swap_remove(p).1.stop();
                    }
                }
                Effect::GetCredentials { id, refresh } => {
                    let (io, config) = (io.clone(), env.config.clone());
                    spawn_local(async move {
                        let result = config.credentials.get(js_sys::Date::now() / 1000.0, refresh).await;
                        push(&io, Event::Credentials { id, result });
                    });
                    pending.push((id, Pending::Task));
                }
                Effect::Journal { id, entry } => {
                    journal(&io, env.journal.as_ref(), id, entry);
                    pending.push((id, Pending::Task));
                }
                Effect::Log(e) => {
                    if let Some(logger) = &env.config.logger {
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
                    if let Some(f) = &env.on_progress {
                        // A throwing callback is the caller's bug; it must not end the wait.
                        let _ = f.call1(&JsValue::UNDEFINED, &progress_to_js(&p));
                    }
                }
                Effect::Done(o) => end = Some(Ok(o)),
                Effect::Failed(f) => end = Some(Err(f)),
            }
        }
        if let Some(r) = end {
            break r;
        }
        event = next(&io).await;
    };
    for (_, p) in pending {
        p.stop();
    }
    if let Some(s) = listening {
        let _ = s.remove_event_listener_with_callback("abort", callback.as_ref().unchecked_ref());
    }
    drop(callback);
    result
}

/// Appends `entry` to the journal, then feeds [`Event::Journaled`]. A machine asks only when the
/// caller gave a journal; a failed append (its cause kept) fails the item before its reset is sent.
fn journal(io: &Inbox, journal: Option<&JsValue>, id: Id, entry: JournalEntry) {
    #[cfg(feature = "journal")]
    if let Some(j) = journal {
        let written = append_entry(j, &entry.instance_id, entry.request_id, entry.state.as_str(), entry.at_ms);
        let io = io.clone();
        spawn_local(async move {
            let result = wasm_bindgen_futures::JsFuture::from(written).await.map(drop).map_err(|e| {
                Failure::new(Error::new(JOURNAL, "The journal could not be written (`journal.append` failed)."))
                    .with_cause(Opaque::new(e))
            });
            push(&io, Event::Journaled { id, result });
        });
        return;
    }
    let _ = (journal, entry);
    let error = Error::new(JOURNAL, "This build has no journal.");
    push(io, Event::Journaled { id, result: Err(Failure::new(error)) });
}

/// Drives `machine` as a JS Promise of its output. Every async export goes through here, so there
/// is one instantiation of the driver and of `future_to_promise`.
pub fn run(machine: Box<dyn Machine>, env: Env) -> Promise {
    promise(Box::pin(async move {
        let mut m = machine;
        drive(&mut *m, &env).await.map(output_to_js).map_err(failure_to_js)
    }))
}

/// A JS Promise of `fut`: one instantiation of `future_to_promise` for every caller.
pub fn promise(fut: Pin<Box<dyn Future<Output = Result<JsValue, JsValue>>>>) -> Promise {
    future_to_promise(fut)
}
