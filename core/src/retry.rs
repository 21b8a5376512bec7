//! When and how soon to retry a failed call: full-jitter backoff, the retry decision for each
//! [`Kind`] of error, and the clock-offset correction that `AuthFailure.SignatureExpire` calls for.
//!
//! Time and randomness are parameters, so the decisions are plain functions.
//!
//! ```
//! use tc3_lighthouse_core::error::Kind;
//! use tc3_lighthouse_core::retry::{decide, safety_of, Next, RetryPolicy, Safety};
//! let policy = RetryPolicy::default();
//! assert_eq!(safety_of("DescribeInstances"), Safety::Read);
//! // A throttled call waits up to base * 2^attempt (here unit 0.5 of 100 ms) and retries.
//! assert_eq!(decide(Kind::Throttling, Safety::Mutation, true, 0, &policy, 0, 0.5), Next::RetryAfter(50.0));
//! // A ResetInstance sent without an answer must be reconciled, never blindly resent.
//! assert_eq!(decide(Kind::Network, Safety::Mutation, true, 0, &policy, 0, 0.5), Next::Reconcile);
//! ```

use crate::error::Kind;

/// The HTTP `Date` parser lives with the calendar, in the signer crate.
pub use tc3_lighthouse_signer::calendar::parse_http_date;

/// The largest `f64` below 1, so a clamped unit keeps the half-open range `[0, 1)`.
const BELOW_ONE: f64 = 1.0 - f64::EPSILON / 2.0;

/// Clamps `x` into `[0, f64::MAX]`; NaN becomes 0 (`f64::clamp` would keep it NaN).
pub(crate) fn non_negative(x: f64) -> f64 {
    if x >= 0.0 {
        x.min(f64::MAX)
    } else {
        0.0
    }
}

/// Clamps `unit` into `[0, 1)`; NaN becomes 0.
pub(crate) fn clamp_unit(unit: f64) -> f64 {
    non_negative(unit).min(BELOW_ONE)
}

/// `2^attempt`, finite for every `attempt` (2^1023 is the largest power of two an `f64` holds).
pub(crate) fn pow2(attempt: u32) -> f64 {
    // The cast cannot truncate: the value is at most 1023.
    2f64.powi(attempt.min(1023) as i32)
}

/// `unit * min(cap_ms, base_ms * 2^attempt)`: AWS's "full jitter", which spreads retries of many
/// clients over the whole window instead of synchronising them. Never negative, NaN or infinite.
pub fn full_jitter_ms(attempt: u32, base_ms: f64, cap_ms: f64, unit: f64) -> f64 {
    let base = non_negative(base_ms);
    let cap = non_negative(cap_ms);
    // An overflowing product is +inf, which `min` turns into the cap.
    clamp_unit(unit) * (base * pow2(attempt)).min(cap)
}

/// Maps 64 random bits to `[0, 1)` using the top 53, which an `f64` represents exactly.
pub fn unit_from_bits(bits: u64) -> f64 {
    (bits >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// How many times a call is attempted and how its backoff grows.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included; 0 and 1 both mean "never retry".
    pub max_attempts: u32,
    /// Backoff window of the first retry, in milliseconds; it doubles with each attempt.
    pub base_ms: f64,
    /// Largest backoff window, in milliseconds.
    pub cap_ms: f64,
}

impl Default for RetryPolicy {
    /// AWS's standard mode: 3 attempts, windows of 100 ms doubling up to 20 s.
    fn default() -> Self {
        RetryPolicy { max_attempts: 3, base_ms: 100.0, cap_ms: 20_000.0 }
    }
}

/// Whether resending an action can change anything beyond what the first send did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Safety {
    /// Sending twice is harmless (Describe*, Get*, Inquire*).
    Read,
    /// Sending twice may act twice (ResetInstance and any action not known to be a read).
    Mutation,
}

/// Classifies an action by its name; unknown actions are mutations so they are never resent blindly.
pub fn safety_of(action: &str) -> Safety {
    if ["Describe", "Get", "Inquire"].iter().any(|p| action.starts_with(p)) {
        Safety::Read
    } else {
        Safety::Mutation
    }
}

/// What to do after a failed attempt.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Next {
    /// Sleep this many milliseconds, then send again.
    RetryAfter(f64),
    /// The clock was off: correct the offset, sign again and send at once.
    ReSignAndRetry,
    /// A mutation may or may not have taken effect: look at the resource before deciding to resend.
    Reconcile,
    /// Surface the error.
    GiveUp,
}

/// Decides what follows a failed `attempt` (0-based) of a call.
///
/// `sent` is whether the request may have left the client: for a mutation without an answer it
/// separates "certainly not applied" (retry) from "fate unknown" ([`Next::Reconcile`], returned
/// even when no attempt is left, since reconciling is a read). A [`Kind::Transient`] *answer* to a
/// mutation is surfaced: the service processed the request and may have applied part of it. A
/// non-API answer (gateway HTML, truncated body) says nothing about the mutation's fate, so callers
/// should pass it as [`Kind::Network`] with `sent` true. `skew_retries_done` counts earlier
/// [`Next::ReSignAndRetry`]s: a second skew error means the offset did not help. A re-sign is an
/// attempt like any other, so `max_attempts: 1` really sends once.
pub fn decide(
    kind: Kind,
    safety: Safety,
    sent: bool,
    attempt: u32,
    policy: &RetryPolicy,
    skew_retries_done: u32,
    unit: f64,
) -> Next {
    let mutation = safety == Safety::Mutation;
    if matches!(kind, Kind::Network | Kind::Timeout) && mutation && sent {
        return Next::Reconcile;
    }
    if attempt.saturating_add(1) >= policy.max_attempts {
        return Next::GiveUp;
    }
    match kind {
        Kind::ClockSkew if skew_retries_done == 0 => Next::ReSignAndRetry,
        Kind::Throttling | Kind::Network | Kind::Timeout => {
            Next::RetryAfter(full_jitter_ms(attempt, policy.base_ms, policy.cap_ms, unit))
        }
        Kind::Transient if !mutation => Next::RetryAfter(full_jitter_ms(attempt, policy.base_ms, policy.cap_ms, unit)),
        // Busy is the waiter's business (wait until idle), not a blind resend's; the rest is terminal.
        _ => Next::GiveUp,
    }
}

/// How far the server's clock is ahead of the local one (negative: behind); 0 when either is not
/// finite, so a bad reading never shifts signing timestamps.
pub fn clock_offset_ms(server_date_ms: f64, local_now_ms: f64) -> f64 {
    let offset = server_date_ms - local_now_ms;
    if offset.is_finite() {
        offset
    } else {
        0.0
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn jitter_grows_then_caps() {
        assert_eq!(full_jitter_ms(0, 100.0, 20_000.0, 0.5), 50.0);
        assert_eq!(full_jitter_ms(3, 100.0, 20_000.0, 0.5), 400.0);
        assert_eq!(full_jitter_ms(10, 100.0, 20_000.0, 0.5), 10_000.0);
        assert_eq!(full_jitter_ms(0, 100.0, 20_000.0, 0.0), 0.0);
        assert!(full_jitter_ms(0, 100.0, 20_000.0, 0.999_999) < 100.0);
    }

    #[test]
    fn jitter_survives_huge_attempts_and_bad_numbers() {
        for attempt in [31, 32, 63, 64, 1023, 1024, 5000, u32::MAX] {
            assert_eq!(full_jitter_ms(attempt, 100.0, 20_000.0, 0.5), 10_000.0);
            let v = full_jitter_ms(attempt, f64::MAX, f64::INFINITY, 0.99);
            assert!(v.is_finite() && v > 0.0);
        }
        let bad = [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, -1.0, -0.0];
        for x in bad {
            for y in bad {
                for z in bad {
                    let v = full_jitter_ms(u32::MAX, x, y, z);
                    assert!(v.is_finite() && v >= 0.0, "{x} {y} {z} -> {v}");
                }
            }
        }
        // Units outside [0, 1) are clamped: never more than the window.
        assert!(full_jitter_ms(0, 100.0, 20_000.0, 1.0) < 100.0);
        assert!(full_jitter_ms(0, 100.0, 20_000.0, 7.0) < 100.0);
        assert_eq!(full_jitter_ms(0, 100.0, 20_000.0, -3.0), 0.0);
        assert_eq!(full_jitter_ms(0, 100.0, 20_000.0, f64::NAN), 0.0);
        // A cap below the base wins.
        assert_eq!(full_jitter_ms(0, 100.0, 10.0, 0.5), 5.0);
    }

    #[test]
    fn unit_from_bits_spans_half_open_range() {
        assert_eq!(unit_from_bits(0), 0.0);
        assert_eq!(unit_from_bits(1 << 63), 0.5);
        assert_eq!(unit_from_bits((1 << 11) - 1), 0.0);
        let top = unit_from_bits(u64::MAX);
        assert!(top < 1.0 && top > 0.999_999_999_999_99);
        assert_eq!(top, BELOW_ONE);
    }

    #[test]
    fn default_policy() {
        let p = RetryPolicy::default();
        assert_eq!((p.max_attempts, p.base_ms, p.cap_ms), (3, 100.0, 20_000.0));
    }

    #[test]
    fn safety_by_action_name() {
        for a in ["DescribeInstances", "DescribeBlueprints", "GetSomething", "InquirePriceCreateInstances"] {
            assert_eq!(safety_of(a), Safety::Read, "{a}");
        }
        for a in ["ResetInstance", "StartInstances", "", "describeInstances", "Describ", "XDescribe"] {
            assert_eq!(safety_of(a), Safety::Mutation, "{a}");
        }
    }

    fn d(kind: Kind, safety: Safety, sent: bool, attempt: u32) -> Next {
        decide(kind, safety, sent, attempt, &RetryPolicy::default(), 0, 0.5)
    }

    #[test]
    fn throttling_retries_reads_and_mutations() {
        for s in [Safety::Read, Safety::Mutation] {
            assert_eq!(d(Kind::Throttling, s, true, 0), Next::RetryAfter(50.0));
            assert_eq!(d(Kind::Throttling, s, true, 1), Next::RetryAfter(100.0));
            assert_eq!(d(Kind::Throttling, s, true, 2), Next::GiveUp);
        }
    }

    #[test]
    fn clock_skew_resigns_once() {
        let p = RetryPolicy::default();
        for s in [Safety::Read, Safety::Mutation] {
            assert_eq!(decide(Kind::ClockSkew, s, true, 0, &p, 0, 0.5), Next::ReSignAndRetry);
            assert_eq!(decide(Kind::ClockSkew, s, true, 1, &p, 1, 0.5), Next::GiveUp);
            assert_eq!(decide(Kind::ClockSkew, s, true, 2, &p, 0, 0.5), Next::GiveUp);
        }
        let once = RetryPolicy { max_attempts: 1, ..p };
        assert_eq!(decide(Kind::ClockSkew, Safety::Read, true, 0, &once, 0, 0.5), Next::GiveUp);
    }

    #[test]
    fn transient_answers_retry_reads_only() {
        assert_eq!(d(Kind::Transient, Safety::Read, true, 0), Next::RetryAfter(50.0));
        assert_eq!(d(Kind::Transient, Safety::Read, true, 2), Next::GiveUp);
        assert_eq!(d(Kind::Transient, Safety::Mutation, true, 0), Next::GiveUp);
        assert_eq!(d(Kind::Transient, Safety::Mutation, false, 0), Next::GiveUp);
    }

    #[test]
    fn lost_answers() {
        for k in [Kind::Network, Kind::Timeout] {
            assert_eq!(d(k, Safety::Read, true, 0), Next::RetryAfter(50.0));
            assert_eq!(d(k, Safety::Read, false, 1), Next::RetryAfter(100.0));
            assert_eq!(d(k, Safety::Read, true, 2), Next::GiveUp);
            assert_eq!(d(k, Safety::Mutation, false, 0), Next::RetryAfter(50.0));
            assert_eq!(d(k, Safety::Mutation, false, 2), Next::GiveUp);
            // Reconcile even with no attempts left, and with huge attempt numbers.
            assert_eq!(d(k, Safety::Mutation, true, 0), Next::Reconcile);
            assert_eq!(d(k, Safety::Mutation, true, 2), Next::Reconcile);
            assert_eq!(d(k, Safety::Mutation, true, u32::MAX), Next::Reconcile);
        }
    }

    #[test]
    fn terminal_kinds_give_up() {
        for k in [Kind::Busy, Kind::Auth, Kind::InvalidInput, Kind::NotFound, Kind::Aborted, Kind::Waiter, Kind::Other]
        {
            for s in [Safety::Read, Safety::Mutation] {
                for sent in [false, true] {
                    assert_eq!(d(k, s, sent, 0), Next::GiveUp, "{k:?}");
                }
            }
        }
    }

    #[test]
    fn attempts_are_bounded() {
        let p = |max_attempts| RetryPolicy { max_attempts, ..RetryPolicy::default() };
        for max in [0, 1] {
            for k in Kind::ALL {
                let n = decide(k, Safety::Read, true, 0, &p(max), 0, 0.5);
                assert_eq!(n, Next::GiveUp, "{k:?}");
            }
        }
        for k in Kind::ALL {
            let n = decide(k, Safety::Read, true, u32::MAX, &p(u32::MAX), 0, 0.5);
            assert_eq!(n, Next::GiveUp, "{k:?}");
        }
        let n = decide(Kind::Throttling, Safety::Read, true, 1000, &p(u32::MAX), 0, 0.5);
        assert_eq!(n, Next::RetryAfter(10_000.0));
        let n = decide(Kind::Throttling, Safety::Read, true, 0, &p(5), 0, f64::NAN);
        assert_eq!(n, Next::RetryAfter(0.0));
    }

    #[test]
    fn offset() {
        assert_eq!(clock_offset_ms(1_000_500.0, 1_000_000.0), 500.0);
        assert_eq!(clock_offset_ms(1_000_000.0, 1_300_000.0), -300_000.0);
        assert_eq!(clock_offset_ms(f64::NAN, 1.0), 0.0);
        assert_eq!(clock_offset_ms(1.0, f64::INFINITY), 0.0);
        assert_eq!(clock_offset_ms(f64::INFINITY, f64::INFINITY), 0.0);
        assert_eq!(clock_offset_ms(f64::MAX, -f64::MAX), 0.0);
    }
}
