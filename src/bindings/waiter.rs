//! Finishing the job: exactly-once resets (reconciling when an answer is lost), the reset waiter,
//! waiting for an idle instance, and fleets whose waits share one DescribeInstances poller.

use super::abort::{random_unit, Watch};
use super::client::{call_options, promise, rejected, CallError, CallOptions, Inner, LIMITERS};
use super::error::to_js_full;
use super::lighthouse::{reset_instance_body, LighthouseClient};
use super::read;
use crate::error::{Error, Kind, ABORTED, INSTANCE_NOT_FOUND, WAITER_OPERATION_FAILED, WAITER_TIMEOUT};
use crate::retry::full_jitter_ms;
use crate::validate::check_instance_id;
use crate::waiter::{
    batches, is_idle, parse_tencent_time, reconcile_reset, reset_outcome, Outcome, Reconciled, Schedule, Snapshot,
    DESCRIBE_MAX_IDS, MISSING_TOLERANCE, SKEW_ALLOWANCE_MS,
};
use js_sys::{Array, Function, Object, Promise, Reflect};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

fn get(o: &JsValue, k: &str) -> JsValue {
    super::read::property(o, k)
}

fn set(o: &Object, k: &str, v: &JsValue) {
    let _ = Reflect::set(o, &JsValue::from_str(k), v);
}

fn now() -> f64 {
    js_sys::Date::now()
}

/// Waiter options (`WaiterOptions`, plus `timeoutMs` per poll and `waitForIdle`).
#[derive(Clone)]
pub struct WaitOptions {
    schedule: Schedule,
    call: CallOptions,
    on_progress: Option<Function>,
    wait_for_idle: bool,
}

fn wait_options(v: &JsValue, label: &str) -> Result<WaitOptions, Error> {
    let call = call_options(v, label)?;
    if read::absent(v) {
        return Ok(WaitOptions { schedule: Schedule::default(), call, on_progress: None, wait_for_idle: false });
    }
    let o = read::object(v, label)?;
    let schedule = Schedule::from_options(
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
    let wait_for_idle = read::opt_bool(&o, "waitForIdle", label)?.unwrap_or(false);
    Ok(WaitOptions { schedule, call, on_progress, wait_for_idle })
}

/// What DescribeInstances said of one instance, owned.
struct Seen {
    instance: JsValue,
    state: String,
    op: Option<String>,
    op_state: Option<String>,
    op_request_id: Option<String>,
    op_started_ms: Option<f64>,
}

impl Seen {
    fn of(instance: JsValue) -> Seen {
        let s = |k: &str| get(&instance, k).as_string();
        Seen {
            state: s("InstanceState").unwrap_or_default(),
            op: s("LatestOperation"),
            op_state: s("LatestOperationState"),
            op_request_id: s("LatestOperationRequestId"),
            op_started_ms: s("LatestOperationStartedTime").and_then(|t| parse_tencent_time(&t)),
            instance,
        }
    }

    fn snapshot(&self) -> Snapshot<'_> {
        Snapshot {
            instance_state: &self.state,
            latest_operation: self.op.as_deref(),
            latest_operation_state: self.op_state.as_deref(),
            latest_operation_request_id: self.op_request_id.as_deref(),
            latest_operation_started_ms: self.op_started_ms,
        }
    }
}

fn ids_body(ids: &[String]) -> String {
    let mut b = String::from("{\"InstanceIds\":[");
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            b.push(',');
        }
        // IDs are checked to be `lhins-` + [a-z0-9]: nothing to escape.
        b.push('"');
        b.push_str(id);
        b.push('"');
    }
    b.push_str("],\"Limit\":100}");
    b
}

/// DescribeInstances for `ids`, as (id, what was seen) for those listed.
async fn describe(inner: &Inner, ids: &[String], opts: &CallOptions, watch: &Watch) -> Result<Vec<Seen>, CallError> {
    let resp = inner.call("DescribeInstances", &ids_body(ids), opts, watch).await?;
    let set = get(&resp, "InstanceSet");
    Ok(if Array::is_array(&set) { Array::from(&set).iter().map(Seen::of).collect() } else { Vec::new() })
}

fn find(seen: Vec<Seen>, id: &str) -> Option<Seen> {
    seen.into_iter().find(|s| get(&s.instance, "InstanceId").as_string().as_deref() == Some(id))
}

fn aborted(watch: &Watch) -> CallError {
    CallError {
        error: Error::new(ABORTED, "The wait was aborted by its AbortSignal."),
        cause: watch.reason(),
        unknown_fate: false,
    }
}

/// A waiter error with what it last saw.
fn waiter_error(error: Error, instance: Option<&JsValue>, elapsed_ms: f64, attempts: u32) -> JsValue {
    let extra = Object::new();
    if let Some(i) = instance {
        set(&extra, "instance", i);
    }
    set(&extra, "elapsedSeconds", &JsValue::from_f64((elapsed_ms / 100.0).round() / 10.0));
    set(&extra, "attempts", &JsValue::from_f64(f64::from(attempts)));
    to_js_full(error, JsValue::UNDEFINED, extra.into())
}

/// A failure of a wait: either a call's error, or the waiter's own (already a JS error).
enum WaitError {
    Call(CallError),
    Js(JsValue),
}

impl From<CallError> for WaitError {
    fn from(e: CallError) -> Self {
        WaitError::Call(e)
    }
}

impl WaitError {
    fn into_js(self) -> JsValue {
        match self {
            WaitError::Call(c) => c.into_js(),
            WaitError::Js(v) => v,
        }
    }
}

fn progress(cb: &Option<Function>, id: &str, seen: &Seen, attempt: u32, elapsed_ms: f64) {
    let Some(f) = cb else { return };
    let e = Object::new();
    set(&e, "InstanceId", &id.into());
    set(&e, "LatestOperationState", &seen.op_state.as_deref().map_or(JsValue::NULL, JsValue::from_str));
    set(&e, "InstanceState", &JsValue::from_str(&seen.state));
    set(&e, "attempt", &JsValue::from_f64(f64::from(attempt)));
    set(&e, "elapsedSeconds", &JsValue::from_f64((elapsed_ms / 100.0).round() / 10.0));
    set(&e, "instance", &seen.instance);
    // A throwing callback is the caller's bug; it must not end the wait.
    let _ = f.call1(&JsValue::UNDEFINED, &e);
}

/// Whether a poll's failure is a passing one the waiter rides out (the call already retried).
fn passing(e: &CallError) -> bool {
    matches!(e.error.kind, Kind::Throttling | Kind::Transient | Kind::Network | Kind::Timeout)
}

/// Polls until `id`'s reset (with `request_id` when known) finishes, or `until(seen)` for other waits.
/// One wait's clock, shared by its phases (idle, then reset): progress `attempt` and `elapsedSeconds`
/// keep counting, and `maxWaitSeconds` bounds the whole.
struct PollClock {
    started: f64,
    polls: Cell<u32>,
}

impl PollClock {
    fn new() -> Self {
        PollClock { started: now(), polls: Cell::new(0) }
    }
}

async fn poll_one(
    inner: &Inner,
    id: &str,
    opts: &WaitOptions,
    watch: &Watch,
    clock: &PollClock,
    done: &dyn Fn(&Seen) -> Option<Result<(), Error>>,
) -> Result<JsValue, WaitError> {
    let started = clock.started;
    // The backoff restarts with each phase; the progress count does not.
    let mut attempt: u32 = 0;
    let mut missing: u32 = 0;
    let mut last: Option<JsValue> = None;
    let ids = [id.to_owned()];
    loop {
        let poll = clock.polls.get();
        clock.polls.set(poll.saturating_add(1));
        match describe(inner, &ids, &opts.call, watch).await {
            Ok(seen) => match find(seen, id) {
                None => {
                    missing += 1;
                    if missing > MISSING_TOLERANCE {
                        let e = Error::new(INSTANCE_NOT_FOUND, "The instance is not in DescribeInstances.")
                            .with_action("DescribeInstances");
                        return Err(WaitError::Call(CallError::from(e)));
                    }
                }
                Some(seen) => {
                    missing = 0;
                    progress(&opts.on_progress, id, &seen, poll, now() - started);
                    match done(&seen) {
                        Some(Ok(())) => return Ok(seen.instance),
                        Some(Err(e)) => {
                            return Err(WaitError::Js(waiter_error(
                                e,
                                Some(&seen.instance),
                                now() - started,
                                clock.polls.get(),
                            )))
                        }
                        None => last = Some(seen.instance),
                    }
                }
            },
            Err(e) if e.error.kind == Kind::Aborted => return Err(e.into()),
            Err(e) if passing(&e) => {}
            Err(e) => return Err(e.into()),
        }
        attempt += 1;
        let elapsed = now() - started;
        let Some(delay) = opts.schedule.next_delay_ms(attempt - 1, elapsed, random_unit()) else {
            let e = Error::new(WAITER_TIMEOUT, "The reset did not finish within maxWaitSeconds.");
            return Err(WaitError::Js(waiter_error(e, last.as_ref(), elapsed, clock.polls.get().max(attempt))));
        };
        if watch.sleep(delay).await.is_err() {
            return Err(aborted(watch).into());
        }
    }
}

fn reset_judge(request_id: Option<String>) -> impl Fn(&Seen) -> Option<Result<(), Error>> {
    move |seen| match reset_outcome(&seen.snapshot(), request_id.as_deref()) {
        Outcome::Succeeded => Some(Ok(())),
        Outcome::Failed => Some(Err(Error::new(WAITER_OPERATION_FAILED, "The reset ended in FAILED.")
            .with_request_id(seen.op_request_id.clone()))),
        Outcome::Pending => None,
    }
}

fn idle_judge(seen: &Seen) -> Option<Result<(), Error>> {
    is_idle(&seen.snapshot()).then_some(Ok(()))
}

async fn wait_reset(
    inner: &Inner,
    id: &str,
    request_id: Option<String>,
    opts: &WaitOptions,
    watch: &Watch,
    clock: &PollClock,
) -> Result<JsValue, WaitError> {
    poll_one(inner, id, opts, watch, clock, &reset_judge(request_id)).await
}

/// Sends a ResetInstance at most once in effect: when an attempt's fate is unknown, DescribeInstances
/// decides between "it happened" (its RequestId is returned) and "safe to resend".
async fn reset_once(
    inner: &Inner,
    id: &str,
    body: &str,
    opts: &CallOptions,
    watch: &Watch,
) -> Result<String, CallError> {
    let policy = inner.policy();
    let mut unknown_since: Option<f64> = None;
    let mut resends = 0;
    loop {
        let attempt_started = now() + super::client::clock_offset_for(inner);
        let since = unknown_since.unwrap_or(attempt_started);
        match inner.call("ResetInstance", body, opts, watch).await {
            Ok(resp) => return Ok(get(&resp, "RequestId").as_string().unwrap_or_default()),
            // After a lost answer, "busy" may be our own first attempt at work.
            Err(e) if e.unknown_fate || (unknown_since.is_some() && e.error.kind == Kind::Busy) => {
                let lost = e;
                unknown_since = Some(since);
                // A timed-out request may still be held by the service: watch long enough for it to land.
                let patience = if lost.error.kind == Kind::Timeout {
                    (2.0 * opts.timeout_ms.or(inner.timeout_ms()).unwrap_or(0.0)).max(5_000.0)
                } else {
                    0.0
                };
                match reconcile(inner, id, since, patience, opts, watch).await? {
                    Some(request_id) => return Ok(request_id),
                    None if resends + 1 < policy.max_attempts && lost.error.kind != Kind::Busy => {
                        resends += 1;
                        let ms = full_jitter_ms(resends, policy.base_ms, policy.cap_ms, random_unit());
                        if watch.sleep(ms).await.is_err() {
                            return Err(aborted(watch));
                        }
                    }
                    None => return Err(lost),
                }
            }
            Err(e) => return Err(e),
        }
    }
}

/// Whether a reset of `id` started at or after `since` (server clock): its RequestId, or `None`
/// when resending is safe. Undetermined answers are asked again a few times, then count as unsafe.
/// `patience_ms`: how long a "not happened" is watched before it is believed, for an attempt that
/// timed out and may still be held by the service (a resend then would reset twice).
async fn reconcile(
    inner: &Inner,
    id: &str,
    since: f64,
    patience_ms: f64,
    opts: &CallOptions,
    watch: &Watch,
) -> Result<Option<String>, CallError> {
    let ids = [id.to_owned()];
    let started = now();
    let mut undetermined = 0;
    let mut attempt = 0;
    loop {
        let seen = describe(inner, &ids, opts, watch).await?;
        let verdict = find(seen, id).map(|s| (reconcile_reset(&s.snapshot(), since, SKEW_ALLOWANCE_MS), s));
        match verdict {
            Some((Reconciled::Happened, s)) => return Ok(s.op_request_id.clone().or(Some(String::new()))),
            Some((Reconciled::NotHappened, _)) if now() - started >= patience_ms => return Ok(None),
            Some((Reconciled::NotHappened, _)) => {}
            Some((Reconciled::Undetermined, _)) | None => {
                undetermined += 1;
                if undetermined > MISSING_TOLERANCE {
                    return Err(CallError::from(
                        Error::new(
                            crate::error::NETWORK,
                            "The reset's answer was lost and DescribeInstances could not tell whether it took effect.",
                        )
                        .with_action("ResetInstance"),
                    ));
                }
            }
        }
        let pause = full_jitter_ms(attempt, 500.0, 2_000.0, random_unit()).max(250.0);
        attempt += 1;
        if watch.sleep(pause).await.is_err() {
            return Err(aborted(watch));
        }
    }
}

fn response_with_id(request_id: &str) -> JsValue {
    let o = Object::new();
    set(&o, "RequestId", &request_id.into());
    o.into()
}

/// `waitUntilInstanceReset`'s input.
fn wait_input(v: &JsValue) -> Result<(String, Option<String>), Error> {
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
fn checked_wait_options(v: &JsValue, label: &str, keys: &[&[&str]]) -> Result<WaitOptions, Error> {
    read::only_known(v, label, keys)?;
    wait_options(v, label)
}

fn start_wait(inner: Rc<Inner>, input: &JsValue, options: &JsValue, label: &str, keys: &[&[&str]]) -> Promise {
    let parsed = wait_input(input).and_then(|i| checked_wait_options(options, label, keys).map(|o| (i, o)));
    let ((id, rid), opts) = match parsed {
        Ok(p) => p,
        Err(e) => return rejected(e),
    };
    promise(async move {
        let watch = Watch::new(opts.call.signal.clone());
        wait_reset(&inner, &id, rid, &opts, &watch, &PollClock::new()).await.map_err(WaitError::into_js)
    })
}

async fn reset_and_wait(
    inner: &Inner,
    id: &str,
    body: &str,
    opts: &WaitOptions,
    watch: &Watch,
) -> Result<(String, JsValue), WaitError> {
    let clock = PollClock::new();
    loop {
        if opts.wait_for_idle {
            poll_one(inner, id, opts, watch, &clock, &idle_judge).await?;
        }
        match reset_once(inner, id, body, &opts.call, watch).await {
            Ok(rid) => {
                let instance = wait_reset(inner, id, Some(rid.clone()), opts, watch, &clock).await?;
                return Ok((rid, instance));
            }
            Err(e)
                if e.error.kind == Kind::Busy
                    && opts.wait_for_idle
                    && now() - clock.started < opts.schedule.max_wait_ms => {}
            Err(e) => return Err(e.into()),
        }
    }
}

#[wasm_bindgen]
impl LighthouseClient {
    /// Resolves with the instance once its latest operation is this ResetInstance (by RequestId when
    /// given) in SUCCESS; rejects with `WaiterError.OperationFailed`, `WaiterError.Timeout`,
    /// `ClientError.Aborted` or the API's error. Never resolves on failure.
    #[wasm_bindgen(js_name = waitUntilInstanceReset, unchecked_return_type = "Promise<Instance>")]
    pub fn wait_until_instance_reset(
        &self,
        #[wasm_bindgen(unchecked_param_type = "WaitInput")] input: JsValue,
        #[wasm_bindgen(unchecked_param_type = "WaiterOptions")] options: Option<JsValue>,
    ) -> Promise {
        let options = options.unwrap_or(JsValue::UNDEFINED);
        start_wait(self.inner.clone(), &input, &options, "options", &[read::WAITER_KEYS])
    }

    /// Resets (exactly once, reconciling a lost answer) and waits for the reset to finish. With
    /// `waitForIdle`, first waits for an operation in progress to end.
    #[wasm_bindgen(js_name = resetInstanceAndWait, unchecked_return_type = "Promise<Instance>")]
    pub fn reset_instance_and_wait(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ResetInstanceRequest")] input: JsValue,
        #[wasm_bindgen(unchecked_param_type = "WaiterOptions & { waitForIdle?: boolean }")] options: Option<JsValue>,
    ) -> Promise {
        let options = options.unwrap_or(JsValue::UNDEFINED);
        start_reset_and_wait(self.inner.clone(), &input, &options, "options", &[read::WAITER_KEYS, read::IDLE_KEYS])
    }

    /// Resets many instances: every item settles (one bad item rejects nothing), results in input
    /// order; with `wait` (default true) the waits share one poller asking for up to 100 instances
    /// a call.
    #[wasm_bindgen(js_name = resetInstances, unchecked_return_type = "Promise<ResetInstancesResult[]>")]
    pub fn reset_instances(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ResetInstanceRequest[]")] inputs: JsValue,
        #[wasm_bindgen(unchecked_param_type = "ResetInstancesOptions")] options: Option<JsValue>,
    ) -> Promise {
        let options = options.unwrap_or(JsValue::UNDEFINED);
        start_fleet(self.inner.clone(), &inputs, &options, "options", &[read::WAITER_KEYS, read::FLEET_KEYS])
    }
}

fn start_reset_and_wait(
    inner: Rc<Inner>,
    input: &JsValue,
    options: &JsValue,
    label: &str,
    keys: &[&[&str]],
) -> Promise {
    let parsed = reset_instance_body(input).and_then(|b| checked_wait_options(options, label, keys).map(|o| (b, o)));
    let ((id, body), opts) = match parsed {
        Ok(p) => p,
        Err(e) => return rejected(e.with_action("ResetInstance")),
    };
    promise(async move {
        let watch = Watch::new(opts.call.signal.clone());
        reset_and_wait(&inner, &id, &body, &opts, &watch).await.map(|(_, i)| i).map_err(WaitError::into_js)
    })
}

fn start_fleet(inner: Rc<Inner>, inputs: &JsValue, options: &JsValue, label: &str, keys: &[&[&str]]) -> Promise {
    let items = match read::is_array(inputs, "inputs") {
        Ok(true) => read::array_items(inputs, "inputs", 100_000),
        Ok(false) => Err(Error::invalid_argument("`inputs` must be an array of ResetInstance requests.")),
        Err(e) => Err(e),
    };
    let parsed = items.and_then(|i| FleetOptions::read(options, label, keys).map(|f| (i, f)));
    match parsed {
        Ok((items, fleet)) => promise(async move { Ok(run_fleet(inner, items, fleet).await) }),
        Err(e) => rejected(e),
    }
}

/// A one-off client from a module function's `config`, after refusing keys outside `keys`.
fn one_off(config: &JsValue, keys: &[&[&str]]) -> Result<Rc<Inner>, Error> {
    read::only_known(config, "config", keys)?;
    Inner::from_config(config).map(Rc::new)
}

/// Waits for a reset with a one-off client; `config` carries the waiter options too.
#[wasm_bindgen(js_name = waitUntilInstanceReset, unchecked_return_type = "Promise<Instance>")]
pub fn wait_until_instance_reset(
    #[wasm_bindgen(unchecked_param_type = "WaitInput")] input: JsValue,
    #[wasm_bindgen(unchecked_param_type = "ClientConfig & WaiterOptions")] config: JsValue,
) -> Promise {
    let keys: &[&[&str]] = &[read::CLIENT_KEYS, read::WAITER_KEYS];
    match one_off(&config, keys) {
        Ok(inner) => start_wait(inner, &input, &config, "config", keys),
        Err(e) => rejected(e),
    }
}

/// Resets and waits with a one-off client; `config` carries the waiter options and `waitForIdle` too.
///
/// @example
/// const instance = await resetInstanceAndWait({ InstanceId: 'lhins-ruy9d2tw' }, { credentials, region: 'ap-guangzhou', waitForIdle: true });
#[wasm_bindgen(js_name = resetInstanceAndWait, unchecked_return_type = "Promise<Instance>")]
pub fn reset_instance_and_wait(
    #[wasm_bindgen(unchecked_param_type = "ResetInstanceRequest")] input: JsValue,
    #[wasm_bindgen(unchecked_param_type = "ClientConfig & WaiterOptions & { waitForIdle?: boolean }")] config: JsValue,
) -> Promise {
    let keys: &[&[&str]] = &[read::CLIENT_KEYS, read::WAITER_KEYS, read::IDLE_KEYS];
    match one_off(&config, keys) {
        Ok(inner) => start_reset_and_wait(inner, &input, &config, "config", keys),
        Err(e) => rejected(e.with_action("ResetInstance")),
    }
}

/// Resets many instances with a one-off client; `config` carries `ResetInstancesOptions` too.
///
/// @example
/// const results = await resetInstances(ids.map((InstanceId) => ({ InstanceId })), { credentials, concurrency: 10 });
#[wasm_bindgen(js_name = resetInstances, unchecked_return_type = "Promise<ResetInstancesResult[]>")]
pub fn reset_instances(
    #[wasm_bindgen(unchecked_param_type = "ResetInstanceRequest[]")] inputs: JsValue,
    #[wasm_bindgen(unchecked_param_type = "ClientConfig & ResetInstancesOptions")] config: JsValue,
) -> Promise {
    let keys: &[&[&str]] = &[read::CLIENT_KEYS, read::WAITER_KEYS, read::FLEET_KEYS];
    match one_off(&config, keys) {
        Ok(inner) => start_fleet(inner, &inputs, &config, "config", keys),
        Err(e) => rejected(e),
    }
}

/// Sets the realm-wide client-side rate limit: `requestsPerSecond` for `action` (every action when
/// omitted); `false` or 0 turns it off. Default: 10 requests/second per SecretId and action.
#[wasm_bindgen(js_name = setRateLimit)]
pub fn set_rate_limit(
    #[wasm_bindgen(unchecked_param_type = "number | false")] requests_per_second: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] action: Option<JsValue>,
) -> Result<(), JsValue> {
    let action = action.unwrap_or(JsValue::UNDEFINED);
    let rate = if requests_per_second.as_bool() == Some(false) {
        0.0
    } else {
        match requests_per_second.as_f64() {
            Some(r) if r.is_finite() && r >= 0.0 => r,
            _ => {
                return Err(super::error::to_js(Error::invalid_argument(
                    "`requestsPerSecond` must be a non-negative number, or false to turn the limiter off.",
                )))
            }
        }
    };
    let action = if read::absent(&action) {
        None
    } else {
        match super::client::check_action(&action) {
            Ok(a) => Some(a),
            Err(_) => {
                return Err(super::error::to_js(Error::invalid_argument(
                    "`action` must be an API action name such as \"ResetInstance\", or omitted for every action.",
                )))
            }
        }
    };
    LIMITERS.with(|l| match &action {
        Some(a) => l.borrow_mut().set_action_rate(a, rate, crate::rate_limit::DEFAULT_BURST),
        None => l.borrow_mut().set_rate(rate, crate::rate_limit::DEFAULT_BURST),
    });
    Ok(())
}

/// `resetInstances`' options.
struct FleetOptions {
    wait: WaitOptions,
    do_wait: bool,
    concurrency: usize,
}

impl FleetOptions {
    fn read(v: &JsValue, label: &str, keys: &[&[&str]]) -> Result<FleetOptions, Error> {
        let wait = checked_wait_options(v, label, keys)?;
        let (do_wait, concurrency) = if read::absent(v) {
            (true, 10)
        } else {
            let o = read::object(v, label)?;
            if !read::absent(&read::get(&o, "journal", label)?) {
                // Ignoring it would break its promise (a re-run never resets twice): refused instead.
                return Err(Error::invalid_argument(
                    ["`", &read::path(label, "journal"), "` is not supported by this version yet: leave it out."]
                        .concat(),
                ));
            }
            let c = match read::opt_number(&o, "concurrency", label)? {
                None => 10.0,
                Some(c) if (1.0..=1000.0).contains(&c) && c.fract() == 0.0 => c,
                Some(_) => {
                    return Err(Error::invalid_argument(
                        ["`", &read::path(label, "concurrency"), "` must be an integer from 1 to 1000."].concat(),
                    ))
                }
            };
            (read::opt_bool(&o, "wait", label)?.unwrap_or(true), c as usize)
        };
        Ok(FleetOptions { wait, do_wait, concurrency })
    }
}

/// One fleet item's progress.
enum ItemState {
    Invalid(JsValue),
    Queued(String, String),
    Resetting,
    Waiting { id: String, request_id: String, since: f64, missing: u32, polls: u32, last: Option<JsValue> },
    Done(Result<(String, JsValue), (Option<String>, JsValue)>),
}

struct Fleet {
    items: RefCell<Vec<ItemState>>,
    next: Cell<usize>,
    resetting: Cell<usize>,
}

fn result_object(
    input_id: &str,
    ok: bool,
    rid: Option<&str>,
    instance: Option<&JsValue>,
    error: Option<&JsValue>,
) -> JsValue {
    let o = Object::new();
    set(&o, "InstanceId", &input_id.into());
    set(&o, "ok", &ok.into());
    if let Some(r) = rid {
        set(&o, "RequestId", &r.into());
    }
    if let Some(i) = instance {
        set(&o, "instance", i);
    }
    if let Some(e) = error {
        set(&o, "error", e);
    }
    o.into()
}

async fn run_fleet(inner: Rc<Inner>, inputs: Vec<JsValue>, opts: FleetOptions) -> JsValue {
    let items: Vec<ItemState> = inputs
        .iter()
        .map(|v| match reset_instance_body(v) {
            Ok((id, body)) => ItemState::Queued(id, body),
            Err(e) => ItemState::Invalid(super::error::to_js(e.with_action("ResetInstance"))),
        })
        .collect();
    let ids: Vec<String> = inputs
        .iter()
        .map(|v| {
            // An item whose getter threw was refused above; its id reads as "".
            if v.is_object() {
                get(v, "InstanceId").as_string().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .collect();
    let fleet = Rc::new(Fleet { items: RefCell::new(items), next: Cell::new(0), resetting: Cell::new(0) });
    let opts = Rc::new(opts);
    let group = Rc::new(Watch::new(opts.wait.call.signal.clone()));
    let tasks = Array::new();
    for _ in 0..opts.concurrency.min(inputs.len().max(1)) {
        let (inner, fleet, opts, watch) = (inner.clone(), fleet.clone(), opts.clone(), group.child());
        tasks.push(&promise(async move {
            reset_worker(&inner, &fleet, &opts, &watch).await;
            Ok(JsValue::UNDEFINED)
        }));
    }
    if opts.do_wait {
        let (inner, fleet, opts, watch) = (inner.clone(), fleet.clone(), opts.clone(), group.child());
        tasks.push(&promise(async move {
            fleet_poller(&inner, &fleet, &opts, &watch).await;
            Ok(JsValue::UNDEFINED)
        }));
    }
    let _ = JsFuture::from(Promise::all(&tasks)).await;
    let out = Array::new();
    for (i, state) in fleet.items.borrow().iter().enumerate() {
        let input_id = ids.get(i).map_or("", String::as_str);
        let r = match state {
            ItemState::Invalid(e) => result_object(input_id, false, None, None, Some(e)),
            ItemState::Done(Ok((rid, instance))) => {
                result_object(input_id, true, Some(rid), (!instance.is_undefined()).then_some(instance), None)
            }
            ItemState::Done(Err((rid, e))) => result_object(input_id, false, rid.as_deref(), None, Some(e)),
            // Accepted while the fleet was being aborted: the reset took effect, the wait did not.
            ItemState::Waiting { request_id, .. } => {
                result_object(input_id, false, Some(request_id), None, Some(&aborted(&group).into_js()))
            }
            ItemState::Queued(..) | ItemState::Resetting => {
                result_object(input_id, false, None, None, Some(&aborted(&group).into_js()))
            }
        };
        out.push(&r);
    }
    out.into()
}

async fn reset_worker(inner: &Inner, fleet: &Fleet, opts: &FleetOptions, watch: &Watch) {
    loop {
        let index = fleet.next.get();
        let Some((id, body)) = ({
            let mut items = fleet.items.borrow_mut();
            let Some(slot) = items.get_mut(index) else { return };
            fleet.next.set(index + 1);
            match std::mem::replace(slot, ItemState::Resetting) {
                ItemState::Queued(id, body) => Some((id, body)),
                other => {
                    *slot = other;
                    None
                }
            }
        }) else {
            continue;
        };
        fleet.resetting.set(fleet.resetting.get() + 1);
        let result = reset_once(inner, &id, &body, &opts.wait.call, watch).await;
        fleet.resetting.set(fleet.resetting.get() - 1);
        let next = match result {
            Ok(rid) if opts.do_wait => {
                ItemState::Waiting { id, request_id: rid, since: now(), missing: 0, polls: 0, last: None }
            }
            Ok(rid) => ItemState::Done(Ok((rid, JsValue::UNDEFINED))),
            Err(e) => ItemState::Done(Err((None, e.into_js()))),
        };
        if let Some(slot) = fleet.items.borrow_mut().get_mut(index) {
            *slot = next;
        }
    }
}

/// Whether any item still has to be reset.
fn resets_pending(fleet: &Fleet) -> bool {
    fleet.resetting.get() > 0 || fleet.items.borrow().iter().any(|s| matches!(s, ItemState::Queued(..)))
}

async fn fleet_poller(inner: &Inner, fleet: &Fleet, opts: &FleetOptions, watch: &Watch) {
    let schedule = opts.wait.schedule;
    let mut attempt: u32 = 0;
    let mut seen_waiting = 0;
    loop {
        let waiting: Vec<String> = fleet
            .items
            .borrow()
            .iter()
            .filter_map(|s| match s {
                ItemState::Waiting { id, .. } => Some(id.clone()),
                _ => None,
            })
            .collect();
        if waiting.is_empty() && !resets_pending(fleet) {
            return;
        }
        if watch.aborted() {
            settle_all_waiting(fleet, |_, _| aborted(watch).into_js());
            return;
        }
        if waiting.is_empty() {
            // Nothing accepted yet: look again soon, without growing the backoff.
            let _ = watch.sleep(schedule.min_delay_ms.max(50.0)).await;
            continue;
        }
        // Newly accepted resets start the backoff over, so the last of a fleet is not polled late.
        if waiting.len() > seen_waiting {
            attempt = 0;
        }
        seen_waiting = waiting.len();
        for batch in batches(&waiting, DESCRIBE_MAX_IDS) {
            match describe(inner, batch, &opts.wait.call, watch).await {
                Ok(seen) => judge_batch(fleet, batch, seen, opts),
                Err(e) if passing(&e) => {}
                Err(e) => {
                    let err = e.into_js();
                    fail_batch(fleet, batch, &err);
                }
            }
        }
        // Deadlines are per item, from the moment its reset was accepted.
        let t = now();
        settle_all_waiting_if(
            fleet,
            |since| t - since >= schedule.max_wait_ms,
            |last, since| {
                waiter_error(
                    Error::new(WAITER_TIMEOUT, "The reset did not finish within maxWaitSeconds."),
                    last,
                    t - since,
                    attempt + 1,
                )
            },
        );
        // The last answer may have settled everything: resolve now, not one poll interval later.
        let still_waiting = fleet.items.borrow().iter().any(|s| matches!(s, ItemState::Waiting { .. }));
        if !still_waiting && !resets_pending(fleet) {
            return;
        }
        let delay = schedule.next_delay_ms(attempt, 0.0, random_unit()).unwrap_or(schedule.min_delay_ms);
        attempt = attempt.saturating_add(1);
        if watch.sleep(delay.max(1.0)).await.is_err() {
            settle_all_waiting(fleet, |_, _| aborted(watch).into_js());
            return;
        }
    }
}

/// Applies one DescribeInstances answer to the items of `batch`.
fn judge_batch(fleet: &Fleet, batch: &[String], seen: Vec<Seen>, opts: &FleetOptions) {
    let mut seen = seen;
    let mut items = fleet.items.borrow_mut();
    for state in items.iter_mut() {
        let ItemState::Waiting { id, request_id, since, missing, polls, last } = state else { continue };
        if !batch.contains(id) {
            continue;
        }
        let pos = seen.iter().position(|s| get(&s.instance, "InstanceId").as_string().as_deref() == Some(id.as_str()));
        let Some(s) = pos.map(|p| seen.swap_remove(p)) else {
            *missing += 1;
            if *missing > MISSING_TOLERANCE {
                let e = CallError::from(
                    Error::new(INSTANCE_NOT_FOUND, "The instance is not in DescribeInstances.")
                        .with_action("DescribeInstances"),
                );
                *state = ItemState::Done(Err((Some(request_id.clone()), e.into_js())));
            }
            continue;
        };
        *missing = 0;
        let elapsed = now() - *since;
        // Each item counts its own polls: the shared poller's backoff restarts as resets join.
        let attempt = *polls;
        *polls += 1;
        progress(&opts.wait.on_progress, id, &s, attempt, elapsed);
        match reset_judge(Some(request_id.clone()))(&s) {
            Some(Ok(())) => *state = ItemState::Done(Ok((request_id.clone(), s.instance))),
            Some(Err(e)) => {
                let err = waiter_error(e, Some(&s.instance), elapsed, attempt + 1);
                *state = ItemState::Done(Err((Some(request_id.clone()), err)));
            }
            None => *last = Some(s.instance),
        }
    }
}

/// Ends the waits of `batch` with `err` (a poll failed in a way no retry fixes).
fn fail_batch(fleet: &Fleet, batch: &[String], err: &JsValue) {
    for state in fleet.items.borrow_mut().iter_mut() {
        if let ItemState::Waiting { id, request_id, .. } = state {
            if batch.contains(id) {
                *state = ItemState::Done(Err((Some(request_id.clone()), err.clone())));
            }
        }
    }
}

fn settle_all_waiting(fleet: &Fleet, err: impl Fn(Option<&JsValue>, f64) -> JsValue) {
    settle_all_waiting_if(fleet, |_| true, err);
}

fn settle_all_waiting_if(fleet: &Fleet, cond: impl Fn(f64) -> bool, err: impl Fn(Option<&JsValue>, f64) -> JsValue) {
    for state in fleet.items.borrow_mut().iter_mut() {
        if let ItemState::Waiting { request_id, since, last, .. } = state {
            if cond(*since) {
                let e = err(last.as_ref(), *since);
                *state = ItemState::Done(Err((Some(request_id.clone()), e)));
            }
        }
    }
}

/// The proxy's ResetInstance: exactly once in effect, answering the API's `Response` object.
pub async fn reset_once_for_proxy(
    inner: &Inner,
    id: &str,
    body: &str,
    opts: &CallOptions,
    watch: &Watch,
) -> Result<JsValue, CallError> {
    reset_once(inner, id, body, opts, watch).await.map(|rid| response_with_id(&rid))
}

/// `resetInstance` itself: exactly once in effect, as a Promise of `{ RequestId }`.
pub fn spawn_reset(inner: Rc<Inner>, id: String, body: String, opts: CallOptions) -> Promise {
    promise(async move {
        let watch = Watch::new(opts.signal.clone());
        reset_once(&inner, &id, &body, &opts, &watch)
            .await
            .map(|rid| response_with_id(&rid))
            .map_err(CallError::into_js)
    })
}
