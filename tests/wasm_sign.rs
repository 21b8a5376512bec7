//! `signRequest` as JavaScript sees it, run by wasm-bindgen-test in Node and (with
//! WASM_BINDGEN_USE_BROWSER=1) in headless Chromium: every vector, every stage, every header.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use js_sys::{Array, Object, Reflect, JSON};
use tc3_lighthouse::bindings::sign_request;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

fn get(o: &JsValue, k: &str) -> JsValue {
    Reflect::get(o, &JsValue::from_str(k)).unwrap()
}

fn set(o: &Object, k: &str, v: JsValue) {
    Reflect::set(o, &JsValue::from_str(k), &v).unwrap();
}

fn input_of(i: &JsValue) -> Object {
    let o = Object::new();
    for (from, to) in [
        ("secret_id", "secretId"),
        ("secret_key", "secretKey"),
        ("token", "token"),
        ("service", "service"),
        ("host", "host"),
        ("action", "action"),
        ("version", "version"),
        ("region", "region"),
        ("timestamp", "timestamp"),
        ("method", "method"),
        ("content_type", "contentType"),
        ("query", "query"),
        ("payload", "payload"),
    ] {
        set(&o, to, get(i, from));
    }
    o
}

#[wasm_bindgen_test]
fn every_vector_every_stage_and_header() {
    let doc = JSON::parse(include_str!("vectors/tc3.json")).unwrap();
    let vectors: Array = get(&doc, "vectors").dyn_into().unwrap();
    assert!(vectors.length() >= 8);
    for v in vectors.iter() {
        let i = get(&v, "inputs");
        let o = get(&v, "outputs");
        let name = get(&v, "name").as_string().unwrap();
        let out = sign_request(&input_of(&i).into()).unwrap_or_else(|_| panic!("{name} threw"));
        for (ours, theirs) in [
            ("canonicalRequest", "canonical_request"),
            ("stringToSign", "string_to_sign"),
            ("signature", "signature"),
            ("authorization", "authorization"),
            ("credentialScope", "credential_scope"),
        ] {
            assert_eq!(get(&out, ours).as_string(), get(&o, theirs).as_string(), "{name}: {ours}");
        }
        assert_eq!(get(&out, "timestamp").as_f64(), get(&i, "timestamp").as_f64());
        let h = get(&out, "headers");
        let hs = |k: &str| get(&h, k).as_string();
        assert_eq!(hs("Authorization"), get(&o, "authorization").as_string(), "{name}");
        assert_eq!(hs("Content-Type"), get(&i, "content_type").as_string(), "{name}");
        assert_eq!(hs("Host"), get(&i, "host").as_string(), "{name}");
        assert_eq!(hs("X-TC-Action"), get(&i, "action").as_string(), "{name}");
        assert_eq!(hs("X-TC-Version"), get(&i, "version").as_string(), "{name}");
        assert_eq!(hs("X-TC-Region"), get(&i, "region").as_string(), "{name}");
        assert_eq!(hs("X-TC-Token"), get(&i, "token").as_string(), "{name}");
        assert_eq!(hs("X-TC-Timestamp"), get(&i, "timestamp").as_f64().map(|t| (t as u64).to_string()), "{name}");
    }
}

#[wasm_bindgen_test]
fn bad_input_is_a_typed_error_naming_the_field() {
    let good = || {
        let o = Object::new();
        set(&o, "secretId", "AKID".into());
        set(&o, "secretKey", "key".into());
        set(&o, "action", "ResetInstance".into());
        o
    };
    assert!(sign_request(&good().into()).is_ok());
    let cases: Vec<(JsValue, &str)> = vec![
        (JsValue::UNDEFINED, "input"),
        (JsValue::NULL, "input"),
        (JsValue::from_f64(3.0), "input"),
        (Array::new().into(), "input"),
        (
            {
                let o = good();
                set(&o, "secretId", JsValue::from_f64(1.0));
                o.into()
            },
            "input.secretId",
        ),
        (
            {
                let o = good();
                set(&o, "secretKey", JsValue::UNDEFINED);
                o.into()
            },
            "input.secretKey",
        ),
        (
            {
                let o = good();
                set(&o, "action", JsValue::NULL);
                o.into()
            },
            "input.action",
        ),
        (
            {
                let o = good();
                set(&o, "timestamp", JsValue::from_f64(-1.0));
                o.into()
            },
            "input.timestamp",
        ),
        (
            {
                let o = good();
                set(&o, "timestamp", JsValue::from_f64(1.5));
                o.into()
            },
            "input.timestamp",
        ),
        (
            {
                let o = good();
                set(&o, "timestamp", JsValue::from_str("1700000000"));
                o.into()
            },
            "input.timestamp",
        ),
        (
            {
                let o = good();
                set(&o, "payload", JsValue::from_f64(1.0));
                o.into()
            },
            "input.payload",
        ),
    ];
    for (input, field) in cases {
        let err = sign_request(&input).expect_err(field);
        assert_eq!(get(&err, "name").as_string().as_deref(), Some("TencentCloudError"));
        assert_eq!(get(&err, "code").as_string().as_deref(), Some("ClientError.InvalidArgument"));
        assert_eq!(get(&err, "kind").as_string().as_deref(), Some("invalidInput"));
        let msg = get(&err, "message").as_string().unwrap();
        assert!(msg.contains(field), "{msg} should name {field}");
        assert!(!msg.contains("key"), "no secret in {msg}");
    }
}
