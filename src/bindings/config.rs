//! A client's checked configuration (`ClientConfig`) and the small checks every entry shares:
//! `CallOptions`, region names, action names, JSON bodies.

use super::credentials::Source;
use super::read;
use crate::endpoint::{Endpoint, DEFAULT_ENDPOINT};
use crate::error::Error;
use crate::retry::RetryPolicy;
use crate::tc3::request::{is_name, is_region_byte, is_service_byte};
use js_sys::{Function, Object, Reflect};
use std::rc::Rc;
use tc3_lighthouse_core::machine::{CallOptions, Client};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::AbortSignal;

/// A configured client: the machines' settings, and what the driver needs (fetch, credentials).
#[derive(Debug)]
pub struct Config {
    /// The machines' settings.
    pub client: Rc<Client>,
    /// `config.fetch`, or the global one at call time.
    pub fetch: Option<Function>,
    /// Where credentials come from.
    pub credentials: Source,
    /// `config.logger` (`console` works).
    pub logger: Option<JsValue>,
}

/// Reads `signal` and `timeoutMs` from an options object (`label` names it in messages).
pub fn call_options(v: &JsValue, label: &str) -> Result<(CallOptions, Option<AbortSignal>), Error> {
    if read::absent(v) {
        return Ok((CallOptions::default(), None));
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
    let timeout_ms = read::opt_positive(&o, "timeoutMs", label)?;
    Ok((CallOptions { timeout_ms, region: None }, signal))
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

impl Config {
    /// Reads and checks a `ClientConfig`.
    pub fn from_config(v: &JsValue) -> Result<Config, Error> {
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
        let logger = read::get(&o, "logger", L)?;
        let logger = if read::absent(&logger) {
            None
        } else if logger.is_object() {
            Some(logger)
        } else {
            return Err(Error::invalid_argument(
                "`config.logger` must be an object with debug, info and warn methods, such as `console`.",
            ));
        };
        if !unsigned && endpoint.host().is_empty() {
            return Err(Error::invalid_argument(
                "`config.endpoint` is a path, which only a signing proxy can serve: set `config.unsigned: true`.",
            ));
        }
        let mut client = Client::new(endpoint);
        client.service = service;
        client.region = region;
        client.language = language;
        client.timeout_ms = timeout_ms;
        client.policy = policy;
        client.signed = !unsigned;
        client.rate_limit = rate_limit;
        client.log = logger.is_some();
        Ok(Config { client: Rc::new(client), fetch, credentials, logger })
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
