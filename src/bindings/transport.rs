//! One HTTP attempt over fetch and the decoding of its answer into the machines' [`Reply`].
//! Duck-typed on purpose: a user's `config.fetch` may return any Response-like object.

use crate::error::{Error, BAD_RESPONSE, NETWORK};
use js_sys::{Array, Function, Object, Reflect};
use tc3_lighthouse_core::machine::{Answer, Fault, Instance, Opaque, Reply, Request};
use wasm_bindgen::{JsCast, JsValue};

fn get(o: &JsValue, k: &str) -> JsValue {
    super::read::property(o, k)
}

fn fault(error: Error, cause: JsValue, sent: bool, date: Option<String>) -> Reply {
    let cause = if cause.is_undefined() { Opaque::none() } else { Opaque::new(cause) };
    Reply::Fault(Fault { error, cause, sent, date })
}

/// Whether a fetch rejection certainly happened before the request left (Node's connection refused).
fn refused(e: &JsValue) -> bool {
    let code = get(&get(e, "cause"), "code").as_string();
    matches!(code.as_deref(), Some("ECONNREFUSED" | "ENOTFOUND" | "EAI_AGAIN"))
}

/// What a failed fetch said, for the message: its own message and its cause's (Node's undici rejects
/// with `fetch failed` whose cause says `connect ECONNREFUSED 127.0.0.1:9`), else the cause's code; at
/// most 200 bytes, and withheld should it contain the session token the request carried.
fn detail(e: &JsValue, token: &str) -> String {
    let text = |v: &JsValue| get(v, "message").as_string().filter(|m| !m.is_empty()).or_else(|| v.as_string());
    let cause = get(e, "cause");
    let mut s = String::new();
    for part in [text(e), text(&cause).or_else(|| get(&cause, "code").as_string())].iter().flatten() {
        if !s.is_empty() && !part.is_empty() {
            s.push_str(": ");
        }
        s.push_str(part);
    }
    if !token.is_empty() && s.as_bytes().windows(token.len()).any(|w| w == token.as_bytes()) {
        return "details withheld".to_owned();
    }
    let mut end = s.len().min(200);
    while !s.is_char_boundary(end) || s.as_bytes().get(end.wrapping_sub(1)) == Some(&b'.') {
        end -= 1;
    }
    s.truncate(end);
    s
}

/// `ClientError.Network`: `what` happened on the way to `url` (the endpoint: scheme, host, port and
/// path; it never has a query or credentials), with what fetch said.
fn network(what: &str, url: &str, e: &JsValue, token: &str) -> Error {
    let detail = detail(e, token);
    let sep = if detail.is_empty() { "" } else { ": " };
    Error::new(NETWORK, [what, url, " (network error)", sep, &detail, "."].concat())
}

fn opt_string(o: &JsValue, k: &str) -> Option<String> {
    get(o, k).as_string()
}

/// `InstanceSet`'s instances, with the fields the waiters judge.
fn instances(inner: &JsValue) -> Vec<Instance> {
    let set = get(inner, "InstanceSet");
    if !Array::is_array(&set) {
        return Vec::new();
    }
    Array::from(&set)
        .iter()
        .map(|v| Instance {
            instance_id: opt_string(&v, "InstanceId").unwrap_or_default(),
            instance_state: opt_string(&v, "InstanceState").unwrap_or_default(),
            latest_operation: opt_string(&v, "LatestOperation"),
            latest_operation_state: opt_string(&v, "LatestOperationState"),
            latest_operation_request_id: opt_string(&v, "LatestOperationRequestId"),
            latest_operation_started_time: opt_string(&v, "LatestOperationStartedTime"),
            raw: Opaque::new(v),
        })
        .collect()
}

/// The `init` of `request`'s fetch (the driver adds the signal it aborts on `Cancel`).
pub fn init(request: &Request) -> Object {
    let headers = Object::new();
    for (k, v) in &request.headers {
        let _ = Reflect::set(&headers, &JsValue::from_str(k), &JsValue::from_str(v));
    }
    let init = Object::new();
    let _ = Reflect::set(&init, &"method".into(), &"POST".into());
    let _ = Reflect::set(&init, &"headers".into(), &headers);
    let _ = Reflect::set(&init, &"body".into(), &JsValue::from_str(request.body()));
    // A redirect would carry X-TC-Token to another origin (fetch drops only Authorization) and make
    // its answer ours: a 3xx is a bad answer instead.
    let _ = Reflect::set(&init, &"redirect".into(), &"manual".into());
    init
}

/// How a fetch ended, as the driver saw it.
pub enum Fetched {
    /// No fetch function to call.
    NoFetch,
    /// `fetch(...)` threw before returning: nothing was sent.
    Threw(JsValue),
    /// Its Promise rejected.
    Rejected(JsValue),
    /// A response, and its body's text (`Err`: reading the body failed).
    Response(JsValue, Result<JsValue, JsValue>),
}

/// Decodes how the fetch of `request` ended into the machines' [`Reply`].
pub fn reply(request: &Request, fetched: Fetched) -> Reply {
    let url = request.url.as_str();
    let token = request.header("X-TC-Token").unwrap_or_default();
    let (response, text) = match fetched {
        Fetched::NoFetch => {
            let error = Error::invalid_argument("No global fetch: pass `config.fetch`.");
            return Reply::Fault(Fault { sent: false, ..Fault::new(error) });
        }
        Fetched::Threw(e) => {
            let error = network("fetch threw before sending the request to ", url, &e, token);
            return fault(error, e, false, None);
        }
        Fetched::Rejected(e) => {
            let sent = !refused(&e);
            return fault(network("No answer from ", url, &e, token), e, sent, None);
        }
        Fetched::Response(r, text) => (r, text),
    };
    let status = get(&response, "status").as_f64().unwrap_or(0.0);
    let date = {
        let h = get(&response, "headers");
        let date = get(&h, "get").dyn_into::<Function>().ok().and_then(|g| g.call1(&h, &"date".into()).ok());
        date.and_then(|d| d.as_string())
    };
    let text = match text {
        Ok(t) => t.as_string(),
        Err(e) => {
            let error = Error::new(BAD_RESPONSE, "The answer's body could not be read (connection cut mid-answer?).");
            return fault(error, e, true, date);
        }
    };
    let status16 = if (0.0..=999.0).contains(&status) { status as u16 } else { 0 };
    let bad = |msg: &'static str, date: Option<String>| {
        fault(Error::new(BAD_RESPONSE, msg).with_http_status(status16), JsValue::UNDEFINED, true, date)
    };
    if status16 != 200 {
        return bad("The endpoint answered with an HTTP status other than 200: not the API's answer.", date);
    }
    let text = text.unwrap_or_default();
    if text.is_empty() {
        return bad("The endpoint answered with an empty body.", date);
    }
    let Some(parsed) = super::json::parse(&text) else {
        return bad("The answer was not JSON (HTML from a gateway, or truncated).", date);
    };
    let inner = get(&parsed, "Response");
    if !inner.is_object() || Array::is_array(&inner) {
        return bad("The answer was JSON but not the API's: it has no `Response` object.", date);
    }
    let request_id = get(&inner, "RequestId").as_string();
    let err = get(&inner, "Error");
    if err.is_object() {
        let Some(code) = get(&err, "Code").as_string().filter(|c| !c.is_empty()) else {
            return bad("The answer's `Response.Error` has no `Code`.", date);
        };
        let message = get(&err, "Message").as_string().unwrap_or_default();
        let error = Error::new(code, message).with_request_id(request_id).with_http_status(200);
        return fault(error, JsValue::UNDEFINED, true, date);
    }
    let instances = if request.instances { instances(&inner) } else { Vec::new() };
    Reply::Answer(Answer { request_id, response: Opaque::new(inner), instances })
}
