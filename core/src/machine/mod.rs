//! The client's machines, in the sans-IO style of quinn-proto and rustls: the call ([`Call`]: sign,
//! send, classify, retry with backoff, clock skew, credentials refresh), the exactly-once reset
//! ([`Reset`]), the waits ([`Wait`]: `waitUntilInstanceReset`, `resetInstanceAndWait`,
//! `waitForIdle`) and the fleet ([`Fleet`]: `resetInstances`). Every wait, reconciliation included,
//! polls through one poller (`poller.rs`), which batches up to 100 instances a DescribeInstances and
//! holds the missing-instance rule.
//!
//! Each machine is a value fed [`Event`]s (an answer, a timer that fired, credentials, a journal
//! write, an abort) with the current time and a random number, through [`Machine::handle`]; it
//! answers with [`Effect`]s (send this, sleep this long, cancel that, get credentials, append to the
//! journal, log, report progress, done, failed). A driver owns fetch, timers, the clock, randomness
//! and the abort signal, and runs any machine in one loop:
//!
//! ```
//! use std::rc::Rc;
//! use tc3_lighthouse_core::endpoint::Endpoint;
//! use tc3_lighthouse_core::machine::{Answer, Call, CallOptions, Client, Cx, Effect, Event, Machine, Opaque, Output, Realm, Reply};
//!
//! let mut client = Client::new(Endpoint::parse("http://127.0.0.1:8080").unwrap());
//! client.signed = false; // a signing proxy: no credentials asked for
//! let mut call = Call::new(Rc::new(client), "DescribeBlueprints", "{}", CallOptions::default());
//! let (mut realm, mut out) = (Realm::default(), Vec::new());
//! call.handle(Event::Start, &mut Cx::new(1_700_000_000_000.0, 0.5, &mut realm, &mut out));
//! let Some(Effect::Send { id, request }) = out.pop() else { panic!("expected a send") };
//! assert_eq!(request.body(), "{}");
//! // ... the driver fetches, and feeds the answer back:
//! let answer = Answer { request_id: Some("r-1".into()), response: Opaque::none(), instances: Vec::new() };
//! call.handle(Event::Replied { id, reply: Reply::Answer(answer) }, &mut Cx::new(1_700_000_000_050.0, 0.5, &mut realm, &mut out));
//! assert!(matches!(out.last(), Some(Effect::Done(Output::Response(a))) if a.request_id.as_deref() == Some("r-1")));
//! ```
//!
//! Time is a number (Unix milliseconds, the local clock) given with every event, so the tests
//! advance a fake clock; the realm-wide state every client shares (the limiter, the clock offsets
//! learnt per host, the derived-key cache, the effect ids) is a [`Realm`] the driver lends each step.

mod call;
mod fleet;
mod io;
mod poller;
mod reset;
mod waiter;

pub use call::{Call, CallOptions, Client};
pub use fleet::{Fleet, FleetItem, FleetOptions, FleetResult, Prior};
pub use io::{
    elapsed_seconds, Answer, Fault, Instance, JournalEntry, JournalState, Level, LogEntry, LogEvent, Progress, Reply,
    Request,
};
pub use reset::Reset;
pub use waiter::{Wait, WaitOptions};

use crate::credentials::Credentials;
use crate::error::{Error, ABORTED};
use crate::rate_limit::Limiters;
use crate::tc3::KeyCache;
use std::any::Any;
use std::fmt;
use std::rc::Rc;

/// Whether the journal is compiled in (the `journal` feature, on by default): without it, journal
/// options and earlier runs' entries are ignored and no [`Effect::Journal`] is emitted, and the code
/// is left out of a build whose driver has no journal to write to.
pub(crate) const JOURNAL: bool = cfg!(feature = "journal");

/// Names an effect that expects an answer (a send, a timer, credentials, a journal write), so the
/// event that answers it can say which one it answers, and so it can be cancelled.
pub type Id = u32;

/// A machine: fed events, it pushes what to do next into the step's [`Cx`]. Every machine of this
/// module speaks these same events and effects, so one driver loop over `&mut dyn Machine` runs
/// them all. After [`Effect::Done`] or [`Effect::Failed`] it ignores whatever else it is fed.
///
/// Not a `Debug` subtrait, though every machine is `Debug`: a `dyn Machine`'s vtable would then
/// hold every machine's derived `Debug`, and with it float and string formatting (about 20 KB of
/// wasm the driver never calls).
pub trait Machine {
    /// Feeds one event. The first one must be [`Event::Start`].
    fn handle(&mut self, event: Event, cx: &mut Cx<'_>);
}

/// What happened, as the driver tells it.
#[derive(Debug)]
pub enum Event {
    /// Begin: the machine asks for what it needs first.
    Start,
    /// The answer to [`Effect::Send`] `id`: the API's answer, or why there is none.
    Replied {
        /// The send's id.
        id: Id,
        /// What came back.
        reply: Reply,
    },
    /// The timer [`Effect::Sleep`] `id` fired.
    Fired {
        /// The timer's id.
        id: Id,
    },
    /// The credentials [`Effect::GetCredentials`] `id` asked for, or the provider's failure
    /// (`ClientError.Credentials`, with the provider's error as cause).
    Credentials {
        /// The request's id.
        id: Id,
        /// The credentials, or why there are none.
        result: Result<Credentials, Failure>,
    },
    /// The journal entry of [`Effect::Journal`] `id` is on disk, or could not be written.
    Journaled {
        /// The append's id.
        id: Id,
        /// Written, or why not.
        result: Result<(), Failure>,
    },
    /// The caller's `AbortSignal` fired; `reason` becomes the error's cause.
    Abort {
        /// The signal's reason.
        reason: Opaque,
    },
}

impl Event {
    /// The id of the effect this event answers (`None` for [`Event::Start`] and [`Event::Abort`]).
    pub fn id(&self) -> Option<Id> {
        match self {
            Event::Replied { id, .. }
            | Event::Fired { id }
            | Event::Credentials { id, .. }
            | Event::Journaled { id, .. } => Some(*id),
            Event::Start | Event::Abort { .. } => None,
        }
    }
}

/// What the driver should do.
#[derive(Debug)]
pub enum Effect {
    /// Send `request`, then feed [`Event::Replied`] with `id`. The machine keeps its own time
    /// limit (a [`Effect::Sleep`]); the driver needs none.
    Send {
        /// Names the send.
        id: Id,
        /// What to send.
        request: Request,
    },
    /// Start a timer of `ms` milliseconds, then feed [`Event::Fired`] with `id`.
    Sleep {
        /// Names the timer.
        id: Id,
        /// How long, in milliseconds (finite, 0 or more).
        ms: f64,
    },
    /// Cancel the send, timer, credentials request or journal write `id`: abort its fetch, clear
    /// its timer, and feed nothing for it (an event for it that comes anyway is ignored).
    Cancel {
        /// What to cancel.
        id: Id,
    },
    /// Get credentials, then feed [`Event::Credentials`] with `id`. `refresh`: the ones cached
    /// were refused, fetch new ones from the provider.
    GetCredentials {
        /// Names the request.
        id: Id,
        /// Bypass the cache.
        refresh: bool,
    },
    /// Append `entry` to the journal and flush it, then feed [`Event::Journaled`] with `id`.
    Journal {
        /// Names the append.
        id: Id,
        /// What to append.
        entry: JournalEntry,
    },
    /// Give this to the logger, if there is one.
    Log(LogEntry),
    /// Call `onProgress`, if there is one (a throwing callback must not end the wait).
    Progress(Progress),
    /// The machine finished with this result.
    Done(Output),
    /// The machine failed.
    Failed(Failure),
}

/// What a finished machine produced.
#[derive(Debug)]
pub enum Output {
    /// A [`Call`]'s answer: its `response` is what the call resolves with.
    Response(Answer),
    /// A [`Reset`]'s RequestId (of the reset that took effect, which may be an earlier attempt's).
    Reset {
        /// `ResetInstance`'s RequestId.
        request_id: String,
    },
    /// A [`Wait`]'s instance, as the last DescribeInstances listed it.
    Instance(Opaque),
    /// A [`Fleet`]'s results, in input order.
    Fleet(Vec<FleetResult>),
}

/// A value of the driver's own (a JS object: an answer, an instance, an error's cause) that the
/// machines carry through untouched and hand back. [`Opaque::none`] stands for `undefined`.
#[derive(Clone, Default)]
pub struct Opaque(Option<Rc<dyn Any>>);

impl Opaque {
    /// Wraps a value.
    pub fn new<T: Any>(value: T) -> Opaque {
        Opaque(Some(Rc::new(value)))
    }

    /// No value.
    pub fn none() -> Opaque {
        Opaque(None)
    }

    /// The value, if it is a `T`.
    pub fn get<T: Any>(&self) -> Option<&T> {
        self.0.as_ref().and_then(|v| v.downcast_ref())
    }

    /// Whether there is no value.
    pub fn is_none(&self) -> bool {
        self.0.is_none()
    }
}

impl fmt::Debug for Opaque {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_some() { "Opaque(..)" } else { "Opaque(none)" })
    }
}

/// A failure as it reaches the caller: the error, its JS cause, and for the waiters' own errors
/// what they saw.
#[derive(Clone, Debug)]
pub struct Failure {
    /// The error (code, message, RequestId, HTTP status, action, kind).
    pub error: Error,
    /// The underlying JS error (fetch's TypeError, the abort reason, the provider's rejection).
    pub cause: Opaque,
    /// `WaiterError.*`: the instance last seen, the time waited and the polls made.
    pub waited: Option<Waited>,
}

/// What a waiter saw before it gave up (`error.instance`, `elapsedSeconds`, `attempts`).
#[derive(Clone, Debug)]
pub struct Waited {
    /// The instance last seen (none if it never was).
    pub instance: Opaque,
    /// Milliseconds since the wait began.
    pub elapsed_ms: f64,
    /// DescribeInstances polls made.
    pub attempts: u32,
}

impl Failure {
    /// A failure without cause.
    pub fn new(error: Error) -> Failure {
        Failure { error, cause: Opaque::none(), waited: None }
    }

    /// The same failure with `cause`.
    #[must_use]
    pub fn with_cause(mut self, cause: Opaque) -> Failure {
        self.cause = cause;
        self
    }
}

impl From<Error> for Failure {
    fn from(error: Error) -> Failure {
        Failure::new(error)
    }
}

/// `ClientError.Aborted`, the one place it is built: a call's (with its action) or a wait's, with
/// the signal's reason as cause.
pub(crate) fn aborted(action: Option<&str>, reason: &Opaque) -> Failure {
    let f = match action {
        Some(a) => Failure::new(Error::new(ABORTED, "The call was aborted by its AbortSignal.").with_action(a)),
        None => Failure::new(Error::new(ABORTED, "The wait was aborted by its AbortSignal.")),
    };
    f.with_cause(reason.clone())
}

/// What every client of a JS realm shares: the limiter, the clock offsets learnt per host, the
/// derived-key cache, and the ids of effects. The driver keeps one and lends it to every step.
#[derive(Debug, Default)]
pub struct Realm {
    /// The client-side rate limit, per (SecretId, Action).
    pub limiters: Limiters,
    /// (Host, milliseconds the server's clock is ahead of ours).
    offsets: Vec<(String, f64)>,
    keys: KeyCache,
    next_id: Id,
}

impl Realm {
    /// How far `host`'s clock is ahead of the local one, as learnt from `AuthFailure.SignatureExpire`
    /// answers (0 until then).
    pub fn clock_offset(&self, host: &str) -> f64 {
        self.offsets.iter().find(|(h, _)| h == host).map_or(0.0, |(_, v)| *v)
    }

    /// Keeps `offset_ms` for later calls to `host`.
    pub fn set_clock_offset(&mut self, host: &str, offset_ms: f64) {
        match self.offsets.iter_mut().find(|(h, _)| h == host) {
            Some(e) => e.1 = offset_ms,
            None => self.offsets.push((host.to_owned(), offset_ms)),
        }
    }

    pub(crate) fn keys(&mut self) -> &mut KeyCache {
        &mut self.keys
    }
}

/// One step's context: the current time, a random number, the realm, and where effects go.
#[derive(Debug)]
pub struct Cx<'a> {
    now_ms: f64,
    random: f64,
    draws: u32,
    realm: &'a mut Realm,
    out: &'a mut Vec<Effect>,
}

impl<'a> Cx<'a> {
    /// A step at `now_ms` (Unix milliseconds, local clock) with `random` uniform in `[0, 1)`
    /// (values outside are clamped); effects are pushed onto `out`.
    pub fn new(now_ms: f64, random: f64, realm: &'a mut Realm, out: &'a mut Vec<Effect>) -> Cx<'a> {
        Cx { now_ms, random: crate::retry::clamp_unit(random), draws: 0, realm, out }
    }

    /// The step's time.
    pub fn now_ms(&self) -> f64 {
        self.now_ms
    }

    /// A random unit: the driver's for the first draw of a step, then others derived from it
    /// (SplitMix64), so two decisions of one step are not correlated.
    pub(crate) fn random(&mut self) -> f64 {
        let n = self.draws;
        self.draws = self.draws.wrapping_add(1);
        if n == 0 {
            return self.random;
        }
        let mut z = self.random.to_bits().wrapping_add(u64::from(n).wrapping_mul(0x9e37_79b9_7f4a_7c15));
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        crate::retry::unit_from_bits(z ^ (z >> 31))
    }

    pub(crate) fn realm(&mut self) -> &mut Realm {
        self.realm
    }

    /// A fresh id.
    pub(crate) fn id(&mut self) -> Id {
        let id = self.realm.next_id;
        self.realm.next_id = id.wrapping_add(1);
        id
    }

    pub(crate) fn emit(&mut self, effect: Effect) {
        self.out.push(effect);
    }

    /// Starts a timer and returns its id.
    pub(crate) fn sleep(&mut self, ms: f64) -> Id {
        let id = self.id();
        let ms = if ms.is_finite() { ms.max(0.0) } else { 0.0 };
        self.emit(Effect::Sleep { id, ms });
        id
    }

    pub(crate) fn cancel(&mut self, id: Id) {
        self.emit(Effect::Cancel { id });
    }
}

/// Ends a root machine: its result as the final effect.
pub(crate) fn finish(cx: &mut Cx<'_>, result: Result<Output, Failure>) {
    cx.emit(match result {
        Ok(o) => Effect::Done(o),
        Err(f) => Effect::Failed(f),
    });
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn draws_of_one_step_are_the_drivers_then_derived() {
        let (mut realm, mut out) = (Realm::default(), Vec::new());
        let mut cx = Cx::new(0.0, 0.25, &mut realm, &mut out);
        assert_eq!(cx.random(), 0.25);
        let more: Vec<f64> = (0..100).map(|_| cx.random()).collect();
        assert!(more.iter().all(|u| (0.0..1.0).contains(u)));
        let mut sorted = more.clone();
        sorted.sort_by(f64::total_cmp);
        sorted.dedup();
        assert_eq!(sorted.len(), 100, "distinct");
        for bad in [f64::NAN, -1.0, 7.0, f64::INFINITY] {
            let u = Cx::new(0.0, bad, &mut realm, &mut out).random();
            assert!((0.0..1.0).contains(&u), "{bad}: {u}");
        }
    }

    #[test]
    fn ids_are_fresh_across_steps_and_sleeps_are_sane() {
        let (mut realm, mut out) = (Realm::default(), Vec::new());
        let a = Cx::new(0.0, 0.5, &mut realm, &mut out).id();
        let b = Cx::new(0.0, 0.5, &mut realm, &mut out).id();
        assert_ne!(a, b);
        let mut cx = Cx::new(0.0, 0.5, &mut realm, &mut out);
        for ms in [f64::NAN, -5.0, f64::INFINITY] {
            cx.sleep(ms);
        }
        assert!(out.iter().all(|e| matches!(e, Effect::Sleep { ms, .. } if *ms == 0.0)));
    }

    #[test]
    fn opaque_values_and_events() {
        let o = Opaque::new(String::from("x"));
        assert_eq!(o.get::<String>().map(String::as_str), Some("x"));
        assert_eq!(o.get::<u8>(), None);
        assert!(Opaque::none().is_none() && !o.is_none());
        assert_eq!(format!("{o:?} {:?}", Opaque::none()), "Opaque(..) Opaque(none)");
        assert_eq!(Event::Fired { id: 4 }.id(), Some(4));
        assert_eq!(Event::Start.id(), None);
        assert_eq!(elapsed_seconds(1_249.0), 1.2);
        assert_eq!(elapsed_seconds(1_250.0), 1.3);
    }

    #[test]
    fn aborted_is_a_calls_or_a_waits() {
        let f = aborted(Some("ResetInstance"), &Opaque::new(1u8));
        assert_eq!((f.error.code.as_ref(), f.error.action.as_deref()), (ABORTED, Some("ResetInstance")));
        assert_eq!(f.cause.get::<u8>(), Some(&1));
        assert!(aborted(None, &Opaque::none()).error.message.contains("wait"));
    }

    #[test]
    fn clock_offsets_per_host() {
        let mut r = Realm::default();
        assert_eq!(r.clock_offset("a"), 0.0);
        r.set_clock_offset("a", 5.0);
        r.set_clock_offset("b", -1.0);
        r.set_clock_offset("a", 7.0);
        assert_eq!((r.clock_offset("a"), r.clock_offset("b")), (7.0, -1.0));
    }
}
