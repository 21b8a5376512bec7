//! The exactly-once reset: lost answers reconciled through DescribeInstances, resends only when
//! the reset certainly did not happen, time-outs watched until the request may have landed, the
//! journal's order, resuming a journaled intent, and abort at every step.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod support;

use support::{client, rc, FakeApi, FaultKind, Sim, T0};
use tc3_lighthouse_core::error::Kind;
use tc3_lighthouse_core::machine::{CallOptions, Client, Effect, Event, JournalState, LogEvent, Reset};

const ID: &str = "lhins-ruy9d2tw";

fn api() -> FakeApi {
    FakeApi::with(&[(ID, "RUNNING")])
}

fn reset_with(c: Client) -> Reset {
    Reset::new(rc(c), ID, r#"{"InstanceId":"lhins-ruy9d2tw"}"#, CallOptions::default())
}

fn reset() -> Reset {
    reset_with(client())
}

/// Every ResetInstance after the first comes after a DescribeInstances that followed the previous one.
fn assert_no_blind_resend(api: &FakeApi) {
    let mut since_last: Option<bool> = None;
    for l in api.log.iter().filter(|l| l.fault != Some(FaultKind::Landing)) {
        match l.action.as_str() {
            "ResetInstance" => {
                assert_ne!(since_last, Some(false), "a ResetInstance resent without reconciling: {:?}", api.log);
                since_last = Some(false);
            }
            "DescribeInstances" => since_last = since_last.map(|_| true),
            _ => {}
        }
    }
}

#[test]
fn an_answered_reset_is_one_request() {
    let mut sim = Sim::new(api());
    sim.run(&mut reset());
    assert_eq!(sim.request_id(), "req-0001");
    assert_eq!(sim.api.log.len(), 1);
    assert!(sim.effects().all(|e| !matches!(e, Effect::Journal { .. })), "no journal unless asked");
}

#[test]
fn a_lost_answer_is_reconciled_not_resent() {
    for times in [1, 100] {
        let mut sim = Sim::new(api());
        sim.api.fault(Some("ResetInstance"), None, FaultKind::AnswerLost, times);
        sim.run(&mut reset());
        assert_eq!(sim.api.entries("ResetInstance").len(), 1, "not resent");
        let effective = sim.api.effective_resets();
        assert_eq!(effective.len(), 1);
        assert_eq!(sim.request_id(), effective[0].request_id.as_deref().unwrap());
        let events: Vec<LogEvent> = sim.logs().iter().map(|l| l.event).filter(|e| *e != LogEvent::Attempt).collect();
        assert_eq!(events, [LogEvent::ReconcileStarted, LogEvent::ReconciledHappened]);
        let started = sim.logs().into_iter().find(|l| l.event == LogEvent::ReconcileStarted).unwrap();
        assert_eq!(started.code.as_deref(), Some("ClientError.Network"));
        // The reconciling poll asks for the one instance.
        assert_eq!(sim.api.entries("DescribeInstances")[0].ids, [ID]);
        assert!(sim.sends_of("DescribeInstances")[0].instances);
    }
}

#[test]
fn a_reset_that_certainly_did_not_happen_is_resent_after_reconciling() {
    for fault in [FaultKind::ConnectionReset, FaultKind::Html500(false)] {
        let mut sim = Sim::new(api());
        sim.api.fault(Some("ResetInstance"), None, fault.clone(), 1);
        sim.run(&mut reset());
        assert_no_blind_resend(&sim.api);
        assert_eq!(sim.api.entries("ResetInstance").len(), 2, "{fault:?}");
        let effective = sim.api.effective_resets();
        assert_eq!(effective.len(), 1);
        assert_eq!(sim.request_id(), effective[0].request_id.as_deref().unwrap());
        assert!(sim.logs().iter().any(|l| l.event == LogEvent::ReconciledNotHappened));
    }
    // A gateway error after the reset took effect: found, not resent.
    let mut sim = Sim::new(api());
    sim.api.fault(Some("ResetInstance"), None, FaultKind::Html500(true), 1);
    sim.run(&mut reset());
    assert_eq!(sim.api.entries("ResetInstance").len(), 1);
    assert_eq!(sim.request_id(), sim.api.effective_resets()[0].request_id.as_deref().unwrap());
}

#[test]
fn resends_are_bounded_by_max_attempts() {
    for max in [1, 3, 5] {
        let mut sim = Sim::new(api());
        sim.api.fault(Some("ResetInstance"), None, FaultKind::ConnectionReset, 100);
        let mut c = client();
        c.policy.max_attempts = max;
        sim.run(&mut reset_with(c));
        let f = sim.failure();
        assert_eq!((f.error.code.as_ref(), f.error.action.as_deref()), ("ClientError.Network", Some("ResetInstance")));
        assert_eq!(sim.api.entries("ResetInstance").len(), max as usize);
        assert_no_blind_resend(&sim.api);
        assert!(sim.api.effective_resets().is_empty());
    }
}

#[test]
fn a_timed_out_reset_is_watched_until_it_may_have_landed() {
    // Held 1.5 s by the server, taking effect then; the client gives up after 150 ms.
    let mut sim = Sim::new(api());
    sim.api.fault(Some("ResetInstance"), None, FaultKind::Slow(1_500.0), 100);
    let mut c = client();
    c.timeout_ms = Some(150.0);
    sim.run(&mut reset_with(c.clone()));
    assert_eq!(sim.api.entries("ResetInstance").len(), 1);
    let effective = sim.api.effective_resets();
    assert_eq!(effective.len(), 1);
    assert_eq!(sim.request_id(), effective[0].request_id.as_deref().unwrap());
    // Never lands: after the patience (max(2 x 150, 5000) ms), a Timeout; with maxAttempts 1 no resend.
    let mut sim = Sim::new(api());
    sim.api.fault(Some("ResetInstance"), None, FaultKind::Slow(60_000.0), 100);
    c.policy.max_attempts = 1;
    sim.run(&mut reset_with(c.clone()));
    let f = sim.failure();
    assert_eq!((f.error.code.as_ref(), f.error.kind), ("ClientError.Timeout", Kind::Timeout));
    assert_eq!(sim.api.log.iter().filter(|l| l.action == "ResetInstance").count(), 0, "still held");
    assert!(sim.now >= T0 + 5_150.0, "watched for the whole patience");
    sim.settle();
    assert_eq!(sim.api.entries("ResetInstance").len(), 1);
    // Held 1 s, the operation finishing at once: no resend while it may still be in flight.
    let mut sim = Sim::new(api());
    sim.api.operating_polls = 0;
    sim.api.fault(Some("ResetInstance"), None, FaultKind::Slow(1_000.0), 1);
    c.policy.max_attempts = 3;
    sim.run(&mut reset_with(c));
    sim.settle();
    assert_eq!(sim.api.entries("ResetInstance").len(), 1);
    assert_eq!(sim.api.effective_resets().len(), 1);
}

#[test]
fn busy_after_a_lost_answer_is_our_own_reset_at_work() {
    // The first attempt's connection breaks, yet it lands 50 ms later: the first look says "not
    // happened", the resend is refused as busy, and the second look finds the first reset.
    let mut sim = Sim::new(api());
    sim.api.fault(Some("ResetInstance"), None, FaultKind::LandsLater(50.0), 1);
    sim.run(&mut reset());
    let effective = sim.api.effective_resets();
    assert_eq!(effective.len(), 1);
    assert_eq!(sim.request_id(), effective[0].request_id.as_deref().unwrap());
    let sent: Vec<_> =
        sim.api.entries("ResetInstance").into_iter().filter(|l| l.fault != Some(FaultKind::Landing)).collect();
    let codes: Vec<_> = sent.iter().map(|l| l.code.clone()).collect();
    assert_eq!(codes, [None, Some("UnsupportedOperation.LatestOperationUnfinished".to_owned())]);
    assert_no_blind_resend(&sim.api);
    // Without an earlier lost answer, busy is the caller's business: surfaced, not reconciled.
    let mut sim = Sim::new(api());
    sim.api.set_operation(ID, "ResetInstance", "OPERATING", "someone-else", T0 - 5_000.0);
    sim.run(&mut reset());
    assert_eq!(sim.failure().error.kind, Kind::Busy);
    assert!(sim.api.entries("DescribeInstances").is_empty());
}

#[test]
fn whose_reset_it_is_depends_on_when_it_started() {
    // An earlier reset (more than the skew allowance before our attempt) is not ours: resent.
    let mut sim = Sim::new(api());
    sim.api.set_operation(ID, "ResetInstance", "SUCCESS", "old-one", T0 - 120_000.0);
    sim.api.fault(Some("ResetInstance"), None, FaultKind::ConnectionReset, 1);
    sim.run(&mut reset());
    assert_eq!(sim.api.effective_resets().len(), 1);
    assert_ne!(sim.request_id(), "old-one");
    // One that started within the allowance is taken for ours (it would have refused ours as busy).
    let mut sim = Sim::new(api());
    sim.api.set_operation(ID, "ResetInstance", "OPERATING", "close-one", T0 - 30_000.0);
    sim.api.fault(Some("ResetInstance"), None, FaultKind::ConnectionReset, 1);
    sim.run(&mut reset());
    assert_eq!(sim.request_id(), "close-one");
    assert_eq!(sim.api.entries("ResetInstance").len(), 1);
    // The offset learnt for the host moves "our attempt" to the server's clock.
    let mut sim = Sim::new(api());
    sim.realm.set_clock_offset("lighthouse.tencentcloudapi.com", -200_000.0);
    sim.api.clock_offset_ms = -200_000.0;
    sim.api.set_operation(ID, "ResetInstance", "SUCCESS", "old-one", T0 - 120_000.0);
    sim.api.fault(Some("ResetInstance"), None, FaultKind::ConnectionReset, 1);
    sim.run(&mut reset());
    assert_eq!(sim.request_id(), "old-one", "in server time it started after our attempt");
}

#[test]
fn reconciliation_that_cannot_tell_fails_after_more_than_three_looks() {
    // A ResetInstance without a start time, or an instance missing from the listing.
    let mut sim = Sim::new(api());
    sim.api.set_operation(ID, "ResetInstance", "OPERATING", "x", T0);
    sim.api.instance(ID).op_started = None;
    sim.api.fault(Some("ResetInstance"), None, FaultKind::ConnectionReset, 1);
    sim.run(&mut reset());
    let f = sim.failure();
    assert_eq!((f.error.code.as_ref(), f.error.action.as_deref()), ("ClientError.Network", Some("ResetInstance")));
    assert!(f.error.message.contains("could not tell"), "{}", f.error.message);
    assert_eq!(sim.api.entries("DescribeInstances").len(), 4);
    let mut sim = Sim::new(api());
    sim.api.hide(ID, 10);
    sim.api.fault(Some("ResetInstance"), None, FaultKind::ConnectionReset, 1);
    sim.run(&mut reset());
    assert!(sim.failure().error.message.contains("could not tell"));
    assert_eq!(sim.api.entries("DescribeInstances").len(), 4);
    assert_eq!(sim.api.entries("ResetInstance").len(), 1);
    // A poll that fails for good ends the reconciliation with its error, nothing resent.
    let mut sim = Sim::new(api());
    sim.api.fault(Some("ResetInstance"), None, FaultKind::ConnectionReset, 1);
    sim.api.fault(Some("DescribeInstances"), None, FaultKind::ServiceError("UnauthorizedOperation.NoPermission"), 1);
    sim.run(&mut reset());
    assert_eq!(sim.failure().error.code, "UnauthorizedOperation.NoPermission");
    assert_eq!(sim.api.entries("ResetInstance").len(), 1);
}

#[test]
fn the_journal_holds_the_intent_before_the_send_and_the_request_id_before_done() {
    let mut sim = Sim::new(api());
    sim.run(&mut reset().with_journal());
    let states: Vec<_> = sim.journal.iter().map(|e| (e.state, e.request_id.clone())).collect();
    assert_eq!(states, [(JournalState::Intent, None), (JournalState::Sent, Some("req-0001".into()))]);
    assert!(sim.journal.iter().all(|e| e.instance_id == ID));
    // Step by step: intent asked, confirmed, then (in that very step) the send.
    let step_of = |pred: &dyn Fn(&Effect) -> bool| sim.steps.iter().position(|s| s.effects.iter().any(pred)).unwrap();
    let intent = step_of(&|e| matches!(e, Effect::Journal { entry, .. } if entry.state == JournalState::Intent));
    let send = step_of(&|e| matches!(e, Effect::Send { .. }));
    let sent = step_of(&|e| matches!(e, Effect::Journal { entry, .. } if entry.state == JournalState::Sent));
    let confirmed = sim.steps.iter().position(|s| s.event.starts_with("Journaled")).unwrap();
    assert!(intent < confirmed && confirmed < send && send < sent, "sent only once the intent is on disk");
    assert!(sim.steps.last().unwrap().event.starts_with("Journaled"), "done once the RequestId is on disk");
    // An intent that cannot be written sends nothing.
    let mut sim = Sim::new(api());
    sim.journal_fails = true;
    sim.run(&mut reset().with_journal());
    assert_eq!(sim.failure().error.code, "ClientError.Journal");
    assert!(sim.sends().is_empty());
}

#[test]
fn a_journaled_intent_is_reconciled_before_anything_is_sent() {
    // The earlier run's reset took effect: nothing is sent, its RequestId is the result.
    let mut sim = Sim::new(api());
    sim.api.set_operation(ID, "ResetInstance", "OPERATING", "from-last-run", T0 - 2_000.0);
    sim.run(&mut reset().resuming(T0 - 3_000.0));
    assert_eq!(sim.request_id(), "from-last-run");
    assert!(sim.api.entries("ResetInstance").is_empty());
    // It did not: sent once.
    let mut sim = Sim::new(api());
    sim.run(&mut reset().resuming(T0 - 3_000.0));
    assert_eq!(sim.api.entries("ResetInstance").len(), 1);
    assert_eq!(sim.request_id(), sim.api.effective_resets()[0].request_id.as_deref().unwrap());
}

#[test]
fn abort_at_every_step_of_a_reset() {
    type Setup = fn(&mut Sim);
    // During the intent's write, the call, the reconciling poll, the backoff before a resend, the
    // second look's sleep, and the "sent" write.
    let cases: [(f64, Setup); 6] = [
        (T0 + 0.5, |_| {}),
        (T0 + 5.0, |_| {}),
        (T0 + 15.0, |s| s.api.fault(Some("ResetInstance"), None, FaultKind::ConnectionReset, 1)),
        (T0 + 40.0, |s| s.api.fault(Some("ResetInstance"), None, FaultKind::ConnectionReset, 1)),
        (T0 + 40.0, |s| {
            s.api.set_operation(ID, "ResetInstance", "OPERATING", "x", T0);
            s.api.instance(ID).op_started = None;
            s.api.fault(Some("ResetInstance"), None, FaultKind::ConnectionReset, 1);
        }),
        (T0 + 11.0 + 0.5, |_| {}),
    ];
    for (i, (at, setup)) in cases.into_iter().enumerate() {
        let mut sim = Sim::new(api());
        setup(&mut sim);
        sim.abort_at(at);
        let journal = i == 0 || i == 5;
        let mut m = if journal { reset().with_journal() } else { reset() };
        sim.run(&mut m);
        let f = sim.failure();
        assert_eq!(f.error.code, "ClientError.Aborted", "case {i}: {:?}", sim.steps.last());
        assert_eq!(f.error.action.as_deref(), Some("ResetInstance"));
        assert_eq!(sim.now, at, "case {i}");
        assert!(sim.steps.last().unwrap().event.starts_with("Abort"), "case {i}");
        let sends_after = sim.steps.last().unwrap().effects.iter().any(|e| matches!(e, Effect::Send { .. }));
        assert!(!sends_after, "case {i}");
    }
    // Already aborted: nothing asked for at all.
    let mut sim = Sim::new(api());
    let mut m = reset();
    sim.feed(&mut m, Event::Abort { reason: tc3_lighthouse_core::machine::Opaque::none() });
    assert!(matches!(sim.steps[0].effects.last(), Some(Effect::Failed(_))));
}
