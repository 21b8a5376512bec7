//! The single conversion from [`crate::error::Error`] to the JS class `TencentCloudError`.

use crate::error::Error;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/js/errors.js")]
extern "C" {
    #[wasm_bindgen(js_name = makeError)]
    #[allow(clippy::too_many_arguments)]
    fn make_error(
        code: &str,
        message: &str,
        kind: &str,
        retryable: bool,
        request_id: Option<String>,
        http_status: Option<u16>,
        action: Option<String>,
        cause: JsValue,
        extra: JsValue,
    ) -> JsValue;

    #[wasm_bindgen(js_name = errorClass)]
    fn error_class_js() -> JsValue;
}

/// The `TencentCloudError` class, so the package's entry files can export it without importing the
/// snippet by its hashed path.
#[wasm_bindgen(js_name = errorClass, skip_typescript)]
pub fn error_class() -> JsValue {
    error_class_js()
}

/// Builds the JS error; `cause` and `extra` (waiter details) may be `undefined`.
pub fn to_js_full(e: Error, cause: JsValue, extra: JsValue) -> JsValue {
    make_error(&e.code, &e.message, e.kind.as_str(), e.retryable, e.request_id, e.http_status, e.action, cause, extra)
}

/// Builds the JS error without a cause.
pub fn to_js(e: Error) -> JsValue {
    to_js_full(e, JsValue::UNDEFINED, JsValue::UNDEFINED)
}
