#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use super::*;

fn vectors() -> Vec<serde_json::Value> {
    let text = include_str!("../../../tests/vectors/tc3.json");
    let v: serde_json::Value = serde_json::from_str(text).unwrap();
    v["vectors"].as_array().unwrap().clone()
}

fn s<'a>(v: &'a serde_json::Value, k: &str) -> &'a str {
    v[k].as_str().unwrap_or("")
}

#[test]
fn every_vector_every_stage() {
    let all = vectors();
    assert!(all.len() >= 8);
    let mut cache = KeyCache::default();
    for v in &all {
        let i = &v["inputs"];
        let o = &v["outputs"];
        let name = s(v, "name");
        let p = SignParams {
            secret_id: s(i, "secret_id"),
            secret_key: s(i, "secret_key"),
            service: s(i, "service"),
            host: s(i, "host"),
            method: s(i, "method"),
            content_type: s(i, "content_type"),
            query: s(i, "query"),
            payload: s(i, "payload").as_bytes(),
            timestamp: i["timestamp"].as_u64().unwrap(),
        };
        for signed in [sign(&p, None), sign(&p, Some(&mut cache))] {
            assert_eq!(signed.canonical_request, s(o, "canonical_request"), "{name}");
            assert_eq!(sha256_hex(signed.canonical_request.as_bytes()), s(o, "hashed_canonical_request"), "{name}");
            assert_eq!(signed.string_to_sign, s(o, "string_to_sign"), "{name}");
            assert_eq!(signed.credential_scope, s(o, "credential_scope"), "{name}");
            assert_eq!(signed.signature, s(o, "signature"), "{name}");
            assert_eq!(signed.authorization, s(o, "authorization"), "{name}");
            assert_eq!(&utc_date(p.timestamp)[..], s(o, "date").as_bytes(), "{name}");
        }
    }
}

fn base() -> SignParams<'static> {
    SignParams {
        secret_id: "AKIDEXAMPLE",
        secret_key: "secretKEY",
        service: "lighthouse",
        host: "lighthouse.tencentcloudapi.com",
        method: "POST",
        content_type: "application/json",
        query: "",
        payload: b"{}",
        timestamp: 1_700_000_000,
    }
}

#[test]
fn cache_is_keyed_by_key_day_and_service() {
    let mut cache = KeyCache::default();
    let a = base();
    assert_eq!(sign(&a, Some(&mut cache)), sign(&a, None));
    let b = SignParams { secret_key: "other", ..a };
    assert_eq!(sign(&b, Some(&mut cache)), sign(&b, None));
    let c = SignParams { timestamp: a.timestamp + 86_400, ..a };
    assert_eq!(sign(&c, Some(&mut cache)), sign(&c, None));
    let d = SignParams { service: "cvm", ..c };
    assert_eq!(sign(&d, Some(&mut cache)), sign(&d, None));
    assert_ne!(sign(&c, None).signature, sign(&d, None).signature);
}

#[test]
fn cached_canonical_prefix_follows_method_query_content_type_and_host() {
    let mut cache = KeyCache::default();
    let a = base();
    let long_host = "a-very-long-host-name-that-fills-more-than-one-sha-block.example.com:8443";
    let variants = [
        a,
        SignParams { host: "127.0.0.1:8080", ..a },
        SignParams { content_type: "application/json; charset=utf-8", ..a },
        SignParams { method: "GET", query: "Limit=1&Offset=0", payload: b"", ..a },
        SignParams { method: "GET", query: "Limit=2&Offset=0", payload: b"", ..a },
        SignParams { host: long_host, ..a },
        SignParams { host: long_host, payload: b"{\"InstanceId\":\"lhins-abcd1234\"}", ..a },
        a,
    ];
    // Twice round, so every variant is signed both with a fresh and with a reused prefix state.
    for p in variants.iter().chain(variants.iter()) {
        assert_eq!(sign(p, Some(&mut cache)), sign(p, None), "{p:?}");
    }
}

#[test]
fn utc_day_boundary_changes_scope_and_key() {
    let before = SignParams { timestamp: 1_704_067_199, ..base() };
    let after = SignParams { timestamp: 1_704_067_200, ..base() };
    assert!(sign(&before, None).credential_scope.starts_with("2023-12-31/"));
    assert!(sign(&after, None).credential_scope.starts_with("2024-01-01/"));
}

#[test]
fn host_with_port_and_non_ascii_payload_are_signed_as_sent() {
    let payload = "{\"InstanceName\":\"未命名 ✓\"}";
    let p = SignParams { host: "127.0.0.1:8080", payload: payload.as_bytes(), ..base() };
    let out = sign(&p, None);
    assert!(out.canonical_request.contains("\nhost:127.0.0.1:8080\n"));
    assert!(out.canonical_request.ends_with(&sha256_hex(payload.as_bytes())));
}

#[test]
fn content_type_is_lowercased_and_trimmed() {
    let p = SignParams { content_type: " Application/JSON; Charset=UTF-8 ", ..base() };
    assert!(sign(&p, None).canonical_request.contains("\ncontent-type:application/json; charset=utf-8\n"));
}

#[test]
fn large_body() {
    let body = vec![b'a'; 1 << 20];
    let p = SignParams { payload: &body, ..base() };
    assert!(sign(&p, None).canonical_request.ends_with(&sha256_hex(&body)));
}

#[test]
fn debug_redacts_the_key() {
    let dbg = format!("{:?}", base());
    assert!(!dbg.contains("secretKEY"));
    assert!(dbg.contains("redacted"));
}

#[test]
fn u64_digits() {
    let mut b = [0u8; 20];
    assert_eq!(u64_to_str(0, &mut b), "0");
    assert_eq!(u64_to_str(1_700_000_000, &mut b), "1700000000");
    assert_eq!(u64_to_str(u64::MAX, &mut b), "18446744073709551615");
}
