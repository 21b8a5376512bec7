//! What the machines produce, as JS values: a call's `Response`, a reset's `{ RequestId }`, an
//! instance, a fleet's results, `onProgress` events, and failures as `TencentCloudError`s.

use super::error::to_js_full;
use js_sys::{Array, Object, Reflect};
use tc3_lighthouse_core::machine::{elapsed_seconds, Failure, FleetResult, Opaque, Output, Progress};
use wasm_bindgen::JsValue;

fn set(o: &Object, k: &str, v: &JsValue) {
    let _ = Reflect::set(o, &JsValue::from_str(k), v);
}

/// The JS value an [`Opaque`] carries (`undefined` for none).
pub fn js(o: &Opaque) -> JsValue {
    o.get::<JsValue>().cloned().unwrap_or(JsValue::UNDEFINED)
}

/// `{ RequestId }`.
pub fn response_with_id(request_id: &str) -> JsValue {
    let o = Object::new();
    set(&o, "RequestId", &request_id.into());
    o.into()
}

/// A machine's output as what its Promise resolves with.
pub fn output_to_js(o: Output) -> JsValue {
    match o {
        Output::Response(a) => js(&a.response),
        Output::Reset { request_id } => response_with_id(&request_id),
        Output::Instance(i) => js(&i),
        Output::Fleet(results) => results.into_iter().map(fleet_result).collect::<Array>().into(),
    }
}

/// `{ InstanceId, ok, RequestId?, instance?, error? }`.
fn fleet_result(r: FleetResult) -> JsValue {
    let o = Object::new();
    set(&o, "InstanceId", &r.instance_id.as_str().into());
    set(&o, "ok", &r.result.is_ok().into());
    if let Some(rid) = &r.request_id {
        set(&o, "RequestId", &rid.as_str().into());
    }
    match r.result {
        Ok(i) if !i.is_none() => set(&o, "instance", &js(&i)),
        Ok(_) => {}
        Err(f) => set(&o, "error", &failure_to_js(f)),
    }
    o.into()
}

/// A failure as the `TencentCloudError` a Promise rejects with: its cause, and for a waiter's own
/// errors what it saw (`instance`, `elapsedSeconds`, `attempts`).
pub fn failure_to_js(f: Failure) -> JsValue {
    let extra = match &f.waited {
        None => JsValue::UNDEFINED,
        Some(w) => {
            let extra = Object::new();
            if !w.instance.is_none() {
                set(&extra, "instance", &js(&w.instance));
            }
            set(&extra, "elapsedSeconds", &JsValue::from_f64(elapsed_seconds(w.elapsed_ms)));
            set(&extra, "attempts", &JsValue::from_f64(f64::from(w.attempts)));
            extra.into()
        }
    };
    to_js_full(f.error, js(&f.cause), extra)
}

/// One `onProgress` event.
pub fn progress_to_js(p: &Progress) -> JsValue {
    let e = Object::new();
    set(&e, "InstanceId", &p.instance_id.as_str().into());
    set(&e, "LatestOperationState", &p.latest_operation_state.as_deref().map_or(JsValue::NULL, JsValue::from_str));
    set(&e, "InstanceState", &p.instance_state.as_str().into());
    set(&e, "attempt", &JsValue::from_f64(f64::from(p.attempt)));
    set(&e, "elapsedSeconds", &JsValue::from_f64(elapsed_seconds(p.elapsed_ms)));
    set(&e, "instance", &js(&p.instance));
    e.into()
}
