//! Cancellation for one call: the caller's `AbortSignal`, the per-attempt timeout, and sleeps that
//! end at once when either fires. Every listener and timer is removed when its owner is dropped, so
//! nothing outlives the call.

use gloo_timers::callback::Timeout;
use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;
use std::task::{Poll, Waker};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{AbortController, AbortSignal};

#[derive(Default)]
struct Flags {
    aborted: bool,
    timed_out: bool,
    waker: Option<Waker>,
    controller: Option<AbortController>,
    // Watches of the concurrent tasks of one call (a fleet): one listener on the caller's signal
    // serves them all (Node warns past ten listeners on one signal).
    children: Vec<std::rc::Weak<RefCell<Flags>>>,
}

/// Why a raced future did not finish.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Interrupted {
    /// The caller's signal fired.
    Aborted,
    /// The attempt's time limit passed.
    TimedOut,
}

/// Cancellation state of one call.
pub struct Watch {
    flags: Rc<RefCell<Flags>>,
    signal: Option<AbortSignal>,
    listener: Option<Closure<dyn FnMut()>>,
}

fn trip(flags: &Rc<RefCell<Flags>>, user: bool) {
    let (controller, waker, children) = match flags.try_borrow_mut() {
        Ok(mut f) => {
            if user {
                f.aborted = true;
            } else {
                f.timed_out = true;
            }
            let children = if user { std::mem::take(&mut f.children) } else { Vec::new() };
            (f.controller.take(), f.waker.take(), children)
        }
        Err(_) => return,
    };
    for child in children.iter().filter_map(std::rc::Weak::upgrade) {
        trip(&child, true);
    }
    // Cancel the fetch in flight, then wake whoever waits; both outside the borrow.
    if let Some(c) = controller {
        c.abort();
    }
    if let Some(w) = waker {
        w.wake();
    }
}

impl Watch {
    /// Watches `signal` (if any) for the life of the call.
    pub fn new(signal: Option<AbortSignal>) -> Watch {
        let flags = Rc::new(RefCell::new(Flags::default()));
        let mut listener = None;
        if let Some(s) = &signal {
            if s.aborted() {
                flags.borrow_mut().aborted = true;
            } else {
                let f = flags.clone();
                let cb = Closure::<dyn FnMut()>::new(move || trip(&f, true));
                if s.add_event_listener_with_callback("abort", cb.as_ref().unchecked_ref()).is_ok() {
                    listener = Some(cb);
                }
            }
        }
        Watch { flags, signal, listener }
    }

    /// A watch for one of several concurrent tasks of this call: aborted with it, with its own
    /// attempts and timeouts, and no listener of its own.
    pub fn child(&self) -> Watch {
        let flags = Rc::new(RefCell::new(Flags::default()));
        {
            let mut parent = self.flags.borrow_mut();
            if parent.aborted {
                flags.borrow_mut().aborted = true;
            } else {
                parent.children.retain(|c| c.strong_count() > 0);
                parent.children.push(Rc::downgrade(&flags));
            }
        }
        Watch { flags, signal: self.signal.clone(), listener: None }
    }

    /// Whether the caller aborted.
    pub fn aborted(&self) -> bool {
        self.flags.borrow().aborted
    }

    /// The caller's abort reason (`undefined` when none).
    pub fn reason(&self) -> JsValue {
        self.signal.as_ref().map(AbortSignal::reason).unwrap_or(JsValue::UNDEFINED)
    }

    /// Starts an attempt: a fresh controller whose signal goes to fetch, and a timer that trips the
    /// timeout. Both end when the [`Attempt`] is dropped.
    pub fn attempt(&self, timeout_ms: Option<f64>) -> Attempt {
        let controller = AbortController::new().ok();
        {
            let mut f = self.flags.borrow_mut();
            f.timed_out = false;
            f.controller = controller.clone();
        }
        let timer = timeout_ms.map(|ms| {
            let f = self.flags.clone();
            Timeout::new(clamp_ms(ms), move || trip(&f, false))
        });
        Attempt { flags: self.flags.clone(), signal: controller.map(|c| c.signal()), _timer: timer }
    }

    /// Runs `fut` until it completes or the call is aborted or the attempt times out.
    pub async fn race<F: Future>(&self, fut: F) -> Result<F::Output, Interrupted> {
        let mut fut = std::pin::pin!(fut);
        std::future::poll_fn(|cx| {
            {
                let mut f = self.flags.borrow_mut();
                if f.aborted {
                    return Poll::Ready(Err(Interrupted::Aborted));
                }
                if f.timed_out {
                    return Poll::Ready(Err(Interrupted::TimedOut));
                }
                f.waker = Some(cx.waker().clone());
            }
            fut.as_mut().poll(cx).map(Ok)
        })
        .await
    }

    /// Sleeps `ms`, or less when the caller aborts (then `Err`).
    pub async fn sleep(&self, ms: f64) -> Result<(), Interrupted> {
        if ms.is_nan() || ms <= 0.0 {
            return if self.aborted() { Err(Interrupted::Aborted) } else { Ok(()) };
        }
        self.race(gloo_timers::future::TimeoutFuture::new(clamp_ms(ms))).await
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        if let (Some(s), Some(cb)) = (&self.signal, &self.listener) {
            let _ = s.remove_event_listener_with_callback("abort", cb.as_ref().unchecked_ref());
        }
    }
}

/// One attempt's controller and timer.
pub struct Attempt {
    flags: Rc<RefCell<Flags>>,
    signal: Option<AbortSignal>,
    _timer: Option<Timeout>,
}

impl Attempt {
    /// The signal to pass to fetch.
    pub fn signal(&self) -> Option<&AbortSignal> {
        self.signal.as_ref()
    }
}

impl Drop for Attempt {
    fn drop(&mut self) {
        if let Ok(mut f) = self.flags.try_borrow_mut() {
            f.timed_out = false;
            f.controller = None;
        }
    }
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
