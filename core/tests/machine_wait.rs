//! The waits: progress on every poll with the right attempt and elapsed time, SUCCESS only for
//! our RequestId, FAILED, the deadline (never slept past), the missing-instance rule, passing poll
//! failures, waitForIdle with one progress sequence, busy instances, abort.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod support;

use support::{client, rc, FakeApi, FaultKind, Sim, T0};
use tc3_lighthouse_core::error::Kind;
use tc3_lighthouse_core::machine::{CallOptions, Client, Effect, Reset, Wait, WaitOptions};
use tc3_lighthouse_core::waiter::Schedule;

const RUNNING: &str = "lhins-ruy9d2tw";
const STOPPED: &str = "lhins-s7h2u9tf";
const PENDING: &str = "lhins-p3n9x1ca";
const BODY: &str = r#"{"InstanceId":"lhins-ruy9d2tw"}"#;

fn api() -> FakeApi {
    FakeApi::with(&[(RUNNING, "RUNNING"), (STOPPED, "STOPPED"), (PENDING, "PENDING")])
}

/// `minDelaySeconds` 0.05, `maxDelaySeconds` 0.2, with progress.
fn fast() -> WaitOptions {
    WaitOptions { schedule: Schedule::new(0.05, 0.2, 1_200.0).unwrap(), progress: true, ..WaitOptions::default() }
}

fn unlimited() -> Client {
    let mut c = client();
    c.rate_limit = false;
    c
}

fn reset_and_wait(opts: WaitOptions) -> Wait {
    Wait::reset_and_wait(rc(unlimited()), RUNNING, BODY, opts)
}

/// One progress event per poll that listed the instance, `attempt` counting every poll from
/// `skipped`, elapsed never going back.
fn assert_progress(sim: &Sim, id: &str, polls: usize, skipped: u32) {
    let events = sim.progress();
    assert_eq!(events.len(), polls, "one progress event per poll that listed the instance");
    for (i, e) in events.iter().enumerate() {
        assert_eq!(e.instance_id, id);
        assert_eq!(e.attempt, i as u32 + skipped);
        assert!(e.elapsed_ms >= 0.0);
        if i > 0 {
            assert!(e.elapsed_ms >= events[i - 1].elapsed_ms);
        }
        let shown = support::api::shown(&e.instance);
        assert_eq!(shown.op_state, e.latest_operation_state);
        assert_eq!(shown.state, e.instance_state);
    }
}

#[test]
fn reset_and_wait_reports_every_poll_and_ends_on_our_success() {
    let mut sim = Sim::new(api());
    sim.run(&mut reset_and_wait(fast()));
    let effective = sim.api.effective_resets();
    assert_eq!((effective.len(), sim.api.entries("ResetInstance").len()), (1, 1));
    let inst = sim.instance();
    assert_eq!((inst.op.as_deref(), inst.op_state.as_deref()), (Some("ResetInstance"), Some("SUCCESS")));
    assert_eq!(inst.op_rid, effective[0].request_id);
    // operating_polls 2: OPERATING, OPERATING, SUCCESS.
    assert_eq!(sim.api.entries("DescribeInstances").len(), 3);
    assert_progress(&sim, RUNNING, 3, 0);
    let states: Vec<_> = sim.progress().iter().map(|e| e.latest_operation_state.clone().unwrap()).collect();
    assert_eq!(states, ["OPERATING", "OPERATING", "SUCCESS"]);
    // The first poll at once after the reset; then the schedule's delays at unit 0.5: 50, 75.
    assert_eq!(sim.sleeps(), [50.0, 75.0]);
    let elapsed: Vec<f64> = sim.progress().iter().map(|e| e.elapsed_ms).collect();
    assert_eq!(elapsed, [20.0, 80.0, 165.0]);
    // Without onProgress, no progress effects.
    let mut sim = Sim::new(api());
    sim.run(&mut reset_and_wait(WaitOptions { progress: false, ..fast() }));
    assert!(sim.progress().is_empty());
}

#[test]
fn wait_until_reset_with_the_request_id() {
    let mut sim = Sim::new(api());
    sim.api.operating_polls = 3;
    sim.run(&mut Reset::new(rc(unlimited()), RUNNING, BODY, CallOptions::default()));
    let rid = sim.request_id().to_owned();
    sim.result = None;
    sim.steps.clear();
    sim.run(&mut Wait::until_reset(rc(unlimited()), RUNNING, Some(rid.clone()), fast()));
    assert_eq!(sim.instance().op_rid.as_deref(), Some(rid.as_str()));
    assert_progress(&sim, RUNNING, 4, 0);
    // Without a RequestId any ResetInstance counts, an older one included.
    sim.result = None;
    sim.run(&mut Wait::until_reset(rc(unlimited()), RUNNING, None, fast()));
    assert_eq!(sim.instance().op_state.as_deref(), Some("SUCCESS"));
}

#[test]
fn a_failed_reset_fails_the_wait_with_what_was_seen() {
    let mut sim = Sim::new(api());
    sim.api.fail_next_reset(RUNNING);
    sim.run(&mut reset_and_wait(fast()));
    let rid = sim.api.effective_resets()[0].request_id.clone();
    let f = sim.failure();
    assert_eq!((f.error.code.as_ref(), f.error.kind), ("WaiterError.OperationFailed", Kind::Waiter));
    assert_eq!(f.error.request_id, rid);
    let w = f.waited.as_ref().unwrap();
    assert_eq!(w.attempts, 3);
    assert!(w.elapsed_ms > 0.0);
    let shown = support::api::shown(&w.instance);
    assert_eq!((shown.op_state.as_deref(), shown.op_rid.clone()), (Some("FAILED"), rid));
    assert_eq!(sim.progress().last().unwrap().latest_operation_state.as_deref(), Some("FAILED"));
    // An old FAILED reset, by its RequestId or without one.
    for rid in [Some("old-failed".to_owned()), None] {
        let mut sim = Sim::new(api());
        sim.api.set_operation(RUNNING, "ResetInstance", "FAILED", "old-failed", T0 - 1e6);
        sim.run(&mut Wait::until_reset(rc(unlimited()), RUNNING, rid, fast()));
        assert_eq!(sim.failure().error.code, "WaiterError.OperationFailed");
        assert_eq!(sim.failure().error.request_id.as_deref(), Some("old-failed"));
    }
}

#[test]
fn a_reset_that_never_finishes_times_out_on_the_deadline_never_past_it() {
    let mut sim = Sim::new(api());
    sim.api.operating_polls = u32::MAX - 1;
    let opts = WaitOptions { schedule: Schedule::new(0.05, 0.1, 0.6).unwrap(), ..fast() };
    let started = sim.now;
    sim.run(&mut reset_and_wait(opts));
    let f = sim.failure();
    assert_eq!((f.error.code.as_ref(), f.error.kind), ("WaiterError.Timeout", Kind::Waiter));
    let w = f.waited.as_ref().unwrap();
    assert!(w.elapsed_ms >= 600.0 && w.elapsed_ms <= 620.0, "{}", w.elapsed_ms);
    assert_eq!(w.attempts as usize, sim.api.entries("DescribeInstances").len());
    let shown = support::api::shown(&w.instance);
    assert_eq!(shown.op_state.as_deref(), Some("OPERATING"));
    assert_eq!(shown.op_rid, sim.api.effective_resets()[0].request_id);
    // Every sleep ends by the deadline; the last one lands on it.
    for step in &sim.steps {
        for e in &step.effects {
            if let Effect::Sleep { ms, .. } = e {
                assert!(step.now + ms <= started + 600.0 + 1e-9, "slept past maxWait");
            }
        }
    }
    let last_sleep = sim.steps.iter().rev().find_map(|s| {
        s.effects.iter().find_map(|e| match e {
            Effect::Sleep { ms, .. } => Some(s.now + ms),
            _ => None,
        })
    });
    assert_eq!(last_sleep, Some(started + 600.0));
}

#[test]
fn someone_elses_reset_is_never_success() {
    let opts = WaitOptions { schedule: Schedule::new(0.05, 0.1, 0.5).unwrap(), ..fast() };
    // The latest reset is someone else's, in SUCCESS.
    let mut sim = Sim::new(api());
    sim.api.set_operation(RUNNING, "ResetInstance", "SUCCESS", "foreign", T0);
    sim.run(&mut Wait::until_reset(rc(unlimited()), RUNNING, Some("ours".into()), opts.clone()));
    assert_eq!(sim.failure().error.code, "WaiterError.Timeout");
    // Another operation in SUCCESS, even carrying our RequestId.
    let mut sim = Sim::new(api());
    sim.api.set_operation(RUNNING, "RebootInstances", "SUCCESS", "ours", T0);
    sim.run(&mut Wait::until_reset(rc(unlimited()), RUNNING, Some("ours".into()), opts));
    assert_eq!(sim.failure().error.code, "WaiterError.Timeout");
    assert_eq!(support::api::shown(&sim.failure().waited.as_ref().unwrap().instance).op_rid.as_deref(), Some("ours"));
}

#[test]
fn missing_instances_are_tolerated_three_times_in_a_row() {
    for times in [1, 2, 3] {
        let mut sim = Sim::new(api());
        sim.api.hide(RUNNING, times);
        sim.run(&mut reset_and_wait(fast()));
        assert_eq!(sim.instance().op_state.as_deref(), Some("SUCCESS"), "hidden {times}");
        assert_eq!(sim.api.entries("DescribeInstances").len(), times as usize + 3);
        assert_progress(&sim, RUNNING, 3, times);
    }
    // A fourth miss in a row ends the wait.
    let mut sim = Sim::new(api());
    sim.api.hide(RUNNING, 10);
    sim.run(&mut reset_and_wait(fast()));
    let f = sim.failure();
    assert_eq!((f.error.code.as_ref(), f.error.kind), ("ResourceNotFound.InstanceNotFound", Kind::NotFound));
    assert_eq!(f.error.action.as_deref(), Some("DescribeInstances"));
    assert_eq!(sim.api.entries("DescribeInstances").len(), 4);
    assert!(sim.progress().is_empty());
    assert_eq!(sim.api.effective_resets().len(), 1);
    // Reappearing starts the count again.
    let mut sim = Sim::new(api());
    sim.api.operating_polls = 8;
    sim.api.hide_pattern(RUNNING, "HHHVHHHVHHHV");
    sim.run(&mut reset_and_wait(fast()));
    assert_eq!(sim.instance().op_state.as_deref(), Some("SUCCESS"));
    let attempts: Vec<u32> = sim.progress().iter().map(|e| e.attempt).collect();
    assert_eq!(attempts[..4], [3, 7, 11, 12], "seen on polls 3, 7 and 11, missed in between");
}

#[test]
fn passing_poll_failures_are_ridden_out_terminal_ones_end_the_wait() {
    // One whole poll throttled (every attempt of its call): the next poll carries on.
    let mut sim = Sim::new(api());
    sim.api.fault(Some("DescribeInstances"), None, FaultKind::Throttle, 3);
    sim.run(&mut reset_and_wait(fast()));
    assert_eq!(sim.instance().op_state.as_deref(), Some("SUCCESS"));
    assert_eq!(sim.api.entries("DescribeInstances").len(), 3 + 3);
    // Polls that failed count as attempts of the wait.
    assert_progress(&sim, RUNNING, 3, 1);
    let mut sim = Sim::new(api());
    sim.api.fault(Some("DescribeInstances"), None, FaultKind::ServiceError("UnauthorizedOperation.NoPermission"), 1);
    sim.run(&mut reset_and_wait(fast()));
    assert_eq!(sim.failure().error.code, "UnauthorizedOperation.NoPermission");
}

#[test]
fn wait_for_idle_polls_until_idle_then_resets_once_in_one_progress_sequence() {
    let mut sim = Sim::new(api());
    sim.api.set_operation(RUNNING, "ResetInstance", "OPERATING", "someone-else", T0 - 1_000.0);
    sim.api.finish_after(RUNNING, 2);
    sim.run(&mut reset_and_wait(WaitOptions { wait_for_idle: true, ..fast() }));
    let resets = sim.api.entries("ResetInstance");
    assert_eq!(resets.len(), 1, "no busy attempt: sent once idle");
    assert_eq!(resets[0].code, None);
    let inst = sim.instance();
    assert_eq!(inst.op_rid, resets[0].request_id);
    let first_reset = sim.api.log.iter().position(|l| l.action == "ResetInstance").unwrap();
    assert_eq!(first_reset, 3, "three idle polls first");
    let events = sim.progress();
    assert_eq!(events.len(), 6);
    assert_eq!(events[0].latest_operation_state.as_deref(), Some("OPERATING"));
    assert_eq!(support::api::shown(&events[0].instance).op_rid.as_deref(), Some("someone-else"));
    assert_progress(&sim, RUNNING, 6, 0);
    // An idle instance: one look, then the reset.
    let mut sim = Sim::new(api());
    sim.run(&mut Wait::reset_and_wait(
        rc(unlimited()),
        STOPPED,
        BODY.replace(RUNNING, STOPPED),
        WaitOptions { wait_for_idle: true, ..fast() },
    ));
    assert_eq!(sim.api.log[0].action, "DescribeInstances");
    assert_eq!(sim.api.log[1].action, "ResetInstance");
    // Refused as busy anyway (someone was quicker): back to waiting for idle, then reset.
    let mut sim = Sim::new(api());
    sim.api.fault(
        Some("ResetInstance"),
        None,
        FaultKind::ServiceError("OperationDenied.InstanceOperationInProgress"),
        1,
    );
    sim.run(&mut reset_and_wait(WaitOptions { wait_for_idle: true, ..fast() }));
    assert_eq!(sim.api.entries("ResetInstance").len(), 2);
    assert_eq!(sim.api.effective_resets().len(), 1);
    assert_progress(&sim, RUNNING, sim.progress().len(), 0);
}

#[test]
fn without_wait_for_idle_a_busy_instance_fails_and_is_not_reset() {
    let mut sim = Sim::new(api());
    sim.api.set_operation(RUNNING, "ResetInstance", "OPERATING", "someone-else", T0);
    sim.run(&mut reset_and_wait(fast()));
    let f = sim.failure();
    assert_eq!((f.error.code.as_ref(), f.error.kind), ("UnsupportedOperation.LatestOperationUnfinished", Kind::Busy));
    assert_eq!(f.error.action.as_deref(), Some("ResetInstance"));
    assert_eq!(sim.api.entries("ResetInstance").len(), 1);
    assert!(sim.api.effective_resets().is_empty());
    let mut sim = Sim::new(api());
    sim.run(&mut Wait::reset_and_wait(rc(unlimited()), PENDING, BODY.replace(RUNNING, PENDING), fast()));
    assert_eq!(sim.failure().error.code, "OperationDenied.InstanceCreating");
}

#[test]
fn abort_mid_wait_settles_at_once() {
    let slow = WaitOptions { schedule: Schedule::new(5.0, 5.0, 1_200.0).unwrap(), ..fast() };
    // During the sleep after the first poll, during a poll in flight, during the reset.
    for at in [T0 + 2_000.0, T0 + 5_025.0, T0 + 5.0] {
        let mut sim = Sim::new(api());
        sim.api.operating_polls = 1_000;
        sim.abort_at(at);
        sim.run(&mut reset_and_wait(slow.clone()));
        let f = sim.failure();
        assert_eq!((f.error.code.as_ref(), f.error.kind), ("ClientError.Aborted", Kind::Aborted));
        assert_eq!(f.cause.get::<&str>(), Some(&"user pressed stop"));
        assert_eq!(sim.now, at);
        let polls_before = sim.api.entries("DescribeInstances").len();
        sim.settle();
        assert!(sim.api.entries("DescribeInstances").len() <= polls_before + 1, "nothing sent after the abort");
    }
}
