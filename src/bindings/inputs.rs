//! The checks of every Lighthouse input before any request: request bodies (types of every field,
//! ID formats with the service's own codes), wait inputs, and the options of waits and fleets.

use super::config::{body_of, call_options};
use super::read;
use crate::error::Error;
use crate::validate::{check_blueprint_id, check_instance_id};
use crate::waiter::Schedule;
use js_sys::{Function, Object};
use tc3_lighthouse_core::machine::{FleetOptions, WaitOptions};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::AbortSignal;

fn field(name: &str) -> String {
    read::path("input", name)
}

fn invalid(name: &str, what: &str) -> Error {
    Error::invalid_argument(["`", &field(name), "` ", what].concat())
}

/// An optional array of at most `max` items, each checked by `each`.
fn opt_array(o: &Object, name: &str, max: u32, each: impl Fn(&JsValue) -> Result<(), Error>) -> Result<(), Error> {
    let v = read::get(o, name, "input")?;
    if read::absent(&v) {
        return Ok(());
    }
    let label = field(name);
    if !read::is_array(&v, &label)? {
        return Err(invalid(name, "must be an array."));
    }
    read::array_items(&v, &label, max)?.iter().try_for_each(each)
}

fn opt_uint(o: &Object, name: &str, min: f64, max: f64) -> Result<(), Error> {
    match read::opt_number(o, name, "input")? {
        Some(n) if n.fract() != 0.0 || n < min || n > max => {
            let (mut a, mut b) = ([0u8; 20], [0u8; 20]);
            Err(invalid(
                name,
                &[
                    "must be an integer from ",
                    crate::tc3::u64_to_str(min as u64, &mut a),
                    " to ",
                    crate::tc3::u64_to_str(max as u64, &mut b),
                    ".",
                ]
                .concat(),
            ))
        }
        _ => Ok(()),
    }
}

fn filters(o: &Object) -> Result<(), Error> {
    opt_array(o, "Filters", 10, |f| {
        let fo = read::object(f, "input.Filters[]")?;
        read::string(&fo, "Name", "input.Filters[]")?;
        let values = read::get(&fo, "Values", "input.Filters[]")?;
        let label = "input.Filters[].Values";
        if !read::is_array(&values, label)? || !read::array_items(&values, label, 100)?.iter().all(JsValue::is_string) {
            return Err(Error::invalid_argument("`input.Filters[].Values` must be an array of at most 100 strings."));
        }
        Ok(())
    })
}

/// Checks a `ResetInstanceRequest` and returns its JSON body.
pub fn reset_instance_body(input: &JsValue) -> Result<(String, String), Error> {
    let o = read::object(input, "input")?;
    let id = read::opt_string(&o, "InstanceId", "input")?;
    // Absent or empty is MissingParameter, anything else not an ID is InstanceIdMalformed.
    check_instance_id("InstanceId", id.as_deref())?;
    check_blueprint_id("BlueprintId", read::opt_string(&o, "BlueprintId", "input")?.as_deref())?;
    opt_array(&o, "Containers", 100, |c| read::object(c, "input.Containers[]").map(|_| ()))?;
    let login = read::get(&o, "LoginConfiguration", "input")?;
    if !read::absent(&login) {
        let lo = read::object(&login, "input.LoginConfiguration")?;
        if let Some(a) = read::opt_string(&lo, "AutoGeneratePassword", "input.LoginConfiguration")? {
            read::one_of(&a, &["YES", "NO"], "input.LoginConfiguration.AutoGeneratePassword")?;
        }
        read::opt_string(&lo, "Password", "input.LoginConfiguration")?;
        let keys = read::get(&lo, "KeyIds", "input.LoginConfiguration")?;
        let label = "input.LoginConfiguration.KeyIds";
        if !read::absent(&keys)
            && (!read::is_array(&keys, label)? || !read::array_items(&keys, label, 5)?.iter().all(JsValue::is_string))
        {
            return Err(Error::invalid_argument(
                "`input.LoginConfiguration.KeyIds` must be an array of at most 5 key IDs.",
            ));
        }
    }
    Ok((id.unwrap_or_default(), body_of(input, "input")?))
}

/// Checks a `DescribeInstancesRequest` and returns its JSON body.
pub fn describe_instances_body(input: &JsValue) -> Result<String, Error> {
    if read::absent(input) {
        return Ok("{}".to_owned());
    }
    let o = read::object(input, "input")?;
    opt_array(&o, "InstanceIds", 100, |x| match x.as_string() {
        Some(s) => check_instance_id("InstanceIds[]", Some(&s)),
        None => Err(invalid("InstanceIds", "must contain only strings.")),
    })?;
    filters(&o)?;
    if !read::absent(&read::get(&o, "InstanceIds", "input")?) && !read::absent(&read::get(&o, "Filters", "input")?) {
        return Err(Error::invalid_argument("`input.InstanceIds` and `input.Filters` cannot be used together."));
    }
    opt_uint(&o, "Offset", 0.0, 1e9)?;
    opt_uint(&o, "Limit", 1.0, 100.0)?;
    body_of(input, "input")
}

/// Checks a `DescribeBlueprintsRequest` and returns its JSON body.
pub fn describe_blueprints_body(input: &JsValue) -> Result<String, Error> {
    if read::absent(input) {
        return Ok("{}".to_owned());
    }
    let o = read::object(input, "input")?;
    opt_array(&o, "BlueprintIds", 100, |x| match x.as_string() {
        Some(s) => check_blueprint_id("BlueprintIds[]", Some(&s)),
        None => Err(invalid("BlueprintIds", "must contain only strings.")),
    })?;
    filters(&o)?;
    opt_uint(&o, "Offset", 0.0, 1e9)?;
    opt_uint(&o, "Limit", 1.0, 100.0)?;
    body_of(input, "input")
}

/// A wait's options, with the caller's signal and `onProgress` (the driver's).
#[derive(Debug)]
pub struct Waiting {
    /// The machine's options.
    pub opts: WaitOptions,
    /// `signal`.
    pub signal: Option<AbortSignal>,
    /// `onProgress`.
    pub on_progress: Option<Function>,
}

/// Reads `WaiterOptions` (plus `timeoutMs` per poll and `waitForIdle`).
fn wait_options(v: &JsValue, label: &str) -> Result<Waiting, Error> {
    let (call, signal) = call_options(v, label)?;
    let mut opts = WaitOptions { call, ..WaitOptions::default() };
    if read::absent(v) {
        return Ok(Waiting { opts, signal, on_progress: None });
    }
    let o = read::object(v, label)?;
    opts.schedule = Schedule::from_options(
        read::opt_number(&o, "minDelaySeconds", label)?,
        read::opt_number(&o, "maxDelaySeconds", label)?,
        read::opt_number(&o, "maxWaitSeconds", label)?,
    )?;
    let p = read::get(&o, "onProgress", label)?;
    let on_progress = if read::absent(&p) {
        None
    } else {
        Some(p.dyn_into::<Function>().map_err(|_| {
            Error::invalid_argument(["`", &read::path(label, "onProgress"), "` must be a function."].concat())
        })?)
    };
    opts.progress = on_progress.is_some();
    opts.wait_for_idle = read::opt_bool(&o, "waitForIdle", label)?.unwrap_or(false);
    Ok(Waiting { opts, signal, on_progress })
}

/// `waitUntilInstanceReset`'s input.
pub fn wait_input(v: &JsValue) -> Result<(String, Option<String>), Error> {
    let o = read::object(v, "input")?;
    let id = read::opt_string(&o, "InstanceId", "input")?;
    check_instance_id("InstanceId", id.as_deref())?;
    let rid = read::opt_string(&o, "RequestId", "input")?;
    if rid.as_deref() == Some("") {
        return Err(Error::invalid_argument("`input.RequestId` must not be empty."));
    }
    Ok((id.unwrap_or_default(), rid))
}

/// Known keys of an options object, then its waiter options.
pub fn checked_wait_options(v: &JsValue, label: &str, keys: &[&[&str]]) -> Result<Waiting, Error> {
    read::only_known(v, label, keys)?;
    wait_options(v, label)
}

/// `resetInstances`' options, with the caller's signal, `onProgress` and journal.
pub fn fleet_options(
    v: &JsValue,
    label: &str,
    keys: &[&[&str]],
) -> Result<(FleetOptions, Waiting, Option<JsValue>), Error> {
    let waiting = checked_wait_options(v, label, keys)?;
    let (do_wait, concurrency, journal) = if read::absent(v) {
        (true, 10, None)
    } else {
        let o = read::object(v, label)?;
        let journal = read::get(&o, "journal", label)?;
        let journal = if read::absent(&journal) {
            None
        } else {
            let has = |m: &str| read::property(&journal, m).is_function();
            if !(journal.is_object() && has("load") && has("append")) {
                return Err(Error::invalid_argument(
                    [
                        "`",
                        &read::path(label, "journal"),
                        "` must be a journal: an object with load() and append(entry).",
                    ]
                    .concat(),
                ));
            }
            // A build without the journal would break its promise (a re-run never resets twice).
            if !cfg!(feature = "journal") {
                return Err(Error::new(
                    crate::error::UNSUPPORTED,
                    ["`", &read::path(label, "journal"), "` needs the server build (Node, Deno, Bun, workerd)."]
                        .concat(),
                ));
            }
            Some(journal)
        };
        let c = match read::opt_number(&o, "concurrency", label)? {
            None => 10.0,
            Some(c) if (1.0..=1000.0).contains(&c) && c.fract() == 0.0 => c,
            Some(_) => {
                return Err(Error::invalid_argument(
                    ["`", &read::path(label, "concurrency"), "` must be an integer from 1 to 1000."].concat(),
                ))
            }
        };
        (read::opt_bool(&o, "wait", label)?.unwrap_or(true), c as usize, journal)
    };
    let opts = FleetOptions { wait: waiting.opts.clone(), do_wait, concurrency, journal: journal.is_some() };
    Ok((opts, waiting, journal))
}
