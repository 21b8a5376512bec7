//! The async entries as "read and check the JS inputs, build the machine, drive it": one function
//! per kind of job, shared by `LighthouseClient`'s methods and the one-off module functions.

use super::config::Config;
use super::drive::{run, Env};
use super::error::to_js;
use super::inputs::{checked_wait_options, fleet_options, reset_instance_body, wait_input};
#[cfg(feature = "journal")]
use super::journal;
use super::read;
use crate::error::Error;
use js_sys::Promise;
use std::rc::Rc;
use tc3_lighthouse_core::machine::{Call, CallOptions, Failure, Fleet, FleetItem, Reset, Wait};
use wasm_bindgen::JsValue;
use web_sys::AbortSignal;

/// A rejected Promise with the error.
pub fn rejected(e: Error) -> Promise {
    Promise::reject(&to_js(e))
}

fn env(config: &Rc<Config>, signal: Option<AbortSignal>, on_progress: Option<js_sys::Function>) -> Env {
    Env { config: config.clone(), signal, on_progress, journal: None }
}

/// One call of `action` with the JSON `body`, retried as far as that is safe.
pub fn call(config: &Rc<Config>, action: &str, body: String, opts: (CallOptions, Option<AbortSignal>)) -> Promise {
    let m = Call::new(config.client.clone(), action, body, opts.0);
    run(Box::new(m), env(config, opts.1, None))
}

/// `resetInstance`: exactly once in effect, as a Promise of `{ RequestId }`.
pub fn reset(config: &Rc<Config>, id: String, body: String, opts: (CallOptions, Option<AbortSignal>)) -> Promise {
    let m = Reset::new(config.client.clone(), id, body, opts.0);
    run(Box::new(m), env(config, opts.1, None))
}

/// Waiting polls DescribeInstances, which lists the instances of one region: without one every
/// poll would fail, after the reset was sent. Refused before anything is sent instead.
fn region_to_wait(config: &Config) -> Result<(), Error> {
    if config.client.region.is_some() {
        Ok(())
    } else {
        Err(Error::invalid_argument(
            "`config.region` is needed to wait: DescribeInstances lists the instances of one region, e.g. \"ap-guangzhou\".",
        ))
    }
}

/// `waitUntilInstanceReset`.
pub fn wait(config: &Rc<Config>, input: &JsValue, options: &JsValue, label: &str, keys: &[&[&str]]) -> Promise {
    let checked = wait_input(input).and_then(|i| checked_wait_options(options, label, keys).map(|o| (i, o)));
    match checked.and_then(|p| region_to_wait(config).map(|()| p)) {
        Ok(((id, rid), w)) => {
            let m = Wait::until_reset(config.client.clone(), id, rid, w.opts);
            run(Box::new(m), env(config, w.signal, w.on_progress))
        }
        Err(e) => rejected(e),
    }
}

/// `resetInstanceAndWait`.
pub fn reset_and_wait(
    config: &Rc<Config>,
    input: &JsValue,
    options: &JsValue,
    label: &str,
    keys: &[&[&str]],
) -> Promise {
    let checked = reset_instance_body(input).and_then(|b| checked_wait_options(options, label, keys).map(|o| (b, o)));
    match checked.and_then(|p| region_to_wait(config).map(|()| p)) {
        Ok(((id, body), w)) => {
            let m = Wait::reset_and_wait(config.client.clone(), id, body, w.opts);
            run(Box::new(m), env(config, w.signal, w.on_progress))
        }
        Err(e) => rejected(e.with_action("ResetInstance")),
    }
}

/// `resetInstances`: every input checked on its own (a bad one fails its item only).
pub fn fleet(config: &Rc<Config>, inputs: &JsValue, options: &JsValue, label: &str, keys: &[&[&str]]) -> Promise {
    let items = match read::is_array(inputs, "inputs") {
        Ok(true) => read::array_items(inputs, "inputs", 100_000),
        Ok(false) => Err(Error::invalid_argument("`inputs` must be an array of ResetInstance requests.")),
        Err(e) => Err(e),
    };
    let (items, (opts, w, journal)) = match items.and_then(|i| fleet_options(options, label, keys).map(|f| (i, f))) {
        Ok(p) => p,
        Err(e) => return rejected(e),
    };
    // An empty fleet waits for nothing.
    if opts.do_wait && !items.is_empty() {
        if let Err(e) = region_to_wait(config) {
            return rejected(e);
        }
    }
    let items: Vec<FleetItem> = items
        .iter()
        .map(|v| {
            let request = match reset_instance_body(v) {
                Ok((_, body)) => Ok(body.into()),
                Err(e) => Err(Failure::new(e.with_action("ResetInstance"))),
            };
            // An item whose getter threw was refused above; its id reads as "".
            let instance_id = if v.is_object() {
                read::property(v, "InstanceId").as_string().unwrap_or_default()
            } else {
                String::new()
            };
            FleetItem { instance_id, request, prior: None }
        })
        .collect();
    let env = Env { journal, ..env(config, w.signal, w.on_progress) };
    #[cfg(feature = "journal")]
    if let Some(j) = env.journal.clone() {
        return journal::resume(config.client.clone(), items, opts, j, env);
    }
    run(Box::new(Fleet::new(config.client.clone(), items, opts)), env)
}
