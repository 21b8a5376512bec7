//! The one-off module functions (`resetInstance`, `waitUntilInstanceReset`,
//! `resetInstanceAndWait`, `resetInstances`: a client from `config`, which carries the options
//! too) and `setRateLimit`.

use super::config::{call_options, check_action, Config};
use super::drive::with_realm;
use super::inputs::reset_instance_body;
use super::jobs::{self, rejected};
use super::read;
use crate::error::Error;
use js_sys::Promise;
use std::rc::Rc;
use tc3_lighthouse_core::machine::CallOptions;
use wasm_bindgen::prelude::*;
use web_sys::AbortSignal;

/// A one-off client from a module function's `config`, after refusing keys outside `keys`.
fn one_off(config: &JsValue, keys: &[&[&str]]) -> Result<Rc<Config>, Error> {
    read::only_known(config, "config", keys)?;
    Config::from_config(config).map(Rc::new)
}

/// Waits for a reset with a one-off client; `config` carries the waiter options too.
#[wasm_bindgen(js_name = waitUntilInstanceReset, unchecked_return_type = "Promise<Instance>")]
pub fn wait_until_instance_reset(
    #[wasm_bindgen(unchecked_param_type = "WaitInput")] input: JsValue,
    #[wasm_bindgen(unchecked_param_type = "ClientConfig & WaiterOptions")] config: JsValue,
) -> Promise {
    let keys: &[&[&str]] = &[read::CLIENT_KEYS, read::WAITER_KEYS];
    match one_off(&config, keys) {
        Ok(c) => jobs::wait(&c, &input, &config, "config", keys),
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
        Ok(c) => jobs::reset_and_wait(&c, &input, &config, "config", keys),
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
        Ok(c) => jobs::fleet(&c, &inputs, &config, "config", keys),
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
        match check_action(&action) {
            Ok(a) => Some(a),
            Err(_) => {
                return Err(super::error::to_js(Error::invalid_argument(
                    "`action` must be an API action name such as \"ResetInstance\", or omitted for every action.",
                )))
            }
        }
    };
    with_realm(|r| match &action {
        Some(a) => r.limiters.set_action_rate(a, rate, crate::rate_limit::DEFAULT_BURST),
        None => r.limiters.set_rate(rate, crate::rate_limit::DEFAULT_BURST),
    });
    Ok(())
}

/// Reinstalls an instance's image with a one-off client; `config` carries `signal`/`timeoutMs` too.
///
/// @example
/// await resetInstance({ InstanceId: 'lhins-ruy9d2tw', BlueprintId: 'lhbp-5e8807lo' }, { credentials, region: 'ap-guangzhou' });
#[wasm_bindgen(js_name = resetInstance, unchecked_return_type = "Promise<ResetInstanceResponse>")]
pub fn reset_instance(
    #[wasm_bindgen(unchecked_param_type = "ResetInstanceRequest")] input: JsValue,
    #[wasm_bindgen(unchecked_param_type = "ClientConfig & CallOptions")] config: JsValue,
) -> Promise {
    let client = match one_off(&config, &[read::CLIENT_KEYS, read::CALL_KEYS]) {
        Ok(c) => c,
        Err(e) => return rejected(e.with_action("ResetInstance")),
    };
    let opts: Result<(CallOptions, Option<AbortSignal>), Error> = call_options(&config, "config");
    match (reset_instance_body(&input), opts) {
        (Ok((id, body)), Ok(o)) => jobs::reset(&client, id, body, o),
        (Err(e), _) | (_, Err(e)) => rejected(e.with_action("ResetInstance")),
    }
}
