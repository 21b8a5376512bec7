//! The call machine against the fake API and clock: signing, retries per kind and safety, time
//! limits, clock skew, the temporary-credentials refresh, the limiter, abort at every step, logs.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod support;

use support::{client, creds, rc, FakeApi, FaultKind, Sim, T0};
use tc3_lighthouse_core::credentials::Credentials;
use tc3_lighthouse_core::error::Kind;
use tc3_lighthouse_core::machine::{
    Call, CallOptions, Client, Cx, Effect, Event, LogEvent, Machine, Opaque, Output, Realm,
};

const ID: &str = "lhins-ruy9d2tw";

fn api() -> FakeApi {
    FakeApi::with(&[(ID, "RUNNING")])
}

fn call(c: Client, action: &str) -> Call {
    Call::new(rc(c), action, r#"{"InstanceIds":["lhins-ruy9d2tw"]}"#, CallOptions::default())
}

fn describe() -> Call {
    call(client(), "DescribeInstances")
}

#[test]
fn success_is_signed_as_sent_and_logged() {
    let mut sim = Sim::new(api());
    let mut c = client();
    c.region = Some("ap-guangzhou".into());
    let mut m = call(c, "DescribeInstances");
    sim.run(&mut m);
    let Output::Response(answer) = sim.output() else { panic!() };
    assert_eq!(answer.request_id.as_deref(), Some("req-0001"));
    let sends = sim.sends();
    assert_eq!(sends.len(), 1);
    let r = sends[0];
    assert_eq!(r.url, "https://lighthouse.tencentcloudapi.com");
    assert_eq!(r.body(), r#"{"InstanceIds":["lhins-ruy9d2tw"]}"#);
    assert!(r
        .header("Authorization")
        .unwrap()
        .starts_with("TC3-HMAC-SHA256 Credential=AKIDTEST/2023-11-14/lighthouse/"));
    assert_eq!(r.header("X-TC-Timestamp"), Some("1700000000"));
    assert_eq!(r.header("X-TC-Region"), Some("ap-guangzhou"));
    assert_eq!(r.header("X-TC-Version"), Some("2020-03-24"));
    assert!(r.header("X-TC-RequestClient").unwrap().starts_with("tc3-lighthouse/"));
    assert_eq!(r.header("Host"), None, "the platform sets Host");
    assert!(!r.instances);
    let logs = sim.logs();
    assert_eq!(logs.len(), 1);
    assert_eq!((logs[0].event, logs[0].attempt, logs[0].status), (LogEvent::Attempt, 1, Some(200)));
    assert_eq!(logs[0].request_id.as_deref(), Some("req-0001"));
    assert_eq!(logs[0].region.as_deref(), Some("ap-guangzhou"));
    assert_eq!(logs[0].ms, 10.0);
}

#[test]
fn no_logger_no_log_entries() {
    let mut sim = Sim::new(api());
    sim.api.fault(None, None, FaultKind::Throttle, 1);
    let mut c = client();
    c.log = false;
    assert!(sim.run(&mut call(c, "DescribeInstances")).is_ok());
    assert!(sim.logs().is_empty());
}

#[test]
fn no_secret_in_any_effect_or_state() {
    let mut sim = Sim::new(api());
    sim.provider = vec![Credentials { token: Some("TOKEN-DO-NOT-LEAK".into()), ..creds() }];
    sim.api.fault(None, None, FaultKind::Throttle, 1);
    let mut m = describe();
    sim.run(&mut m);
    let all = format!("{:?} {:?} {:?}", sim.steps, m, sim.realm);
    assert!(!all.contains("SECRETKEY-DO-NOT-LEAK") && !all.contains("TOKEN-DO-NOT-LEAK"));
    assert!(!all.contains("Signature="), "no signature either");
    // The token is sent, though.
    assert_eq!(sim.sends()[0].header("X-TC-Token"), Some("TOKEN-DO-NOT-LEAK"));
}

#[test]
fn throttling_is_retried_with_backoff_for_every_action() {
    for action in ["DescribeInstances", "ResetInstance", "StartInstances"] {
        let mut sim = Sim::new(api());
        sim.api.fault(Some(action), None, FaultKind::Throttle, 2);
        let mut c = client();
        c.rate_limit = false; // the limiter would space the retries too
        let mut m = call(c, action);
        assert!(sim.run(&mut m).is_ok(), "{action}");
        assert_eq!(sim.sends().len(), 3, "{action}");
        // Full jitter at unit 0.5: 100 * 2^attempt * 0.5.
        assert_eq!(sim.sleeps(), [50.0, 100.0], "{action}");
        let retries: Vec<u32> = sim.logs().iter().filter(|l| l.event == LogEvent::Retry).map(|l| l.attempt).collect();
        assert_eq!(retries, [1, 2]);
        let attempts: Vec<u32> =
            sim.logs().iter().filter(|l| l.event == LogEvent::Attempt).map(|l| l.attempt).collect();
        assert_eq!(attempts, [1, 2, 3]);
    }
}

#[test]
fn throttled_every_time_gives_up_after_max_attempts() {
    let mut sim = Sim::new(api());
    sim.api.fault(None, None, FaultKind::Throttle, 10);
    let mut m = describe();
    sim.run(&mut m);
    let f = sim.failure();
    assert_eq!((f.error.code.as_ref(), f.error.kind), ("RequestLimitExceeded", Kind::Throttling));
    assert_eq!(f.error.action.as_deref(), Some("DescribeInstances"));
    assert_eq!(f.error.request_id.as_deref(), Some("req-0003"));
    assert_eq!(sim.sends().len(), 3);
    // maxAttempts 1 sends once.
    let mut sim = Sim::new(api());
    sim.api.fault(None, None, FaultKind::Throttle, 10);
    let mut c = client();
    c.policy.max_attempts = 1;
    sim.run(&mut call(c, "DescribeInstances"));
    assert_eq!(sim.sends().len(), 1);
}

#[test]
fn transient_failures_retry_reads_never_mutations() {
    for (fault, code) in [
        (FaultKind::ServiceError("InternalError"), "InternalError"),
        (FaultKind::ServiceError("UnsupportedOperation.SystemBusy"), "UnsupportedOperation.SystemBusy"),
        (FaultKind::ConnectionReset, "ClientError.Network"),
        (FaultKind::Html500(false), "ClientError.BadResponse"),
    ] {
        let mut sim = Sim::new(api());
        sim.api.fault(None, None, fault.clone(), 1);
        assert!(sim.run(&mut describe()).is_ok(), "{fault:?}");
        assert_eq!(sim.sends().len(), 2, "{fault:?}: a read is retried");

        let mut sim = Sim::new(api());
        sim.api.fault(None, None, fault.clone(), 1);
        sim.run(&mut call(client(), "StartInstances"));
        assert_eq!(sim.failure().error.code, code, "{fault:?}");
        assert_eq!(sim.sends().len(), 1, "{fault:?}: a mutation is never resent blindly");
    }
    // A BadResponse keeps its HTTP status.
    let mut sim = Sim::new(api());
    sim.api.fault(None, None, FaultKind::Html500(false), 5);
    sim.run(&mut describe());
    assert_eq!(sim.failure().error.http_status, Some(500));
    assert_eq!(sim.sends().len(), 3);
}

#[test]
fn a_mutation_certainly_not_sent_is_retried() {
    let mut sim = Sim::new(api());
    sim.api.fault(None, None, FaultKind::Refused, 1);
    assert!(sim.run(&mut call(client(), "ResetInstance")).is_ok());
    assert_eq!(sim.sends().len(), 2);
    assert_eq!(sim.api.effective_resets().len(), 1);
}

#[test]
fn terminal_answers_are_sent_once() {
    for code in [
        "AuthFailure.SecretIdNotFound",
        "InvalidParameterValue.InstanceIdMalformed",
        "ResourceNotFound.InstanceNotFound",
        "FailedOperation",
        "OperationDenied.InstanceOperationInProgress",
    ] {
        let mut sim = Sim::new(api());
        sim.api.fault(None, None, FaultKind::ServiceError(code), 1);
        sim.run(&mut describe());
        assert_eq!(sim.failure().error.code, code);
        assert_eq!(sim.sends().len(), 1, "{code}");
    }
}

#[test]
fn time_limit_per_attempt() {
    let mut sim = Sim::new(api());
    sim.api.fault(None, None, FaultKind::Slow(1_000.0), 10);
    let mut c = client();
    c.timeout_ms = Some(300.0);
    sim.run(&mut call(c.clone(), "DescribeInstances"));
    let f = sim.failure();
    assert_eq!((f.error.code.as_ref(), f.error.kind), ("ClientError.Timeout", Kind::Timeout));
    assert_eq!(f.error.message, "No answer within timeoutMs (300 ms).");
    assert_eq!(sim.sends().len(), 3);
    // Three attempts of 300 ms and two backoffs (50, 100): settled promptly, not after the slow answers.
    assert_eq!(sim.now, T0 + 900.0 + 150.0);
    let cancels = sim.effects().filter(|e| matches!(e, Effect::Cancel { .. })).count();
    assert_eq!(cancels, 3, "each timed-out send is cancelled");
    // A read that times out once succeeds on the next attempt.
    let mut sim = Sim::new(api());
    sim.api.fault(None, None, FaultKind::Slow(1_000.0), 1);
    assert!(sim.run(&mut call(c.clone(), "DescribeInstances")).is_ok());
    // A mutation that timed out is not resent: its fate is unknown.
    let mut sim = Sim::new(api());
    sim.api.fault(None, None, FaultKind::Slow(1_000.0), 1);
    sim.run(&mut call(c.clone(), "StartInstances"));
    assert_eq!(sim.failure().error.code, "ClientError.Timeout");
    assert_eq!(sim.sends().len(), 1);
    // The call's option overrides the client's.
    let mut sim = Sim::new(api());
    sim.api.fault(None, None, FaultKind::Slow(150.0), 1);
    let opts = CallOptions { timeout_ms: Some(100.0), region: None };
    sim.run(&mut Call::new(rc(c), "StartInstances", "{}", opts));
    assert_eq!(sim.failure().error.message, "No answer within timeoutMs (100 ms).");
}

#[test]
fn clock_skew_is_corrected_once_and_kept_for_the_host() {
    for offset in [3_600_000.0, -3_600_000.0] {
        let mut sim = Sim::new(api());
        sim.api.clock_offset_ms = offset;
        assert!(sim.run(&mut call(client(), "ResetInstance")).is_ok());
        let sends = sim.sends();
        assert_eq!(sends.len(), 2, "one SignatureExpire, then re-signed");
        let ts: Vec<f64> = sends.iter().map(|r| r.header("X-TC-Timestamp").unwrap().parse().unwrap()).collect();
        assert_eq!(ts[0], T0 / 1000.0);
        assert!((ts[1] * 1000.0 - (sim.now + offset)).abs() < 2_000.0, "{ts:?}");
        assert_eq!(sim.api.effective_resets().len(), 1);
        assert!(sim.logs().iter().all(|l| l.event != LogEvent::Retry), "re-signed without backoff");
        let host = "lighthouse.tencentcloudapi.com";
        let learnt = sim.realm.clock_offset(host);
        assert!((learnt - offset).abs() < 1_000.0, "{learnt}");
        let skew: Vec<_> = sim.logs().into_iter().filter(|l| l.event == LogEvent::ClockSkew).collect();
        assert_eq!(skew.len(), 1);
        assert_eq!(skew[0].ms, learnt);
        assert_eq!(skew[0].code.as_deref(), Some("AuthFailure.SignatureExpire"));
        // The next call to that host is signed right the first time.
        let before = sim.sends().len();
        sim.result = None;
        assert!(sim.run(&mut describe()).is_ok());
        assert_eq!(sim.sends().len(), before + 1);
    }
}

#[test]
fn clock_skew_without_a_date_is_surfaced_after_one_resign() {
    let mut sim = Sim::new(api());
    sim.api.clock_offset_ms = 3_600_000.0;
    sim.api.no_date = true;
    sim.run(&mut describe());
    let f = sim.failure();
    assert_eq!((f.error.code.as_ref(), f.error.kind), ("AuthFailure.SignatureExpire", Kind::ClockSkew));
    assert_eq!(sim.sends().len(), 2);
    assert_eq!(sim.realm.clock_offset("lighthouse.tencentcloudapi.com"), 0.0);
}

fn temporary(token: &str, expires_at: f64) -> Credentials {
    Credentials { token: Some(token.into()), expires_at: Some(expires_at), ..creds() }
}

#[test]
fn expiring_temporary_credentials_are_refreshed_once_on_auth_failure() {
    let now_s = T0 / 1000.0;
    // Refused near expiry: refreshed (bypassing the cache), retried with the new token.
    let mut sim = Sim::new(api());
    sim.provider = vec![temporary("OLD", now_s + 60.0), temporary("NEW", now_s + 7_200.0)];
    sim.api.bad_tokens = vec!["OLD".into()];
    assert!(sim.run(&mut call(client(), "ResetInstance")).is_ok());
    let tokens: Vec<_> = sim.sends().iter().map(|r| r.header("X-TC-Token").unwrap().to_owned()).collect();
    assert_eq!(tokens, ["OLD", "NEW"]);
    assert_eq!(sim.refreshes, 1);
    let asks: Vec<bool> = sim
        .effects()
        .filter_map(|e| match e {
            Effect::GetCredentials { refresh, .. } => Some(*refresh),
            _ => None,
        })
        .collect();
    assert_eq!(asks, [false, true]);
    assert!(sim.logs().iter().any(|l| l.event == LogEvent::CredentialsRefresh));
    // Only once: fresh ones refused too are surfaced.
    let mut sim = Sim::new(api());
    sim.provider = vec![temporary("OLD", now_s + 60.0), temporary("ALSO-BAD", now_s + 90.0)];
    sim.api.bad_tokens = vec!["OLD".into(), "ALSO-BAD".into()];
    sim.run(&mut describe());
    assert_eq!(sim.failure().error.code, "AuthFailure.TokenFailure");
    assert_eq!((sim.sends().len(), sim.refreshes), (2, 1));
    // Far from expiry, or long-term keys: terminal at once.
    for c in [temporary("OLD", now_s + 3_600.0), Credentials { token: None, ..temporary("", now_s) }] {
        let mut sim = Sim::new(api());
        sim.provider = vec![c];
        sim.api.bad_tokens = vec!["OLD".into()];
        sim.api.fault(None, None, FaultKind::ServiceError("AuthFailure.SecretIdNotFound"), 1);
        sim.run(&mut describe());
        assert!(sim.failure().error.code.starts_with("AuthFailure."));
        assert_eq!((sim.sends().len(), sim.refreshes), (1, 0));
    }
}

#[test]
fn a_failing_provider_sends_nothing() {
    let mut sim = Sim::new(api());
    sim.provider_fails = true;
    sim.run(&mut describe());
    let f = sim.failure();
    assert_eq!((f.error.code.as_ref(), f.error.kind), ("ClientError.Credentials", Kind::Auth));
    assert_eq!(f.error.action.as_deref(), Some("DescribeInstances"));
    assert_eq!(f.cause.get::<&str>(), Some(&"provider said no"));
    assert!(sim.sends().is_empty());
}

#[test]
fn a_signing_proxy_gets_no_credentials_and_no_signature() {
    let mut sim = Sim::new(api());
    let mut c = client();
    c.signed = false;
    c.region = Some("ap-shanghai".into());
    c.language = Some("en-US".into());
    assert!(sim.run(&mut call(c, "DescribeInstances")).is_ok());
    assert_eq!(sim.credential_fetches, 0);
    let r = sim.sends()[0];
    let names: Vec<&str> = r.headers.iter().map(|(k, _)| *k).collect();
    assert_eq!(
        names,
        ["Content-Type", "X-TC-Action", "X-TC-Version", "X-TC-Region", "X-TC-Language", "X-TC-RequestClient"]
    );
}

#[test]
fn the_realm_limiter_holds_attempts_back() {
    let mut sim = Sim::new(api());
    for _ in 0..3 {
        sim.realm.limiters.reserve("AKIDTEST", "DescribeInstances", T0);
    }
    assert!(sim.run(&mut describe()).is_ok());
    let send_step = sim.steps.iter().find(|s| s.effects.iter().any(|e| matches!(e, Effect::Send { .. }))).unwrap();
    assert_eq!(send_step.now, T0 + 306.0, "behind three reservations of 102 ms");
    let waits: Vec<f64> = sim.logs().iter().filter(|l| l.event == LogEvent::RateLimitWait).map(|l| l.ms).collect();
    assert_eq!(waits, [306.0]);
    // Another action, or rateLimit: false, is not held back.
    let mut c = client();
    c.rate_limit = false;
    let mut sim = Sim::new(api());
    for _ in 0..3 {
        sim.realm.limiters.reserve("AKIDTEST", "DescribeInstances", T0);
    }
    assert!(sim.run(&mut call(c, "DescribeInstances")).is_ok());
    assert!(sim.sleeps().is_empty());
}

#[test]
fn abort_at_every_step_cancels_what_is_pending() {
    // (when, setup): during credentials, the limiter's wait, the send in flight, the backoff.
    type Setup = fn(&mut Sim);
    let cases: [(f64, Setup); 4] = [
        (T0, |_| {}),
        (T0 + 50.0, |s| {
            s.realm.limiters.reserve("AKIDTEST", "DescribeInstances", T0);
        }),
        (T0 + 5.0, |_| {}),
        (T0 + 30.0, |s| s.api.fault(None, None, FaultKind::Throttle, 1)),
    ];
    for (i, (at, setup)) in cases.into_iter().enumerate() {
        let mut sim = Sim::new(api());
        setup(&mut sim);
        sim.abort_at(at);
        let mut m = describe();
        sim.run(&mut m); // also checks that nothing was left pending
        let f = sim.failure();
        assert_eq!((f.error.code.as_ref(), f.error.kind), ("ClientError.Aborted", Kind::Aborted), "case {i}");
        assert_eq!(f.error.action.as_deref(), Some("DescribeInstances"));
        assert_eq!(f.cause.get::<&str>(), Some(&"user pressed stop"));
        assert_eq!(sim.now, at, "case {i}: settled at once");
        // Fed after the end, nothing happens.
        let mut out = Vec::new();
        m.handle(Event::Abort { reason: Opaque::none() }, &mut Cx::new(at, 0.5, &mut sim.realm, &mut out));
        m.handle(Event::Fired { id: 0 }, &mut Cx::new(at, 0.5, &mut sim.realm, &mut out));
        assert!(out.is_empty());
    }
}

#[test]
fn foreign_events_and_a_second_start_are_ignored() {
    let mut realm = Realm::default();
    let mut out = Vec::new();
    let mut m = describe();
    m.handle(Event::Start, &mut Cx::new(T0, 0.5, &mut realm, &mut out));
    assert_eq!(out.len(), 1);
    for e in [Event::Start, Event::Fired { id: 999 }, Event::Journaled { id: 0, result: Ok(()) }] {
        m.handle(e, &mut Cx::new(T0, 0.5, &mut realm, &mut out));
    }
    assert_eq!(out.len(), 1, "{out:?}");
}
