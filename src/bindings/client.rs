//! `LighthouseClient`: the exported class, one method per job (see `jobs.rs`).

use super::config::{body_of, call_options, check_action, Config};
use super::inputs::{
    describe_blueprints_body, describe_instances_body, describe_reset_instance_blueprints_body, reset_instance_body,
};
use super::jobs::{self, rejected};
use super::read;
use crate::error::Error;
use js_sys::{Object, Promise};
use std::rc::Rc;
use tc3_lighthouse_core::machine::CallOptions;
use wasm_bindgen::prelude::*;
use web_sys::AbortSignal;

/// A client for the Lighthouse API: signs with its credentials, sends over fetch, retries what is
/// safe to retry, and rejects with `TencentCloudError`.
///
/// @example
/// const client = new LighthouseClient({ region: 'ap-guangzhou' });   // credentials from TENCENTCLOUD_* in Node
/// const { RequestId } = await client.resetInstance({ InstanceId: 'lhins-ruy9d2tw' });
#[wasm_bindgen]
pub struct LighthouseClient {
    config: Rc<Config>,
}

impl std::fmt::Debug for LighthouseClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_string_js())
    }
}

/// A method's `CallOptions`: known keys only.
fn method_options(options: &JsValue) -> Result<(CallOptions, Option<AbortSignal>), Error> {
    read::only_known(options, "options", &[read::CALL_KEYS])?;
    call_options(options, "options")
}

/// A method's call of `action`: its body, then its options, checked.
fn run(config: &Rc<Config>, action: &str, body: Result<String, Error>, options: &JsValue) -> Promise {
    match body.and_then(|b| method_options(options).map(|o| (b, o))) {
        Ok((body, opts)) => jobs::call(config, action, body, opts),
        Err(e) => rejected(e.with_action(action)),
    }
}

#[wasm_bindgen]
impl LighthouseClient {
    /// Creates a client; throws `ClientError.InvalidArgument` naming a bad config field.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "ClientConfig")] config: Option<JsValue>,
    ) -> Result<LighthouseClient, JsValue> {
        let config = config.unwrap_or(JsValue::UNDEFINED);
        read::only_known(&config, "config", &[read::CLIENT_KEYS]).map_err(super::error::to_js)?;
        let inner = Config::from_config(&config).map_err(super::error::to_js)?;
        Ok(LighthouseClient { config: Rc::new(inner) })
    }

    /// Reinstalls an instance's image (asynchronous on the service's side: see `waitUntilInstanceReset`).
    #[wasm_bindgen(js_name = resetInstance, unchecked_return_type = "Promise<ResetInstanceResponse>")]
    pub fn reset_instance(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ResetInstanceRequest")] input: JsValue,
        #[wasm_bindgen(unchecked_param_type = "CallOptions")] options: Option<JsValue>,
    ) -> Promise {
        let options = options.unwrap_or(JsValue::UNDEFINED);
        let parsed = reset_instance_body(&input).and_then(|ib| method_options(&options).map(|o| (ib, o)));
        match parsed {
            Ok(((id, body), opts)) => jobs::reset(&self.config, id, body, opts),
            Err(e) => rejected(e.with_action("ResetInstance")),
        }
    }

    /// Lists instances.
    #[wasm_bindgen(js_name = describeInstances, unchecked_return_type = "Promise<DescribeInstancesResponse>")]
    pub fn describe_instances(
        &self,
        #[wasm_bindgen(unchecked_param_type = "DescribeInstancesRequest")] input: Option<JsValue>,
        #[wasm_bindgen(unchecked_param_type = "CallOptions")] options: Option<JsValue>,
    ) -> Promise {
        let input = input.unwrap_or(JsValue::UNDEFINED);
        let options = options.unwrap_or(JsValue::UNDEFINED);
        run(&self.config, "DescribeInstances", describe_instances_body(&input), &options)
    }

    /// Lists images (blueprints).
    #[wasm_bindgen(js_name = describeBlueprints, unchecked_return_type = "Promise<DescribeBlueprintsResponse>")]
    pub fn describe_blueprints(
        &self,
        #[wasm_bindgen(unchecked_param_type = "DescribeBlueprintsRequest")] input: Option<JsValue>,
        #[wasm_bindgen(unchecked_param_type = "CallOptions")] options: Option<JsValue>,
    ) -> Promise {
        let input = input.unwrap_or(JsValue::UNDEFINED);
        let options = options.unwrap_or(JsValue::UNDEFINED);
        run(&self.config, "DescribeBlueprints", describe_blueprints_body(&input), &options)
    }

    /// Lists the images this instance can be reset to, each with `IsResettable` and, when not, the
    /// service's `NonResettableMessage`.
    #[wasm_bindgen(
        js_name = describeResetInstanceBlueprints,
        unchecked_return_type = "Promise<DescribeResetInstanceBlueprintsResponse>"
    )]
    pub fn describe_reset_instance_blueprints(
        &self,
        #[wasm_bindgen(unchecked_param_type = "DescribeResetInstanceBlueprintsRequest")] input: JsValue,
        #[wasm_bindgen(unchecked_param_type = "CallOptions")] options: Option<JsValue>,
    ) -> Promise {
        let options = options.unwrap_or(JsValue::UNDEFINED);
        let body = describe_reset_instance_blueprints_body(&input);
        run(&self.config, "DescribeResetInstanceBlueprints", body, &options)
    }

    /// Calls any Lighthouse action with `params` as its JSON body.
    #[wasm_bindgen(unchecked_return_type = "Promise<Record<string, unknown>>")]
    pub fn request(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] action: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Record<string, unknown>")] params: Option<JsValue>,
        #[wasm_bindgen(unchecked_param_type = "CallOptions")] options: Option<JsValue>,
    ) -> Promise {
        let params = params.unwrap_or(JsValue::UNDEFINED);
        let options = options.unwrap_or(JsValue::UNDEFINED);
        match check_action(&action) {
            Ok(a) => run(&self.config, &a, body_of(&params, "params"), &options),
            Err(e) => rejected(e),
        }
    }

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
        jobs::wait(&self.config, &input, &options, "options", &[read::WAITER_KEYS])
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
        jobs::reset_and_wait(&self.config, &input, &options, "options", &[read::WAITER_KEYS, read::IDLE_KEYS])
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
        jobs::fleet(&self.config, &inputs, &options, "options", &[read::WAITER_KEYS, read::FLEET_KEYS])
    }

    /// A printable form without secrets.
    #[wasm_bindgen(js_name = toString)]
    pub fn to_string_js(&self) -> String {
        ["LighthouseClient { endpoint: ", self.config.client.endpoint.url(), " }"].concat()
    }

    /// What `JSON.stringify` shows: the endpoint, never credentials.
    #[wasm_bindgen(js_name = toJSON, unchecked_return_type = "{ endpoint: string }")]
    pub fn to_json(&self) -> JsValue {
        let o = Object::new();
        let _ = js_sys::Reflect::set(&o, &"endpoint".into(), &self.config.client.endpoint.url().into());
        o.into()
    }
}
