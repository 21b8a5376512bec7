//! The Lighthouse actions: `LighthouseClient`, `resetInstance`, and the checks of their inputs
//! (types of every field, ID formats with the service's own codes) before any request.

use super::client::{body_of, call_options, check_action, rejected, spawn, CallOptions, Inner};
use super::read;
use crate::error::Error;
use crate::validate::{check_blueprint_id, check_instance_id};
use js_sys::{Object, Promise};
use std::rc::Rc;
use wasm_bindgen::prelude::*;

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

/// A client for the Lighthouse API: signs with its credentials, sends over fetch, retries what is
/// safe to retry, and rejects with `TencentCloudError`.
///
/// @example
/// const client = new LighthouseClient({ region: 'ap-guangzhou' });   // credentials from TENCENTCLOUD_* in Node
/// const { RequestId } = await client.resetInstance({ InstanceId: 'lhins-ruy9d2tw' });
#[wasm_bindgen]
pub struct LighthouseClient {
    pub(crate) inner: Rc<Inner>,
}

impl std::fmt::Debug for LighthouseClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_string_js())
    }
}

/// A method's `CallOptions`: known keys only.
fn method_options(options: &JsValue) -> Result<CallOptions, Error> {
    read::only_known(options, "options", &[read::CALL_KEYS])?;
    call_options(options, "options")
}

impl LighthouseClient {
    fn run(&self, action: &str, body: Result<String, Error>, options: &JsValue) -> Promise {
        let prepared = body.and_then(|b| method_options(options).map(|o| (b, o)));
        match prepared {
            Ok((body, opts)) => spawn(self.inner.clone(), action.to_owned(), body, opts),
            Err(e) => rejected(e.with_action(action)),
        }
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
        let inner = Inner::from_config(&config).map_err(super::error::to_js)?;
        Ok(LighthouseClient { inner: Rc::new(inner) })
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
            Ok(((id, body), opts)) => super::waiter::spawn_reset(self.inner.clone(), id, body, opts),
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
        self.run("DescribeInstances", describe_instances_body(&input), &options)
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
        self.run("DescribeBlueprints", describe_blueprints_body(&input), &options)
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
            Ok(a) => self.run(&a, body_of(&params, "params"), &options),
            Err(e) => rejected(e),
        }
    }

    /// A printable form without secrets.
    #[wasm_bindgen(js_name = toString)]
    pub fn to_string_js(&self) -> String {
        ["LighthouseClient { endpoint: ", self.inner.endpoint.url(), " }"].concat()
    }

    /// What `JSON.stringify` shows: the endpoint, never credentials.
    #[wasm_bindgen(js_name = toJSON, unchecked_return_type = "{ endpoint: string }")]
    pub fn to_json(&self) -> JsValue {
        let o = Object::new();
        let _ = js_sys::Reflect::set(&o, &"endpoint".into(), &self.inner.endpoint.url().into());
        o.into()
    }
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
    let client = match read::only_known(&config, "config", &[read::CLIENT_KEYS, read::CALL_KEYS])
        .and_then(|()| Inner::from_config(&config))
    {
        Ok(i) => LighthouseClient { inner: Rc::new(i) },
        Err(e) => return rejected(e.with_action("ResetInstance")),
    };
    let opts: Result<CallOptions, Error> = call_options(&config, "config");
    match (reset_instance_body(&input), opts) {
        (Ok((id, body)), Ok(o)) => super::waiter::spawn_reset(client.inner.clone(), id, body, o),
        (Err(e), _) | (_, Err(e)) => rejected(e.with_action("ResetInstance")),
    }
}
