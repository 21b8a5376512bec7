//! The waiter's decisions, the schedule, reconciliation, Tencent times and batches.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use super::*;
use crate::error::{Kind, INVALID_ARGUMENT};

fn snap<'a>(state: &'a str, op: Option<&'a str>, op_state: Option<&'a str>, id: Option<&'a str>) -> Snapshot<'a> {
    Snapshot {
        instance_state: state,
        latest_operation: op,
        latest_operation_state: op_state,
        latest_operation_request_id: id,
        latest_operation_started_ms: None,
    }
}

#[test]
fn outcome_of_our_reset() {
    let r = Some("ResetInstance");
    let ok = snap("RUNNING", r, Some("SUCCESS"), Some("req-1"));
    assert_eq!(reset_outcome(&ok, Some("req-1")), Outcome::Succeeded);
    assert_eq!(reset_outcome(&ok, None), Outcome::Succeeded);
    let failed = snap("RUNNING", r, Some("FAILED"), Some("req-1"));
    assert_eq!(reset_outcome(&failed, Some("req-1")), Outcome::Failed);
    assert_eq!(reset_outcome(&failed, None), Outcome::Failed);
    for st in [Some("OPERATING"), None, Some(""), Some("success"), Some("UNKNOWN")] {
        assert_eq!(reset_outcome(&snap("RUNNING", r, st, Some("req-1")), Some("req-1")), Outcome::Pending);
    }
}

#[test]
fn foreign_or_other_operations_are_pending() {
    let r = Some("ResetInstance");
    for st in [Some("SUCCESS"), Some("FAILED"), Some("OPERATING")] {
        // An older or someone else's reset.
        assert_eq!(reset_outcome(&snap("RUNNING", r, st, Some("req-0")), Some("req-1")), Outcome::Pending);
        assert_eq!(reset_outcome(&snap("RUNNING", r, st, None), Some("req-1")), Outcome::Pending);
        // Another operation, finished or not, even with our id (it cannot be ours).
        let other = snap("RUNNING", Some("StartInstances"), st, Some("req-1"));
        assert_eq!(reset_outcome(&other, Some("req-1")), Outcome::Pending);
        assert_eq!(reset_outcome(&other, None), Outcome::Pending);
        assert_eq!(reset_outcome(&snap("RUNNING", None, st, None), None), Outcome::Pending);
    }
    let ok = snap("RUNNING", r, Some("SUCCESS"), Some(""));
    assert_eq!(reset_outcome(&ok, Some("")), Outcome::Succeeded);
    let ok = snap("RUNNING", r, Some("SUCCESS"), None);
    assert_eq!(reset_outcome(&ok, Some("")), Outcome::Pending);
    assert_eq!(reset_outcome(&Snapshot::default(), None), Outcome::Pending);
}

#[test]
fn idleness() {
    for state in ["RUNNING", "STOPPED"] {
        for op in [None, Some("SUCCESS"), Some("FAILED")] {
            assert!(is_idle(&snap(state, Some("ResetInstance"), op, None)), "{state} {op:?}");
        }
        assert!(!is_idle(&snap(state, Some("ResetInstance"), Some("OPERATING"), None)));
    }
    for state in ["PENDING", "STARTING", "STOPPING", "REBOOTING", "SHUTDOWN", "TERMINATING", "", "running"] {
        assert!(!is_idle(&snap(state, None, None, None)), "{state}");
    }
}

#[test]
fn default_schedule() {
    let d = Schedule::default();
    assert_eq!((d.min_delay_ms, d.max_delay_ms, d.max_wait_ms), (5_000.0, 30_000.0, 1_200_000.0));
}

#[test]
fn schedule_from_seconds() {
    let s = Schedule::new(1.0, 10.0, 60.0).unwrap();
    assert_eq!(s, Schedule { min_delay_ms: 1_000.0, max_delay_ms: 10_000.0, max_wait_ms: 60_000.0 });
    let s = Schedule::new(0.0, 0.0, 0.0).unwrap();
    assert_eq!(s, Schedule { min_delay_ms: 0.0, max_delay_ms: 0.0, max_wait_ms: 0.0 });
    assert!(Schedule::new(2.0, 2.0, 1.0).is_ok());
    assert_eq!(Schedule::from_options(None, None, None).unwrap(), Schedule::default());
    let s = Schedule::from_options(None, Some(2.0), None).unwrap();
    assert_eq!((s.min_delay_ms, s.max_delay_ms), (2_000.0, 2_000.0));
    let s = Schedule::from_options(Some(60.0), None, Some(5.0)).unwrap();
    assert_eq!((s.min_delay_ms, s.max_delay_ms, s.max_wait_ms), (60_000.0, 60_000.0, 5_000.0));
    let s = Schedule::from_options(Some(1.0), None, None).unwrap();
    assert_eq!((s.min_delay_ms, s.max_delay_ms), (1_000.0, 30_000.0));
}

#[test]
fn schedule_rejects_bad_numbers() {
    let bad = [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, -1.0, -1e-9, f64::MAX];
    let fields = ["minDelaySeconds", "maxDelaySeconds", "maxWaitSeconds"];
    for v in bad {
        for (i, field) in fields.iter().enumerate() {
            let mut args = [1.0, 2.0, 3.0];
            args[i] = v;
            let e = Schedule::new(args[0], args[1], args[2]).unwrap_err();
            assert_eq!(e.code, INVALID_ARGUMENT);
            assert_eq!(e.kind, Kind::InvalidInput);
            assert!(e.message.contains(field), "{v} {field}: {}", e.message);
        }
    }
    let e = Schedule::new(3.0, 2.0, 60.0).unwrap_err();
    assert_eq!(e.code, INVALID_ARGUMENT);
    assert!(e.message.contains("minDelaySeconds") && e.message.contains("maxDelaySeconds"));
}

#[test]
fn delays_back_off_with_jitter_between_bounds() {
    let s = Schedule::default();
    // unit 0 sits on the min, unit -> 1 on the growing ceiling.
    for attempt in [0, 1, 5, 100, u32::MAX] {
        assert_eq!(s.next_delay_ms(attempt, 0.0, 0.0), Some(5_000.0));
    }
    assert_eq!(s.next_delay_ms(0, 0.0, 0.999), Some(5_000.0));
    assert_eq!(s.next_delay_ms(1, 0.0, 0.5), Some(7_500.0));
    assert_eq!(s.next_delay_ms(2, 0.0, 0.5), Some(12_500.0));
    assert_eq!(s.next_delay_ms(3, 0.0, 0.5), Some(17_500.0));
    for attempt in [4, 31, 32, 1023, 1024, u32::MAX] {
        assert_eq!(s.next_delay_ms(attempt, 0.0, 0.5), Some(17_500.0));
        let top = s.next_delay_ms(attempt, 0.0, 1.0).unwrap();
        assert!(top < 30_000.0 && top > 29_999.0);
    }
    for unit in [f64::NAN, -1.0, f64::NEG_INFINITY] {
        assert_eq!(s.next_delay_ms(3, 0.0, unit), Some(5_000.0));
    }
    assert!(s.next_delay_ms(3, 0.0, f64::INFINITY).unwrap() < 30_000.0);
}

#[test]
fn delays_stop_at_the_deadline() {
    let s = Schedule::default();
    assert_eq!(s.next_delay_ms(0, 1_199_000.0, 0.0), Some(1_000.0));
    assert_eq!(s.next_delay_ms(0, 1_199_999.5, 0.0), Some(0.5));
    assert_eq!(s.next_delay_ms(0, 1_200_000.0, 0.0), None);
    assert_eq!(s.next_delay_ms(0, 1e300, 0.0), None);
    assert_eq!(s.next_delay_ms(0, f64::INFINITY, 0.0), None);
    assert_eq!(s.next_delay_ms(0, f64::NAN, 0.0), None);
    // A clock set back: as if nothing had elapsed.
    assert_eq!(s.next_delay_ms(0, -5_000.0, 0.0), Some(5_000.0));
    assert_eq!(s.next_delay_ms(0, f64::NEG_INFINITY, 0.0), Some(5_000.0));
    let zero = Schedule::new(1.0, 2.0, 0.0).unwrap();
    assert_eq!(zero.next_delay_ms(0, 0.0, 0.5), None);
}

#[test]
fn zero_min_still_backs_off() {
    let s = Schedule::new(0.0, 10.0, 60.0).unwrap();
    assert_eq!(s.next_delay_ms(0, 0.0, 0.5), Some(0.5));
    assert_eq!(s.next_delay_ms(10, 0.0, 0.5), Some(512.0));
    assert_eq!(s.next_delay_ms(40, 0.0, 0.5), Some(5_000.0));
    let s = Schedule::new(0.0, 0.0, 60.0).unwrap();
    assert_eq!(s.next_delay_ms(7, 0.0, 0.9), Some(0.0));
}

#[test]
fn hand_built_schedules_never_misbehave() {
    let odd = [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, -1.0, 0.0, 7.0, f64::MAX];
    for a in odd {
        for b in odd {
            for c in odd {
                let s = Schedule { min_delay_ms: a, max_delay_ms: b, max_wait_ms: c };
                for attempt in [0, 3, u32::MAX] {
                    if let Some(d) = s.next_delay_ms(attempt, 1.0, 0.7) {
                        assert!(d.is_finite() && d >= 0.0, "{a} {b} {c}: {d}");
                    }
                }
            }
        }
    }
    // max below min: min wins.
    let s = Schedule { min_delay_ms: 10.0, max_delay_ms: 1.0, max_wait_ms: 100.0 };
    assert_eq!(s.next_delay_ms(5, 0.0, 0.9), Some(10.0));
}

fn reset_at(started: Option<f64>) -> Snapshot<'static> {
    Snapshot {
        instance_state: "RUNNING",
        latest_operation: Some("ResetInstance"),
        latest_operation_state: Some("OPERATING"),
        latest_operation_request_id: Some("req-9"),
        latest_operation_started_ms: started,
    }
}

#[test]
fn reconciliation() {
    let t = 1_700_000_000_000.0;
    let a = SKEW_ALLOWANCE_MS;
    assert_eq!(reconcile_reset(&reset_at(Some(t + 2_000.0)), t, a), Reconciled::Happened);
    assert_eq!(reconcile_reset(&reset_at(Some(t)), t, 0.0), Reconciled::Happened);
    // Second-resolution start times and skew: within the allowance.
    assert_eq!(reconcile_reset(&reset_at(Some(t - 700.0)), t, 1_000.0), Reconciled::Happened);
    assert_eq!(reconcile_reset(&reset_at(Some(t - a)), t, a), Reconciled::Happened);
    // An earlier reset.
    assert_eq!(reconcile_reset(&reset_at(Some(t - a - 1.0)), t, a), Reconciled::NotHappened);
    assert_eq!(reconcile_reset(&reset_at(Some(t - 700.0)), t, 0.0), Reconciled::NotHappened);
    // Bad allowances count as none; an infinite one accepts any reset.
    assert_eq!(reconcile_reset(&reset_at(Some(t - 1.0)), t, f64::NAN), Reconciled::NotHappened);
    assert_eq!(reconcile_reset(&reset_at(Some(t - 1.0)), t, -5_000.0), Reconciled::NotHappened);
    assert_eq!(reconcile_reset(&reset_at(Some(0.0)), t, f64::INFINITY), Reconciled::Happened);
    // Cannot tell.
    for started in [None, Some(f64::NAN), Some(f64::INFINITY), Some(f64::NEG_INFINITY)] {
        assert_eq!(reconcile_reset(&reset_at(started), t, a), Reconciled::Undetermined);
    }
    for now in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        assert_eq!(reconcile_reset(&reset_at(Some(t)), now, a), Reconciled::Undetermined);
    }
    // The latest operation is something else: our reset did not happen.
    let mut other = reset_at(Some(t + 1.0));
    other.latest_operation = Some("StopInstances");
    assert_eq!(reconcile_reset(&other, t, a), Reconciled::NotHappened);
    other.latest_operation = None;
    assert_eq!(reconcile_reset(&other, t, a), Reconciled::NotHappened);
}

#[test]
fn tencent_times() {
    let p = parse_tencent_time;
    assert_eq!(p("1970-01-01T00:00:00Z"), Some(0.0));
    assert_eq!(p("2020-09-22T00:00:00Z"), Some(1_600_732_800_000.0));
    assert_eq!(p("2020-09-22T08:00:00+08:00"), Some(1_600_732_800_000.0));
    assert_eq!(p("2020-09-22T08:00:00+0800"), Some(1_600_732_800_000.0));
    assert_eq!(p("2020-09-21T19:30:00-04:30"), Some(1_600_732_800_000.0));
    assert_eq!(p("2020-09-22T00:00:00+00:00"), Some(1_600_732_800_000.0));
    assert_eq!(p("2020-09-22T00:00:00-00:00"), Some(1_600_732_800_000.0));
    assert_eq!(p("2020-09-22T00:00:00z"), Some(1_600_732_800_000.0));
    assert_eq!(p(" 2020-09-22T00:00:00Z\n"), Some(1_600_732_800_000.0));
    // Offsets that cross a day, a year and a leap day.
    assert_eq!(p("2024-01-01T07:59:59+08:00"), Some(1_704_067_199_000.0));
    assert_eq!(p("2024-01-01T08:00:00+08:00"), Some(1_704_067_200_000.0));
    assert_eq!(p("2024-03-01T00:30:00+01:00"), Some(1_709_249_400_000.0));
    assert_eq!(p("2024-02-29T23:30:00Z"), Some(1_709_249_400_000.0));
    assert_eq!(p("2000-02-29T00:00:00Z"), Some(951_782_400_000.0));
    // Fractions keep milliseconds.
    assert_eq!(p("2020-09-22T00:00:00.5Z"), Some(1_600_732_800_500.0));
    assert_eq!(p("2020-09-22T00:00:00.12Z"), Some(1_600_732_800_120.0));
    assert_eq!(p("2020-09-22T00:00:00.123Z"), Some(1_600_732_800_123.0));
    assert_eq!(p("2020-09-22T00:00:00.123999999999+08:00"), Some(1_600_704_000_123.0));
}

#[test]
fn tencent_times_rejected() {
    for s in [
        "",
        "Z",
        "2020-09-22",
        "2020-09-22T00:00:00",
        "2020-09-22 00:00:00",
        "2020-09-22 00:00:00Z",
        "2020-09-22t00:00:00Z",
        "2023-02-29T00:00:00Z",
        "1900-02-29T00:00:00Z",
        "2020-04-31T00:00:00Z",
        "2020-13-01T00:00:00Z",
        "2020-00-01T00:00:00Z",
        "2020-09-00T00:00:00Z",
        "2020-09-22T24:00:00Z",
        "2020-09-22T00:60:00Z",
        "2020-09-22T00:00:61Z",
        "2020-9-22T00:00:00Z",
        "+020-09-22T00:00:00Z",
        "2020-09-22T00:00:00ZZ",
        "2020-09-22T00:00:00UTC",
        "2020-09-22T00:00:00+8",
        "2020-09-22T00:00:00+08",
        "2020-09-22T00:00:00+08:0",
        "2020-09-22T00:00:00+08:000",
        "2020-09-22T00:00:00+24:00",
        "2020-09-22T00:00:00+08:60",
        "2020-09-22T00:00:00+0a:00",
        "2020-09-22T00:00:00+08-00",
        "2020-09-22T00:00:00.Z",
        "2020-09-22T00:00:00.",
        "2020-09-22T00:00:00.5",
        "2020-09-22T00:00:00,5Z",
        "2020-09-22T00:00:00é",
        "２020-09-22T00:00:00Z",
    ] {
        assert_eq!(parse_tencent_time(s), None, "{s}");
    }
}

#[test]
fn tencent_time_mutations_never_panic() {
    let good = "2020-09-22T08:00:00.123+08:00";
    for cut in 0..=good.len() {
        let ok = parse_tencent_time(&good[..cut]).is_some();
        assert_eq!(ok, cut == good.len(), "{}", &good[..cut]);
    }
    for i in 0..good.len() {
        for c in ["", "0", "9", " ", ":", "-", "+", "Z", ".", "é", "\u{0}", "99"] {
            let s = [&good[..i], c, &good[i + 1..]].concat();
            assert!(parse_tencent_time(&s).is_none_or(f64::is_finite), "{s}");
        }
    }
}

#[test]
fn batching() {
    let ids: Vec<String> = (0..250).map(|i| i.to_string()).collect();
    let sizes: Vec<usize> = batches(&ids, DESCRIBE_MAX_IDS).map(<[String]>::len).collect();
    assert_eq!(sizes, [100, 100, 50]);
    let sizes: Vec<usize> = batches(&ids[..3], 0).map(<[String]>::len).collect();
    assert_eq!(sizes, [1, 1, 1]);
    assert_eq!(batches(&[], 100).count(), 0);
    assert_eq!(batches(&ids, usize::MAX).count(), 1);
    let flat: Vec<&String> = batches(&ids, 7).flatten().collect();
    assert_eq!(flat.len(), 250);
    assert!(flat.iter().zip(&ids).all(|(a, b)| *a == b));
}
