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
mod tests;
