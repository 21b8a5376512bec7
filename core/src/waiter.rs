//! The decisions of the reset waiter and of reconciliation: what a DescribeInstances snapshot says
//! about a reset, how long to sleep between polls, and whether a ResetInstance whose answer was lost
//! took effect.
//!
//! ```
//! use tc3_lighthouse_core::waiter::{reset_outcome, Outcome, Schedule, Snapshot};
//! let s = Snapshot {
//!     instance_state: "RUNNING",
//!     latest_operation: Some("ResetInstance"),
//!     latest_operation_state: Some("SUCCESS"),
//!     latest_operation_request_id: Some("req-1"),
//!     latest_operation_started_ms: None,
//! };
//! assert_eq!(reset_outcome(&s, Some("req-1")), Outcome::Succeeded);
//! // Someone else's reset is never ours.
//! assert_eq!(reset_outcome(&s, Some("req-2")), Outcome::Pending);
//! // Polls back off between 5 and 30 s, and never sleep past the 20-minute deadline.
//! let schedule = Schedule::default();
//! assert_eq!(schedule.next_delay_ms(0, 0.0, 0.0), Some(5_000.0));
//! assert_eq!(schedule.next_delay_ms(9, 1_199_000.0, 0.9), Some(1_000.0));
//! assert_eq!(schedule.next_delay_ms(9, 1_200_000.0, 0.9), None);
//! ```

use crate::error::Error;
use crate::retry::{clamp_unit, non_negative, pow2};
use tc3_lighthouse_signer::calendar::{civil_ms, digits};

/// The `LatestOperation` of a reset.
const RESET: &str = "ResetInstance";

/// Most InstanceIds one DescribeInstances call accepts.
pub const DESCRIBE_MAX_IDS: usize = 100;

/// Consecutive polls an instance may be missing from DescribeInstances before the waiter fails with
/// `ResourceNotFound.InstanceNotFound`: the listing is eventually consistent and can briefly drop an
/// instance that is being reset, so one miss is no proof, while three consecutive polls, spread by
/// the backoff, are.
pub const MISSING_TOLERANCE: u32 = 3;

/// A suggested `skew_allowance_ms` for [`reconcile_reset`]. `LatestOperationStartedTime` has
/// one-second resolution and comes from the server's clock, so the allowance must cover the
/// truncation, the local clock's error and the request's transit. Generosity is cheap: a reset that
/// started within a minute before our attempt is still OPERATING (resets take minutes), so ours was
/// refused anyway and that reset is the one to wait for. Too small is benign too: the resend is
/// refused as busy rather than resetting twice.
pub const SKEW_ALLOWANCE_MS: f64 = 60_000.0;

/// What DescribeInstances says of one instance.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Snapshot<'a> {
    /// `InstanceState`, e.g. RUNNING, STOPPED, PENDING.
    pub instance_state: &'a str,
    /// `LatestOperation`, e.g. ResetInstance.
    pub latest_operation: Option<&'a str>,
    /// `LatestOperationState`: SUCCESS, OPERATING or FAILED.
    pub latest_operation_state: Option<&'a str>,
    /// `LatestOperationRequestId`: the RequestId of the call that started the latest operation.
    pub latest_operation_request_id: Option<&'a str>,
    /// `LatestOperationStartedTime` in Unix milliseconds (see [`parse_tencent_time`]).
    pub latest_operation_started_ms: Option<f64>,
}

/// Where a reset stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Our reset finished successfully.
    Succeeded,
    /// Our reset finished and failed.
    Failed,
    /// Not finished, or not (yet) visible as ours: poll again until the deadline.
    Pending,
}

/// Judges a snapshot. With `expected_request_id` only the reset of that request counts (an empty
/// id matches nothing, rather than anything); without it, any ResetInstance does, including an
/// older one, so pass the id whenever it is known.
pub fn reset_outcome(s: &Snapshot, expected_request_id: Option<&str>) -> Outcome {
    let ours = s.latest_operation == Some(RESET)
        && (expected_request_id.is_none() || s.latest_operation_request_id == expected_request_id);
    match (ours, s.latest_operation_state) {
        (true, Some("SUCCESS")) => Outcome::Succeeded,
        (true, Some("FAILED")) => Outcome::Failed,
        _ => Outcome::Pending,
    }
}

/// Whether the instance accepts a reset now: RUNNING or STOPPED, with no operation in progress.
pub fn is_idle(s: &Snapshot) -> bool {
    matches!(s.instance_state, "RUNNING" | "STOPPED") && s.latest_operation_state != Some("OPERATING")
}

/// When the waiter polls.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Schedule {
    /// Shortest sleep between polls, in milliseconds.
    pub min_delay_ms: f64,
    /// Longest sleep between polls, in milliseconds.
    pub max_delay_ms: f64,
    /// Total time before the waiter gives up, in milliseconds.
    pub max_wait_ms: f64,
}

impl Default for Schedule {
    /// 5 s to 30 s between polls, 20 minutes in all. A reset takes minutes: polling faster only
    /// spends the DescribeInstances budget (10/s, shared with every other waiter of the account),
    /// while 30 s at most keeps the answer prompt. 20 minutes leaves room for slow images.
    fn default() -> Self {
        Schedule { min_delay_ms: 5_000.0, max_delay_ms: 30_000.0, max_wait_ms: 1_200_000.0 }
    }
}

/// `field` seconds as milliseconds, or the error naming it.
fn millis(field: &'static str, seconds: Option<f64>) -> Result<Option<f64>, Error> {
    let Some(s) = seconds else { return Ok(None) };
    let ms = s * 1000.0;
    if s >= 0.0 && ms.is_finite() {
        return Ok(Some(ms));
    }
    let mut m = String::with_capacity(80);
    m.push_str("The option `");
    m.push_str(field);
    m.push_str("` must be a finite number of seconds, 0 or more.");
    Err(Error::invalid_argument(m))
}

impl Schedule {
    /// A schedule from the JS options in seconds, all given; see [`Schedule::from_options`].
    pub fn new(min_delay_s: f64, max_delay_s: f64, max_wait_s: f64) -> Result<Schedule, Error> {
        Schedule::from_options(Some(min_delay_s), Some(max_delay_s), Some(max_wait_s))
    }

    /// A schedule from the JS options in seconds (`minDelaySeconds`, `maxDelaySeconds`,
    /// `maxWaitSeconds`), defaults filling the gaps. A lone bound moves the default one out of its
    /// way (`maxDelaySeconds: 2` alone means 2 to 2 s), so only an explicit min above an explicit max
    /// is refused, as is any value that is negative, NaN or infinite.
    pub fn from_options(
        min_delay_s: Option<f64>,
        max_delay_s: Option<f64>,
        max_wait_s: Option<f64>,
    ) -> Result<Schedule, Error> {
        let d = Schedule::default();
        let min = millis("minDelaySeconds", min_delay_s)?;
        let max = millis("maxDelaySeconds", max_delay_s)?;
        let max_wait_ms = millis("maxWaitSeconds", max_wait_s)?.unwrap_or(d.max_wait_ms);
        let (min_delay_ms, max_delay_ms) = match (min, max) {
            (Some(a), Some(b)) => (a, b),
            (Some(a), None) => (a, d.max_delay_ms.max(a)),
            (None, Some(b)) => (d.min_delay_ms.min(b), b),
            (None, None) => (d.min_delay_ms, d.max_delay_ms),
        };
        if min_delay_ms > max_delay_ms {
            return Err(Error::invalid_argument("The option `minDelaySeconds` must not exceed `maxDelaySeconds`."));
        }
        Ok(Schedule { min_delay_ms, max_delay_ms, max_wait_ms })
    }

    /// The sleep after poll `attempt` (0-based) when `elapsed_ms` have passed since the waiter
    /// started: `min + unit * (min(max, min * 2^attempt) - min)`, cut to the time left so the last
    /// poll lands on the deadline; `None` once the deadline has passed (or `elapsed_ms` is NaN).
    pub fn next_delay_ms(&self, attempt: u32, elapsed_ms: f64, unit: f64) -> Option<f64> {
        if elapsed_ms.is_nan() {
            return None;
        }
        // A clock set back counts as no time elapsed, not as extra time.
        let remaining = self.max_wait_ms.max(0.0) - elapsed_ms.max(0.0);
        if remaining.is_nan() || remaining <= 0.0 {
            return None;
        }
        // Sanitised because the fields are public: NaN or infinite ones still give a finite sleep.
        let min = non_negative(self.min_delay_ms);
        let max = self.max_delay_ms.max(min).min(f64::MAX);
        // Growing from at least 1 ms keeps a zero min from pinning every delay at zero.
        let ceiling = (min.max(1.0) * pow2(attempt)).min(max);
        let delay = min + clamp_unit(unit) * (ceiling - min).max(0.0);
        Some(delay.min(remaining))
    }
}

/// The fate of a ResetInstance whose answer was lost.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reconciled {
    /// The latest operation is a ResetInstance that started at or after the attempt (less the skew
    /// allowance): wait for it, using its `LatestOperationRequestId`.
    Happened,
    /// No such reset: resending is safe.
    NotHappened,
    /// The snapshot cannot tell (e.g. a ResetInstance without a start time): check again. An
    /// instance missing from DescribeInstances is the caller's Undetermined too.
    Undetermined,
}

/// Decides whether a lost ResetInstance took effect, from a snapshot taken after the attempt.
/// `attempt_started_ms` is the local time the attempt was sent, in the server's time (offset
/// corrected); see [`SKEW_ALLOWANCE_MS`]. Take the snapshot a few seconds after the loss, so that a
/// reset that reached the service has had time to show.
pub fn reconcile_reset(s: &Snapshot, attempt_started_ms: f64, skew_allowance_ms: f64) -> Reconciled {
    if s.latest_operation != Some(RESET) {
        return Reconciled::NotHappened;
    }
    let Some(started) = s.latest_operation_started_ms.filter(|t| t.is_finite()) else {
        return Reconciled::Undetermined;
    };
    if !attempt_started_ms.is_finite() {
        return Reconciled::Undetermined;
    }
    if started >= attempt_started_ms - skew_allowance_ms.max(0.0) {
        Reconciled::Happened
    } else {
        // An older ResetInstance: an earlier reset, not ours.
        Reconciled::NotHappened
    }
}

/// Parses a Lighthouse time (`2020-09-22T00:00:00Z`, `2020-09-22T08:00:00+08:00`, also `+0800`
/// and fractional seconds) to Unix milliseconds; `None` for anything else, a missing zone included,
/// since a zoneless time is ambiguous.
pub fn parse_tencent_time(s: &str) -> Option<f64> {
    let b = s.trim().as_bytes();
    let literals = [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':'), (16, b':')];
    if literals.iter().any(|&(i, c)| b.get(i) != Some(&c)) {
        return None;
    }
    let base = civil_ms(
        digits(b, 0..4)?,
        digits(b, 5..7)?,
        digits(b, 8..10)?,
        digits(b, 11..13)?,
        digits(b, 14..16)?,
        digits(b, 17..19)?,
    )?;
    let mut rest = b.get(19..)?;
    let mut fraction_ms = 0.0;
    if let Some(f) = rest.strip_prefix(b".") {
        let n = f.iter().take_while(|c| c.is_ascii_digit()).count();
        // Milliseconds are the first three digits; finer ones are dropped.
        let kept = n.min(3);
        let scale = [1.0, 100.0, 10.0, 1.0].get(kept).copied().unwrap_or(1.0);
        fraction_ms = f64::from(digits(f, 0..kept)?) * scale;
        rest = f.get(n..)?;
    }
    let offset_ms = match rest {
        b"Z" | b"z" => 0.0,
        [sign @ (b'+' | b'-'), tz @ ..] => {
            let (h, m) = match tz {
                [_, _, b':', _, _] => (digits(tz, 0..2)?, digits(tz, 3..5)?),
                [_, _, _, _] => (digits(tz, 0..2)?, digits(tz, 2..4)?),
                _ => return None,
            };
            if h > 23 || m > 59 {
                return None;
            }
            let v = f64::from(h * 60 + m) * 60_000.0;
            if *sign == b'+' {
                v
            } else {
                -v
            }
        }
        _ => return None,
    };
    Some(base + fraction_ms - offset_ms)
}

/// Splits `ids` into DescribeInstances-sized batches of at most `max` (0 counts as 1).
pub fn batches(ids: &[String], max: usize) -> impl Iterator<Item = &[String]> {
    ids.chunks(max.max(1))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
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
}
