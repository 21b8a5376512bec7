//! One HTTP attempt over fetch and the decoding of its answer. Duck-typed on purpose: a user's
//! `config.fetch` may return any Response-like object.

use super::abort::{Interrupted, Watch};
use crate::error::{Error, ABORTED, BAD_RESPONSE, NETWORK, TIMEOUT};
use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// A successful answer: the API's `Response` object.
pub struct Answer {
    /// `{"Response": {...}}`'s inner object, RequestId included.
    pub response: JsValue,
}

/// A failed attempt.
pub struct Failure {
    /// What went wrong.
    pub error: Error,
    /// The underlying JS error (fetch's TypeError, the abort reason...), or `undefined`.
    pub cause: JsValue,
    /// Whether the request may have reached the service.
    pub sent: bool,
    /// The answer's `Date` header, Unix ms, for clock-skew correction.
    pub server_date_ms: Option<f64>,
}

fn get(o: &JsValue, k: &str) -> JsValue {
    super::read::property(o, k)
}

fn fail(error: Error, cause: JsValue, sent: bool) -> Failure {
    Failure { error, cause, sent, server_date_ms: None }
}

fn interrupted(i: Interrupted, watch: &Watch, timeout_ms: Option<f64>) -> Failure {
    match i {
        Interrupted::Aborted => {
            fail(Error::new(ABORTED, "The call was aborted by its AbortSignal."), watch.reason(), true)
        }
        Interrupted::TimedOut => {
            let mut buf = [0u8; 20];
            let ms = crate::tc3::u64_to_str(timeout_ms.unwrap_or(0.0) as u64, &mut buf);
            fail(Error::new(TIMEOUT, ["No answer within timeoutMs (", ms, " ms)."].concat()), JsValue::UNDEFINED, true)
        }
    }
}

/// Whether a fetch rejection certainly happened before the request left (Node's connection refused).
fn refused(e: &JsValue) -> bool {
    let code = get(&get(e, "cause"), "code").as_string();
    matches!(code.as_deref(), Some("ECONNREFUSED" | "ENOTFOUND" | "EAI_AGAIN"))
}

/// What a failed fetch said, for the message: its own message and its cause's (Node's undici rejects
/// with `fetch failed` whose cause says `connect ECONNREFUSED 127.0.0.1:9`), else the cause's code; at
/// most 200 bytes, and withheld should it contain the session token the request carried.
fn detail(e: &JsValue, headers: &Object) -> String {
    let text = |v: &JsValue| get(v, "message").as_string().filter(|m| !m.is_empty()).or_else(|| v.as_string());
    let cause = get(e, "cause");
    let mut s = String::new();
    for part in [text(e), text(&cause).or_else(|| get(&cause, "code").as_string())].iter().flatten() {
        if !s.is_empty() && !part.is_empty() {
            s.push_str(": ");
        }
        s.push_str(part);
    }
    let token = get(headers, "X-TC-Token").as_string().unwrap_or_default();
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
fn network(what: &str, url: &str, e: &JsValue, headers: &Object) -> Error {
    let detail = detail(e, headers);
    let sep = if detail.is_empty() { "" } else { ": " };
    Error::new(NETWORK, [what, url, " (network error)", sep, &detail, "."].concat())
}

async fn call_method(watch: &Watch, target: &JsValue, name: &str, arg: Option<&JsValue>) -> Result<JsValue, JsValue> {
    let f: Function = get(target, name).dyn_into().map_err(|_| JsValue::UNDEFINED)?;
    let v = match arg {
        Some(a) => f.call1(target, a)?,
        None => f.call0(target)?,
    };
    let p = Promise::resolve(&v);
    match watch.race(JsFuture::from(p)).await {
        Ok(r) => r,
        Err(_) => Err(JsValue::UNDEFINED),
    }
}

/// Sends one POST and decodes the answer.
pub async fn send(
    fetch: &Function,
    url: &str,
    headers: &Object,
    body: &str,
    watch: &Watch,
    timeout_ms: Option<f64>,
) -> Result<Answer, Failure> {
    let attempt = watch.attempt(timeout_ms);
    let init = Object::new();
    let _ = Reflect::set(&init, &"method".into(), &"POST".into());
    let _ = Reflect::set(&init, &"headers".into(), headers);
    let _ = Reflect::set(&init, &"body".into(), &JsValue::from_str(body));
    // A redirect would carry X-TC-Token to another origin (fetch drops only Authorization) and make
    // its answer ours: a 3xx is a bad answer instead.
    let _ = Reflect::set(&init, &"redirect".into(), &"manual".into());
    if let Some(s) = attempt.signal() {
        let _ = Reflect::set(&init, &"signal".into(), s);
    }
    let started = match fetch.call2(&JsValue::UNDEFINED, &JsValue::from_str(url), &init) {
        Ok(p) => Promise::resolve(&p),
        Err(e) => return Err(fail(network("fetch threw before sending the request to ", url, &e, headers), e, false)),
    };
    let response = match watch.race(JsFuture::from(started)).await {
        Err(i) => return Err(interrupted(i, watch, timeout_ms)),
        Ok(Err(e)) => {
            let sent = !refused(&e);
            return Err(fail(network("No answer from ", url, &e, headers), e, sent));
        }
        Ok(Ok(r)) => r,
    };
    let status = get(&response, "status").as_f64().unwrap_or(0.0);
    let server_date_ms = {
        let h = get(&response, "headers");
        let date = get(&h, "get").dyn_into::<Function>().ok().and_then(|g| g.call1(&h, &"date".into()).ok());
        date.and_then(|d| d.as_string()).and_then(|d| crate::retry::parse_http_date(&d))
    };
    let text = match call_method(watch, &response, "text", None).await {
        Ok(t) => t.as_string(),
        Err(_) if watch.aborted() => return Err(interrupted(Interrupted::Aborted, watch, timeout_ms)),
        Err(e) => {
            return Err(Failure {
                error: Error::new(BAD_RESPONSE, "The answer's body could not be read (connection cut mid-answer?)."),
                cause: e,
                sent: true,
                server_date_ms,
            })
        }
    };
    drop(attempt);
    let status16 = if (0.0..=999.0).contains(&status) { status as u16 } else { 0 };
    let bad = |msg: &'static str| Failure {
        error: Error::new(BAD_RESPONSE, msg).with_http_status(status16),
        cause: JsValue::UNDEFINED,
        sent: true,
        server_date_ms,
    };
    if status16 != 200 {
        return Err(bad("The endpoint answered with an HTTP status other than 200: not the API's answer."));
    }
    let text = text.unwrap_or_default();
    if text.is_empty() {
        return Err(bad("The endpoint answered with an empty body."));
    }
    let parsed =
        super::json::parse(&text).ok_or_else(|| bad("The answer was not JSON (HTML from a gateway, or truncated)."))?;
    let inner = get(&parsed, "Response");
    if !inner.is_object() || js_sys::Array::is_array(&inner) {
        return Err(bad("The answer was JSON but not the API's: it has no `Response` object."));
    }
    let request_id = get(&inner, "RequestId").as_string();
    let err = get(&inner, "Error");
    if err.is_object() {
        let code = get(&err, "Code").as_string();
        let message = get(&err, "Message").as_string().unwrap_or_default();
        let Some(code) = code.filter(|c| !c.is_empty()) else {
            return Err(bad("The answer's `Response.Error` has no `Code`."));
        };
        return Err(Failure {
            error: Error::new(code, message).with_request_id(request_id).with_http_status(200),
            cause: JsValue::UNDEFINED,
            sent: true,
            server_date_ms,
        });
    }
    Ok(Answer { response: inner })
}
