//! `LighthouseClient` and `resetInstance`: config, the call loop (credentials, limiter, signing,
//! fetch, retries, clock skew), and the checks of every input before any request.

use super::abort::{random_unit, Interrupted, Watch};
use super::credentials::Source;
use super::error::{to_js, to_js_full};
use super::read;
use super::sign::sign_cached;
use super::transport;
use crate::endpoint::{Endpoint, DEFAULT_ENDPOINT};
use crate::error::{Error, Kind, ABORTED, BAD_RESPONSE};
use crate::rate_limit::Limiters;
use crate::retry::{clock_offset_ms, decide, safety_of, Next, RetryPolicy};
use crate::tc3::request::{is_name, is_region_byte, is_service_byte};
use crate::tc3::request::{prepare, Input, DEFAULT_VERSION};
use js_sys::{Function, Object, Promise, Reflect};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::future_to_promise;
use web_sys::AbortSignal;

thread_local! {
    // Shared by every client of this JS realm: the limit is per account and action, not per client.
    pub(crate) static LIMITERS: RefCell<Limiters> = RefCell::new(Limiters::new());
    // Learnt from `AuthFailure.SignatureExpire` answers, per Host, and kept for later calls.
    static CLOCK_OFFSETS: RefCell<Vec<(String, f64)>> = const { RefCell::new(Vec::new()) };
}

const CLIENT_ID: &str = concat!("tc3-lighthouse/", env!("CARGO_PKG_VERSION"));

/// The learnt clock offset of a client's endpoint, in ms.
pub fn clock_offset_for(inner: &Inner) -> f64 {
    clock_offset(inner.endpoint.host())
}

fn clock_offset(host: &str) -> f64 {
    CLOCK_OFFSETS.with(|o| o.borrow().iter().find(|(h, _)| h == host).map_or(0.0, |(_, v)| *v))
}

fn set_clock_offset(host: &str, v: f64) {
    CLOCK_OFFSETS.with(|o| {
        let mut o = o.borrow_mut();
        match o.iter_mut().find(|(h, _)| h == host) {
            Some(e) => e.1 = v,
            None => o.push((host.to_owned(), v)),
        }
    });
}

/// A failed call, before it becomes a JS error.
pub struct CallError {
    /// What went wrong.
    pub error: Error,
    /// The JS cause, or `undefined`.
    pub cause: JsValue,
    /// A mutation whose fate is unknown (sent, no API answer): reconcile before resending.
    pub unknown_fate: bool,
}

impl CallError {
    fn plain(error: Error) -> Self {
        CallError { error, cause: JsValue::UNDEFINED, unknown_fate: false }
    }

    /// The JS error.
    pub fn into_js(self) -> JsValue {
        to_js_full(self.error, self.cause, JsValue::UNDEFINED)
    }
}

impl From<Error> for CallError {
    fn from(e: Error) -> Self {
        CallError::plain(e)
    }
}

/// Per-call options (`CallOptions`).
#[derive(Default, Clone)]
pub struct CallOptions {
    /// The caller's signal.
    pub signal: Option<AbortSignal>,
    /// Per-attempt time limit.
    pub timeout_ms: Option<f64>,
    /// X-TC-Region for this call instead of the client's (the signing proxy passes the page's).
    pub region: Option<String>,
}

/// Reads `signal` and `timeoutMs` from an options object (`label` names it in messages).
pub fn call_options(v: &JsValue, label: &str) -> Result<CallOptions, Error> {
    if read::absent(v) {
        return Ok(CallOptions::default());
    }
    let o = read::object(v, label)?;
    let signal = read::get(&o, "signal", label)?;
    let signal = if read::absent(&signal) {
        None
    } else {
        let bad = || Error::invalid_argument(["`", &read::path(label, "signal"), "` must be an AbortSignal."].concat());
        let signal = signal.dyn_into::<AbortSignal>().map_err(|_| bad())?;
        // An object that only pretends (`Object.create(AbortSignal.prototype)`) throws when asked.
        if Reflect::get(&signal, &"aborted".into()).is_err() || Reflect::get(&signal, &"reason".into()).is_err() {
            return Err(bad());
        }
        Some(signal)
    };
    Ok(CallOptions { signal, timeout_ms: read::opt_positive(&o, "timeoutMs", label)?, region: None })
}

/// A configured client; shared by the calls in flight.
pub struct Inner {
    pub(crate) endpoint: Endpoint,
    service: String,
    region: Option<String>,
    language: Option<String>,
    timeout_ms: Option<f64>,
    policy: RetryPolicy,
    fetch: Option<Function>,
    credentials: Source,
    unsigned: bool,
    rate_limit: bool,
}

/// Asks the platform's URL parser (the one fetch uses) for the Host it will send.
fn wire_host(e: Endpoint) -> Result<Endpoint, Error> {
    if e.host().is_empty() {
        return Ok(e);
    }
    let bad = || Error::invalid_argument("`config.endpoint` is not a URL this platform can fetch.");
    let ctor: Function = match Reflect::get(&js_sys::global(), &"URL".into()).ok().and_then(|c| c.dyn_into().ok()) {
        Some(c) => c,
        None => return Ok(e),
    };
    let url = Reflect::construct(&ctor, &js_sys::Array::of1(&e.url().into())).map_err(|_| bad())?;
    match Reflect::get(&url, &"host".into()).ok().and_then(|h| h.as_string()) {
        Some(h) if !h.is_empty() => Ok(e.with_host(h)),
        _ => Err(bad()),
    }
}

/// Checks a region name.
pub fn region_ok(r: &str, field: &str) -> Result<(), Error> {
    if is_name(r, is_region_byte) {
        Ok(())
    } else {
        Err(Error::invalid_argument(["`", field, "` must be a region such as \"ap-guangzhou\"."].concat()))
    }
}

impl Inner {
    /// Reads and checks a `ClientConfig`.
    pub fn from_config(v: &JsValue) -> Result<Inner, Error> {
        const L: &str = "config";
        let o = if read::absent(v) { Object::new() } else { read::object(v, L)? };
        let endpoint =
            wire_host(Endpoint::parse(read::opt_string(&o, "endpoint", L)?.as_deref().unwrap_or(DEFAULT_ENDPOINT))?)?;
        let service = read::opt_string(&o, "service", L)?.unwrap_or_else(|| "lighthouse".to_owned());
        if !is_name(&service, is_service_byte) {
            return Err(Error::invalid_argument(
                "`config.service` must be a lower-case service name, e.g. \"lighthouse\".",
            ));
        }
        let region = read::opt_string(&o, "region", L)?;
        if let Some(r) = &region {
            region_ok(r, "config.region")?;
        }
        let language = read::opt_string(&o, "language", L)?;
        if let Some(l) = &language {
            read::one_of(l, &["zh-CN", "en-US"], "config.language")?;
        }
        let timeout_ms = read::opt_positive(&o, "timeoutMs", L)?;
        let mut policy = RetryPolicy::default();
        if let Some(n) = read::opt_number(&o, "maxAttempts", L)? {
            if !(1.0..=20.0).contains(&n) || n.fract() != 0.0 {
                return Err(Error::invalid_argument("`config.maxAttempts` must be an integer from 1 to 20."));
            }
            policy.max_attempts = n as u32;
        }
        let fetch = read::get(&o, "fetch", L)?;
        let fetch = if read::absent(&fetch) {
            None
        } else {
            Some(
                fetch
                    .dyn_into::<Function>()
                    .map_err(|_| Error::invalid_argument("`config.fetch` must be a function."))?,
            )
        };
        let unsigned = read::opt_bool(&o, "unsigned", L)?.unwrap_or(false);
        let rate_limit = read::opt_bool(&o, "rateLimit", L)?.unwrap_or(true);
        let credentials = Source::from_config(&read::get(&o, "credentials", L)?)?;
        if !unsigned && endpoint.host().is_empty() {
            return Err(Error::invalid_argument(
                "`config.endpoint` is a path, which only a signing proxy can serve: set `config.unsigned: true`.",
            ));
        }
        Ok(Inner { endpoint, service, region, language, timeout_ms, policy, fetch, credentials, unsigned, rate_limit })
    }

    /// The retry policy (`maxAttempts`).
    pub fn policy(&self) -> RetryPolicy {
        self.policy
    }

    /// The config's per-attempt time limit.
    pub fn timeout_ms(&self) -> Option<f64> {
        self.timeout_ms
    }

    fn fetch_fn(&self) -> Result<Function, Error> {
        if let Some(f) = &self.fetch {
            return Ok(f.clone());
        }
        Reflect::get(&js_sys::global(), &"fetch".into())
            .ok()
            .and_then(|f| f.dyn_into::<Function>().ok())
            .ok_or_else(|| Error::invalid_argument("No global fetch: pass `config.fetch`."))
    }

    /// Sends `action` with the JSON `body`, retrying what is safe to retry.
    pub async fn call(
        &self,
        action: &str,
        body: &str,
        opts: &CallOptions,
        watch: &Watch,
    ) -> Result<JsValue, CallError> {
        let action_err = |e: Error| e.with_action(action);
        let fetch = self.fetch_fn().map_err(action_err)?;
        let timeout_ms = opts.timeout_ms.or(self.timeout_ms);
        let safety = safety_of(action);
        let host = self.endpoint.host();
        let mut skew_retries = 0;
        let mut attempt = 0;
        loop {
            if watch.aborted() {
                return Err(aborted(watch, action));
            }
            let now_ms = js_sys::Date::now();
            let creds = if self.unsigned {
                None
            } else {
                Some(self.credentials.get(watch, now_ms / 1000.0).await.map_err(|(e, cause)| CallError {
                    error: e.with_action(action),
                    cause,
                    unknown_fate: false,
                })?)
            };
            if self.rate_limit {
                let key = creds.as_ref().map_or("", |c| c.secret_id.as_str());
                let mut wait = LIMITERS.with(|l| l.borrow_mut().reserve(key, action, js_sys::Date::now()));
                // Sleep until the reserved slot, then until the send itself fits the rate.
                loop {
                    if wait > 0.0 && watch.sleep(wait).await.is_err() {
                        return Err(aborted(watch, action));
                    }
                    wait = LIMITERS.with(|l| l.borrow_mut().confirm(key, action, js_sys::Date::now()));
                    if wait <= 0.0 {
                        break;
                    }
                }
            }
            let headers = self.headers(action, body, creds, opts.region.as_deref())?;
            let failure = match transport::send(&fetch, self.endpoint.url(), &headers, body, watch, timeout_ms).await {
                Ok(answer) => return Ok(answer.response),
                Err(f) => f,
            };
            // A gateway page or a cut answer says nothing about whether a mutation took effect.
            let kind = if failure.error.code == BAD_RESPONSE { Kind::Network } else { failure.error.kind };
            match decide(kind, safety, failure.sent, attempt, &self.policy, skew_retries, random_unit()) {
                Next::RetryAfter(ms) => {
                    if watch.sleep(ms).await == Err(Interrupted::Aborted) {
                        return Err(aborted(watch, action));
                    }
                }
                Next::ReSignAndRetry => {
                    if let Some(d) = failure.server_date_ms {
                        set_clock_offset(host, clock_offset_ms(d, js_sys::Date::now()));
                    }
                    skew_retries += 1;
                }
                Next::Reconcile => {
                    return Err(CallError {
                        error: failure.error.with_action(action),
                        cause: failure.cause,
                        unknown_fate: true,
                    })
                }
                Next::GiveUp => {
                    return Err(CallError {
                        error: failure.error.with_action(action),
                        cause: failure.cause,
                        unknown_fate: false,
                    })
                }
            }
            attempt += 1;
        }
    }

    fn headers(
        &self,
        action: &str,
        body: &str,
        creds: Option<crate::credentials::Credentials>,
        region: Option<&str>,
    ) -> Result<Object, CallError> {
        let region = region.map(str::to_owned).or_else(|| self.region.clone());
        let h = Object::new();
        let set = |k: &str, v: &str| {
            let _ = Reflect::set(&h, &JsValue::from_str(k), &JsValue::from_str(v));
        };
        match creds {
            Some(c) => {
                let now_s = ((js_sys::Date::now() + clock_offset(self.endpoint.host())) / 1000.0).floor();
                let input = Input {
                    secret_id: c.secret_id,
                    secret_key: c.secret_key,
                    token: c.token,
                    service: Some(self.service.clone()),
                    host: Some(self.endpoint.host().to_owned()),
                    action: action.to_owned(),
                    version: None,
                    region: region.clone(),
                    language: self.language.clone(),
                    timestamp: None,
                    method: None,
                    content_type: None,
                    query: None,
                    payload: Some(body.to_owned()),
                };
                let prepared = prepare(input, now_s).map_err(|e| CallError::plain(e.with_action(action)))?;
                let signed = sign_cached(&prepared);
                // The browser sets Host itself (it is the value signed); Node's fetch does the same.
                for (k, v) in prepared.headers(&signed).iter().filter(|(k, _)| *k != "Host") {
                    set(k, v);
                }
            }
            None => {
                set("Content-Type", "application/json");
                set("X-TC-Action", action);
                set("X-TC-Version", DEFAULT_VERSION);
                if let Some(r) = &region {
                    set("X-TC-Region", r);
                }
                if let Some(l) = &self.language {
                    set("X-TC-Language", l);
                }
            }
        }
        set("X-TC-RequestClient", CLIENT_ID);
        Ok(h)
    }
}

fn aborted(watch: &Watch, action: &str) -> CallError {
    CallError {
        error: Error::new(ABORTED, "The call was aborted by its AbortSignal.").with_action(action),
        cause: watch.reason(),
        unknown_fate: false,
    }
}

/// `JSON.stringify(params)`, refusing what is not a plain object or cannot be serialised.
pub fn body_of(params: &JsValue, label: &str) -> Result<String, Error> {
    if read::absent(params) {
        return Ok("{}".to_owned());
    }
    read::object(params, label)?;
    super::json::stringify(params).ok_or_else(|| {
        Error::invalid_argument(
            ["`", label, "` could not be serialised as JSON (a cycle, a BigInt, a throwing getter?)."].concat(),
        )
    })
}

/// Checks the action name of `client.request`.
pub fn check_action(action: &JsValue) -> Result<String, Error> {
    match action.as_string() {
        Some(a) if !a.is_empty() && a.len() <= 128 && a.chars().all(|c| c.is_ascii_alphanumeric()) => Ok(a),
        _ => Err(Error::invalid_argument("`action` must be an API action name such as \"DescribeInstances\".")),
    }
}

/// Runs a future as a JS Promise. Boxed, so every async entry point shares one instantiation of
/// `future_to_promise` (each would otherwise cost kilobytes of wasm).
pub fn promise(fut: impl std::future::Future<Output = Result<JsValue, JsValue>> + 'static) -> Promise {
    let boxed: std::pin::Pin<Box<dyn std::future::Future<Output = Result<JsValue, JsValue>>>> = Box::pin(fut);
    future_to_promise(boxed)
}

/// Runs a call as a JS Promise.
pub fn spawn(inner: Rc<Inner>, action: String, body: String, opts: CallOptions) -> Promise {
    promise(async move {
        let watch = Watch::new(opts.signal.clone());
        inner.call(&action, &body, &opts, &watch).await.map_err(CallError::into_js)
    })
}

/// A rejected Promise with the error.
pub fn rejected(e: Error) -> Promise {
    Promise::reject(&to_js(e))
}
