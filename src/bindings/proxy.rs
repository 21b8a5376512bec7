//! `createSigningProxy`: the backend half of a browser console. It takes the API's own request shape
//! unsigned, allows only listed actions, limits the body, signs with credentials the page never sees,
//! forwards through the same client (limiter, retries, exactly-once resets), and answers in the API's
//! own shape.

use super::config::{region_ok, Config};
use super::drive::{run, Env};
use super::read;
use crate::error::Error;
use js_sys::{Array, Function, Object, Promise, Reflect};
use std::rc::Rc;
use tc3_lighthouse_core::machine::{Call, CallOptions, Machine, Reset};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

const DEFAULT_ACTIONS: [&str; 4] =
    ["ResetInstance", "DescribeInstances", "DescribeBlueprints", "DescribeResetInstanceBlueprints"];
const DEFAULT_MAX_BODY: f64 = 65_536.0;

#[derive(Debug)]
struct Proxy {
    config: Rc<Config>,
    actions: Vec<String>,
    max_body: f64,
}

fn get(o: &JsValue, k: &str) -> JsValue {
    super::read::property(o, k)
}

fn header(request: &JsValue, name: &str) -> Option<String> {
    let h = get(request, "headers");
    let f: Function = get(&h, "get").dyn_into().ok()?;
    f.call1(&h, &JsValue::from_str(name)).ok()?.as_string()
}

fn random_request_id() -> String {
    let mut b = [0u8; 16];
    let _ = getrandom::fill(&mut b);
    crate::uuid::v4(b)
}

/// A `Response` with a JSON body.
fn respond(status: u16, body: &str) -> Result<JsValue, JsValue> {
    let ctor: Function = get(&js_sys::global(), "Response").dyn_into()?;
    let init = Object::new();
    let _ = Reflect::set(&init, &"status".into(), &JsValue::from(status));
    let headers = Object::new();
    let _ = Reflect::set(&headers, &"content-type".into(), &"application/json".into());
    let _ = Reflect::set(&headers, &"cache-control".into(), &"no-store".into());
    let _ = Reflect::set(&init, &"headers".into(), &headers);
    Reflect::construct(&ctor, &Array::of2(&JsValue::from_str(body), &init))
}

/// `{"Response":{"Error":{"Code","Message"},"RequestId"}}`, built with JSON.stringify so any text is escaped.
fn api_error(status: u16, code: &str, message: &str, request_id: Option<&str>) -> Result<JsValue, JsValue> {
    let err = Object::new();
    let _ = Reflect::set(&err, &"Code".into(), &code.into());
    let _ = Reflect::set(&err, &"Message".into(), &message.into());
    let resp = Object::new();
    let _ = Reflect::set(&resp, &"Error".into(), &err);
    let rid = request_id.map_or_else(random_request_id, str::to_owned);
    let _ = Reflect::set(&resp, &"RequestId".into(), &rid.into());
    let outer = Object::new();
    let _ = Reflect::set(&outer, &"Response".into(), &resp);
    let text = super::json::stringify(&outer.into()).unwrap_or_default();
    respond(status, &text)
}

impl Proxy {
    async fn handle(&self, request: JsValue) -> Result<JsValue, JsValue> {
        let method = get(&request, "method").as_string().unwrap_or_default();
        if method == "OPTIONS" {
            return respond(204, "");
        }
        if method != "POST" {
            return api_error(405, "UnsupportedOperation", "The signing proxy takes POST requests only.", None);
        }
        let Some(action) = header(&request, "x-tc-action").filter(|a| !a.is_empty()) else {
            return api_error(200, "MissingParameter", "The header X-TC-Action is missing.", None);
        };
        if !self.actions.contains(&action) {
            let msg = ["The signing proxy does not allow the action `", &action, "`."].concat();
            return api_error(200, "UnauthorizedOperation.ActionNotAllowed", &msg, None);
        }
        let too_large =
            || api_error(200, "RequestSizeLimitExceeded", "The request body is larger than the proxy allows.", None);
        if header(&request, "content-length")
            .and_then(|l| l.parse::<u64>().ok())
            .map(|l| l as f64)
            .is_some_and(|l| l > self.max_body)
        {
            return too_large();
        }
        let text_fn: Function = get(&request, "text").dyn_into()?;
        let body = JsFuture::from(Promise::resolve(&text_fn.call0(&request)?)).await?.as_string().unwrap_or_default();
        if body.len() as f64 > self.max_body {
            return too_large();
        }
        let body = if body.is_empty() { "{}".to_owned() } else { body };
        let parsed = super::json::parse(&body);
        // JSON.parse made it: a plain value, safe to ask.
        if !parsed.as_ref().is_some_and(|p| p.is_object() && !Array::is_array(p)) {
            return api_error(200, "InvalidParameter", "The request body must be a JSON object.", None);
        }
        let signal = get(&request, "signal").dyn_into().ok();
        // The page picks the region; the proxy's own is the default.
        let region = header(&request, "x-tc-region").filter(|r| !r.is_empty());
        if let Some(r) = &region {
            if region_ok(r, "X-TC-Region").is_err() {
                return api_error(200, "InvalidParameterValue", "The header X-TC-Region is not a region name.", None);
            }
        }
        let opts = CallOptions { region, ..CallOptions::default() };
        let id = parsed.as_ref().map(|p| get(p, "InstanceId")).and_then(|v| v.as_string()).unwrap_or_default();
        // The page's language (the user's) when it is one the API knows; the proxy's own otherwise. A copy of
        // the settings only: the clock offset and the limiter are the realm's, shared.
        let client = match header(&request, "x-tc-language").filter(|l| l == "zh-CN" || l == "en-US") {
            Some(l) => {
                Rc::new(tc3_lighthouse_core::machine::Client { language: Some(l), ..(*self.config.client).clone() })
            }
            None => self.config.client.clone(),
        };
        // A well-formed reset is sent exactly once in effect; anything else the service refuses itself.
        let m: Box<dyn Machine> = if action == "ResetInstance" && crate::validate::is_instance_id(&id) {
            Box::new(Reset::new(client, id, body, opts))
        } else {
            Box::new(Call::new(client, action, body, opts))
        };
        let env = Env { config: self.config.clone(), signal, on_progress: None, journal: None };
        match JsFuture::from(run(m, env)).await {
            Ok(output) => {
                let outer = Object::new();
                let _ = Reflect::set(&outer, &"Response".into(), &output);
                respond(200, &super::json::stringify(&outer.into()).unwrap_or_default())
            }
            // A TencentCloudError, as the driver rejects with. A credentials failure's message may be its
            // provider's (what it tried: file paths, role names): the page gets a fixed one.
            Err(e) => {
                let s = |k: &str| get(&e, k).as_string();
                let code = s("code").unwrap_or_default();
                let message = if code == crate::error::CREDENTIALS {
                    "The signing proxy could not get its credentials.".to_owned()
                } else {
                    s("message").unwrap_or_default()
                };
                api_error(200, &code, &message, s("requestId").as_deref())
            }
        }
    }
}

fn read_actions(o: &Object) -> Result<Vec<String>, Error> {
    let v = read::get(o, "allowActions", "config")?;
    if read::absent(&v) {
        return Ok(DEFAULT_ACTIONS.iter().map(|a| (*a).to_owned()).collect());
    }
    let bad = || Error::invalid_argument("`config.allowActions` must be an array of action names.");
    if !read::is_array(&v, "config.allowActions")? {
        return Err(bad());
    }
    read::array_items(&v, "config.allowActions", 1000)?
        .iter()
        .map(|a| {
            a.as_string().filter(|s| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric())).ok_or_else(bad)
        })
        .collect()
}

/// Creates a fetch-style handler `(request: Request) => Promise<Response>` that signs and forwards
/// the allowed actions with `config.credentials`. Node: wrap it with `toNodeListener`.
///
/// @example
/// const handler = createSigningProxy({ region: 'ap-guangzhou' });   // credentials from TENCENTCLOUD_* in Node
/// http.createServer(toNodeListener(handler)).listen(8080);
#[wasm_bindgen(js_name = createSigningProxy, unchecked_return_type = "(request: Request) => Promise<Response>")]
pub fn create_signing_proxy(
    #[wasm_bindgen(unchecked_param_type = "SigningProxyConfig")] config: JsValue,
) -> Result<JsValue, JsValue> {
    // No config: every default (in Node, credentials from TENCENTCLOUD_*), as the types allow.
    let config = if read::absent(&config) { js_sys::Object::new().into() } else { config };
    let build = || -> Result<Proxy, Error> {
        let o = read::object(&config, "config")?;
        read::only_known(&config, "config", &[read::CLIENT_KEYS, read::PROXY_KEYS])?;
        let config = Rc::new(Config::from_config(&config)?);
        let actions = read_actions(&o)?;
        let max_body = match read::opt_positive(&o, "maxBodyBytes", "config")? {
            Some(n) if n.fract() == 0.0 => n,
            Some(_) => return Err(Error::invalid_argument("`config.maxBodyBytes` must be a positive integer.")),
            None => DEFAULT_MAX_BODY,
        };
        Ok(Proxy { config, actions, max_body })
    };
    let proxy = Rc::new(build().map_err(super::error::to_js)?);
    let handler = Closure::<dyn Fn(JsValue) -> Promise>::new(move |request: JsValue| {
        let proxy = proxy.clone();
        wasm_bindgen_futures::future_to_promise(async move {
            match proxy.handle(request).await {
                Ok(r) => Ok(r),
                // Whatever went wrong reading the request, the page gets the API's shape.
                Err(_) => api_error(400, "InvalidParameter", "The request could not be read.", None),
            }
        })
    });
    Ok(handler.into_js_value())
}
