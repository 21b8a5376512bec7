//! The client-side rate limit: a token bucket per (SecretId, Action) that hands out reservations,
//! so concurrent callers are served in call order and each sleeps exactly once, never polling.
//!
//! ```
//! use tc3_lighthouse_core::rate_limit::Limiters;
//! let mut limits = Limiters::new();
//! // Three ResetInstance calls at the same instant go out 102 ms apart: 10/s, burst 1, and a
//! // margin for the sends' jitter (see `SEND_JITTER_MS`).
//! let waits: Vec<f64> = (0..3).map(|_| limits.reserve("AKID1", "ResetInstance", 5_000.0)).collect();
//! assert_eq!(waits, [0.0, 102.0, 204.0]);
//! // Another action (or key) has its own budget.
//! assert_eq!(limits.reserve("AKID1", "DescribeInstances", 5_000.0), 0.0);
//! ```

/// Requests per second per (SecretId, Action): the limit Lighthouse documents for its actions.
pub const DEFAULT_RATE_PER_SEC: f64 = 10.0;

/// Burst of 1, i.e. strict 100 ms spacing. A larger burst meets the average rate but not the
/// server's window: 10 requests at once followed by a steady 10/s puts up to 20 in one server-side
/// second, and network jitter bunches even evenly spaced requests, so any slack means
/// `RequestLimitExceeded`.
pub const DEFAULT_BURST: f64 = 1.0;

/// How late a send may leave after its slot (timers, the event loop, the network stack) without
/// the server's window noticing. The server counts requests in any one second; `n` requests per
/// second spaced `(1000 + SEND_JITTER_MS) / n` apart keep `n + 1` consecutive sends more than a
/// second apart even when the first leaves this much later than the last. At 10/s that is 102 ms:
/// 100 resets take 10.1 s, within 1.1x of the 10 s floor.
pub const SEND_JITTER_MS: f64 = 20.0;

/// Beyond this many buckets, reserving for a new key first drops the idle ones.
pub const MAX_IDLE_BUCKETS: usize = 256;

/// Longest spacing, about 11.6 days (a rate of 1e-6/s), so a tiny rate cannot overflow to infinity.
const MAX_INTERVAL_MS: f64 = 1e9;

/// A token bucket kept as a "theoretical arrival time" (GCRA): the instant after which the bucket
/// is full again. Reservations push it forward, which is how tokens go negative.
#[derive(Clone, Debug, PartialEq)]
pub struct TokenBucket {
    /// Milliseconds per token; 0 means unlimited.
    interval_ms: f64,
    /// How far ahead of `now` the arrival time may be without waiting: (burst - 1) tokens' worth.
    tolerance_ms: f64,
    /// When the bucket is full again (all reservations served, all tokens back).
    full_at_ms: f64,
    /// The latest `now` seen, to detect the clock going backwards.
    last_now_ms: f64,
    /// Added to each second's worth of spacing; see [`SEND_JITTER_MS`].
    margin_ms: f64,
}

impl Default for TokenBucket {
    /// 10 requests per second, burst 1.
    fn default() -> Self {
        TokenBucket::new(DEFAULT_RATE_PER_SEC, DEFAULT_BURST)
    }
}

impl TokenBucket {
    /// A full bucket of `burst` tokens (at least 1) refilled at exactly `rate_per_sec`; a rate that
    /// is not a positive finite number means unlimited.
    pub fn new(rate_per_sec: f64, burst: f64) -> Self {
        TokenBucket::with_margin(rate_per_sec, burst, 0.0)
    }

    /// Like [`TokenBucket::new`], with the spacing widened so that `rate_per_sec` holds in every
    /// sliding second even when sends leave up to `margin_ms` after their slots: the interval is
    /// `(1000 + margin_ms) / rate_per_sec`. A margin that is negative or not finite counts as 0.
    pub fn with_margin(rate_per_sec: f64, burst: f64, margin_ms: f64) -> Self {
        let margin_ms = if margin_ms.is_finite() { margin_ms.max(0.0) } else { 0.0 };
        let mut b = TokenBucket { interval_ms: 0.0, tolerance_ms: 0.0, full_at_ms: 0.0, last_now_ms: 0.0, margin_ms };
        b.set_rate(rate_per_sec, burst);
        b
    }

    /// Changes rate and burst, keeping the reservations already handed out.
    pub fn set_rate(&mut self, rate_per_sec: f64, burst: f64) {
        self.interval_ms = if rate_per_sec > 0.0 && rate_per_sec.is_finite() {
            ((1000.0 + self.margin_ms) / rate_per_sec).min(MAX_INTERVAL_MS)
        } else {
            0.0
        };
        // NaN and anything below 1 mean 1; `min` keeps an infinite burst finite.
        let extra = (burst.max(1.0) - 1.0).min(1e12);
        self.tolerance_ms = extra * self.interval_ms;
    }

    /// Takes a token and returns how many milliseconds to wait before sending (0 if one was
    /// available). The token is taken now even if it only exists later, so the next caller queues
    /// behind this one.
    pub fn reserve(&mut self, now_ms: f64) -> f64 {
        if self.interval_ms <= 0.0 {
            return 0.0;
        }
        let now = self.observe(now_ms);
        let full_at = self.full_at_ms.max(now);
        self.full_at_ms = full_at + self.interval_ms;
        (full_at - self.tolerance_ms - now).max(0.0)
    }

    /// Takes a token only if one is there now: 0 when taken, else the milliseconds until one is
    /// (nothing taken). Paces what is actually sent, whatever timers did to the reservations.
    pub fn try_take(&mut self, now_ms: f64) -> f64 {
        if self.interval_ms <= 0.0 {
            return 0.0;
        }
        let now = self.observe(now_ms);
        let full_at = self.full_at_ms.max(now);
        let wait = full_at - self.tolerance_ms - now;
        if wait > 0.0 {
            return wait;
        }
        self.full_at_ms = full_at + self.interval_ms;
        0.0
    }

    /// Whether no reservation is pending at `now_ms`, so the bucket is full and dropping it loses
    /// nothing.
    pub fn is_idle(&self, now_ms: f64) -> bool {
        self.full_at_ms <= now_ms
    }

    /// Sanitises `now_ms`: a non-finite reading counts as no time passing, and a backward jump
    /// moves the schedule back with it, so the wait still pending stays what it was (no tokens
    /// appear for the lost interval, and no hour-long wait for a clock set back an hour).
    fn observe(&mut self, now_ms: f64) -> f64 {
        if !now_ms.is_finite() {
            return self.last_now_ms;
        }
        if now_ms < self.last_now_ms {
            self.full_at_ms -= self.last_now_ms - now_ms;
        }
        self.last_now_ms = now_ms;
        now_ms
    }
}

/// One bucket per (SecretId, Action), as Tencent Cloud counts its limits per account and action,
/// with per-action rates, each spaced with the [`SEND_JITTER_MS`] margin.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Limiters {
    /// (SecretId, Action, reservations, actual sends). A vector: a few keys in practice, and it is
    /// small in wasm. The second bucket paces what really goes out: timers fire late under load,
    /// and calls whose reserved slots have all passed would otherwise leave together.
    buckets: Vec<(String, String, TokenBucket, TokenBucket)>,
    /// (Action, rate, burst) overriding the default.
    overrides: Vec<(String, f64, f64)>,
    /// Rate and burst for actions without an override; `None` means the defaults.
    rate: Option<(f64, f64)>,
}

impl Limiters {
    /// No buckets yet; every key starts at 10 requests per second, burst 1.
    pub fn new() -> Self {
        Limiters::default()
    }

    /// The rate and burst that apply to `action`.
    fn rate_for(&self, action: &str) -> (f64, f64) {
        self.overrides
            .iter()
            .find(|(a, _, _)| a == action)
            .map(|&(_, r, b)| (r, b))
            .or(self.rate)
            .unwrap_or((DEFAULT_RATE_PER_SEC, DEFAULT_BURST))
    }

    /// Reserves a token of (`secret_id`, `action`); returns the milliseconds to wait before sending.
    pub fn reserve(&mut self, secret_id: &str, action: &str, now_ms: f64) -> f64 {
        if let Some((_, _, b, _)) = self.buckets.iter_mut().find(|(s, a, _, _)| s == secret_id && a == action) {
            return b.reserve(now_ms);
        }
        if self.buckets.len() >= MAX_IDLE_BUCKETS {
            self.buckets.retain(|(_, _, b, sent)| !b.is_idle(now_ms) || !sent.is_idle(now_ms));
        }
        let (rate, burst) = self.rate_for(action);
        let mut b = TokenBucket::with_margin(rate, burst, SEND_JITTER_MS);
        let wait = b.reserve(now_ms);
        let sent = TokenBucket::with_margin(rate, burst, SEND_JITTER_MS);
        self.buckets.push((secret_id.to_owned(), action.to_owned(), b, sent));
        wait
    }

    /// Called when a reserved slot has come, just before sending: 0 to send now (the send is
    /// counted), else the milliseconds to wait before asking again.
    pub fn confirm(&mut self, secret_id: &str, action: &str, now_ms: f64) -> f64 {
        match self.buckets.iter_mut().find(|(s, a, _, _)| s == secret_id && a == action) {
            Some((_, _, _, sent)) => sent.try_take(now_ms),
            None => 0.0,
        }
    }

    /// Sets the rate and burst of every action without its own override (rate <= 0: unlimited).
    pub fn set_rate(&mut self, rate_per_sec: f64, burst: f64) {
        self.rate = Some((rate_per_sec, burst));
        for (_, action, b, sent) in &mut self.buckets {
            if !self.overrides.iter().any(|(a, _, _)| a == action) {
                b.set_rate(rate_per_sec, burst);
                sent.set_rate(rate_per_sec, burst);
            }
        }
    }

    /// Sets the rate and burst of one action, whatever the default (rate <= 0: unlimited).
    pub fn set_action_rate(&mut self, action: &str, rate_per_sec: f64, burst: f64) {
        match self.overrides.iter_mut().find(|(a, _, _)| a == action) {
            Some(o) => *o = (action.to_owned(), rate_per_sec, burst),
            None => self.overrides.push((action.to_owned(), rate_per_sec, burst)),
        }
        for (_, _, b, sent) in self.buckets.iter_mut().filter(|(_, a, _, _)| a == action) {
            b.set_rate(rate_per_sec, burst);
            sent.set_rate(rate_per_sec, burst);
        }
    }

    /// How many buckets are kept.
    pub fn len(&self) -> usize {
        self.buckets.len()
    }

    /// Whether no bucket is kept.
    pub fn is_empty(&self) -> bool {
        self.buckets.is_empty()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    const T0: f64 = 1_700_000_000_000.0;

    #[test]
    fn hundred_at_once_are_spaced_100ms() {
        let mut b = TokenBucket::default();
        for i in 0..100 {
            assert_eq!(b.reserve(T0), f64::from(i) * 100.0);
        }
    }

    #[test]
    fn sleepers_served_in_order_each_once() {
        // Callers that slept their wait and sent do not need another token.
        let mut b = TokenBucket::default();
        let waits: Vec<f64> = (0..5).map(|_| b.reserve(T0)).collect();
        assert_eq!(waits, [0.0, 100.0, 200.0, 300.0, 400.0]);
        // A caller arriving at T0 + 250 queues behind the one due at T0 + 400.
        assert_eq!(b.reserve(T0 + 250.0), 250.0);
    }

    #[test]
    fn spacing_after_idle() {
        let mut b = TokenBucket::default();
        assert_eq!(b.reserve(T0), 0.0);
        assert_eq!(b.reserve(T0 + 40.0), 60.0);
        // Idle for a long time: one token only (burst 1), then the spacing again.
        assert_eq!(b.reserve(T0 + 60_000.0), 0.0);
        assert_eq!(b.reserve(T0 + 60_000.0), 100.0);
        assert_eq!(b.reserve(T0 + 60_150.0), 50.0);
        assert_eq!(b.reserve(T0 + 60_300.0), 0.0);
    }

    #[test]
    fn burst() {
        let mut b = TokenBucket::new(10.0, 3.0);
        let waits: Vec<f64> = (0..6).map(|_| b.reserve(T0)).collect();
        assert_eq!(waits, [0.0, 0.0, 0.0, 100.0, 200.0, 300.0]);
        // After a full refill (3 tokens = 300 ms past the last reservation) the burst is back.
        let later = T0 + 600.0 + 300.0;
        let waits: Vec<f64> = (0..4).map(|_| b.reserve(later)).collect();
        assert_eq!(waits, [0.0, 0.0, 0.0, 100.0]);
        // Bursts below 1 or NaN mean 1.
        for burst in [0.0, 0.5, -3.0, f64::NAN] {
            let mut b = TokenBucket::new(10.0, burst);
            assert_eq!((b.reserve(T0), b.reserve(T0)), (0.0, 100.0));
        }
        let mut b = TokenBucket::new(10.0, f64::INFINITY);
        assert!((0..1000).all(|_| b.reserve(T0) == 0.0));
    }

    #[test]
    fn unlimited_rates() {
        for rate in [0.0, -1.0, f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            let mut b = TokenBucket::new(rate, 1.0);
            assert!((0..1000).all(|_| b.reserve(T0) == 0.0), "{rate}");
            assert!(b.is_idle(T0));
        }
    }

    #[test]
    fn tiny_rates_stay_finite() {
        let mut b = TokenBucket::new(f64::MIN_POSITIVE, 1.0);
        assert_eq!(b.reserve(T0), 0.0);
        assert_eq!(b.reserve(T0), MAX_INTERVAL_MS);
        let mut b = TokenBucket::new(1e-300, f64::MAX);
        for _ in 0..10 {
            assert!(b.reserve(T0).is_finite());
        }
    }

    #[test]
    fn bad_now() {
        let mut b = TokenBucket::default();
        assert_eq!(b.reserve(T0), 0.0);
        // A NaN reading counts as no time passing since T0.
        assert_eq!(b.reserve(f64::NAN), 100.0);
        assert_eq!(b.reserve(f64::INFINITY), 200.0);
        assert_eq!(b.reserve(f64::NEG_INFINITY), 300.0);
        assert_eq!(b.reserve(T0 + 400.0), 0.0);
        let mut fresh = TokenBucket::default();
        assert_eq!(fresh.reserve(f64::NAN), 0.0);
        assert_eq!(fresh.reserve(f64::NAN), 100.0);
        // A step back keeps the queue: third in line.
        assert_eq!(fresh.reserve(-5.0), 200.0);
    }

    #[test]
    fn clock_going_backwards() {
        let mut b = TokenBucket::default();
        assert_eq!(b.reserve(T0), 0.0);
        assert_eq!(b.reserve(T0), 100.0);
        // Set back an hour: no fresh token, and the pending wait is unchanged, not an hour.
        let back = T0 - 3_600_000.0;
        assert_eq!(b.reserve(back), 200.0);
        assert_eq!(b.reserve(back + 300.0), 0.0);
        assert_eq!(b.reserve(back + 300.0), 100.0);
        // A 1 ms step back (NTP slew) still never frees a token early.
        let mut b = TokenBucket::default();
        assert_eq!(b.reserve(T0), 0.0);
        assert_eq!(b.reserve(T0 - 1.0), 100.0);
    }

    #[test]
    fn set_rate_keeps_reservations() {
        let mut b = TokenBucket::default();
        assert_eq!(b.reserve(T0), 0.0);
        b.set_rate(2.0, 1.0);
        assert_eq!(b.reserve(T0), 100.0);
        assert_eq!(b.reserve(T0), 600.0);
    }

    #[test]
    fn limiters_key_by_secret_and_action() {
        let mut l = Limiters::new();
        assert!(l.is_empty());
        assert_eq!(l.reserve("AKID1", "ResetInstance", T0), 0.0);
        assert_eq!(l.reserve("AKID1", "ResetInstance", T0), 102.0);
        assert_eq!(l.reserve("AKID1", "DescribeInstances", T0), 0.0);
        assert_eq!(l.reserve("AKID2", "ResetInstance", T0), 0.0);
        assert_eq!(l.reserve("AKID2", "ResetInstance", T0), 102.0);
        assert_eq!(l.reserve("AKID1", "ResetInstance", T0), 204.0);
        assert_eq!(l.len(), 3);
        // No key confusion between the two parts.
        assert_eq!(l.reserve("AKID1Reset", "Instance", T0), 0.0);
        assert_eq!(l.reserve("", "", f64::NAN), 0.0);
    }

    #[test]
    fn limiters_rates() {
        let mut l = Limiters::new();
        assert_eq!(l.reserve("K", "DescribeInstances", T0), 0.0);
        l.set_action_rate("ResetInstance", 0.0, 1.0);
        assert!((0..50).all(|_| l.reserve("K", "ResetInstance", T0) == 0.0));
        l.set_rate(20.0, 1.0);
        // The existing DescribeInstances bucket keeps its reservation (due at T0 + 102), then
        // spaces at the new default (1020 ms / 20).
        assert_eq!(l.reserve("K", "DescribeInstances", T0), 102.0);
        assert_eq!(l.reserve("K", "DescribeInstances", T0), 153.0);
        assert_eq!(l.reserve("K", "DescribeBlueprints", T0), 0.0);
        assert_eq!(l.reserve("K", "DescribeBlueprints", T0), 51.0);
        // The override survives a later default change.
        assert_eq!(l.reserve("K", "ResetInstance", T0), 0.0);
        l.set_action_rate("ResetInstance", 5.0, 1.0);
        assert_eq!(l.reserve("K", "ResetInstance", T0), 0.0);
        assert_eq!(l.reserve("K", "ResetInstance", T0), 204.0);
        l.set_rate(1.0, 1.0);
        assert_eq!(l.reserve("K", "ResetInstance", T0), 408.0);
        l.set_action_rate("ResetInstance", 10.0, 1.0);
        assert_eq!(l.reserve("K2", "ResetInstance", T0), 0.0);
        assert_eq!(l.reserve("K2", "ResetInstance", T0), 102.0);
    }

    #[test]
    fn late_wakers_are_paced_by_actual_sends() {
        let mut l = Limiters::new();
        // Ten calls reserve slots 0..900 ms at once, then all wake late, together, at 2 s.
        for i in 0..10 {
            assert_eq!(l.reserve("AKID", "DescribeInstances", 0.0), f64::from(i) * 102.0);
        }
        let mut sent_at = Vec::new();
        let mut now = 2_000.0;
        let mut waiting = 10;
        while waiting > 0 {
            let w = l.confirm("AKID", "DescribeInstances", now);
            if w == 0.0 {
                sent_at.push(now);
                waiting -= 1;
            } else {
                now += w;
            }
        }
        for pair in sent_at.windows(2) {
            assert!(pair[1] - pair[0] >= 102.0 - 1e-9, "{sent_at:?}");
        }
        // Unknown keys are not held back.
        assert_eq!(l.confirm("other", "X", 0.0), 0.0);
    }

    /// The most sends any half-open window `[t, t + 1000)` holds (the server's second).
    fn busiest_second(sends: &[f64]) -> usize {
        sends.iter().map(|&t| sends.iter().filter(|&&u| u >= t && u < t + 1000.0).count()).max().unwrap_or(0)
    }

    #[test]
    fn margin_keeps_every_sliding_second_within_the_rate_despite_jitter() {
        // 100 resets reserved at once, each leaving up to 20 ms after its slot. The worst case for
        // a window is the first of 11 consecutive sends late and the last on time, tried at every
        // offset, plus a pseudo-random spread.
        let mut l = Limiters::new();
        let slots: Vec<f64> = (0..100).map(|_| T0 + l.reserve("AKID", "ResetInstance", T0)).collect();
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut jitters: Vec<Box<dyn Fn(usize) -> f64>> = Vec::new();
        for start in 0..11 {
            jitters.push(Box::new(move |i| if i % 11 == start { SEND_JITTER_MS } else { 0.0 }));
        }
        let random: Vec<f64> = (0..100)
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                crate::retry::unit_from_bits(seed) * SEND_JITTER_MS
            })
            .collect();
        jitters.push(Box::new(move |i| random[i]));
        for jitter in &jitters {
            let sends: Vec<f64> = slots.iter().enumerate().map(|(i, s)| s + jitter(i)).collect();
            assert!(busiest_second(&sends) <= 10, "{sends:?}");
        }
        // 100 resets within 1.1x of the 10 s floor (99 intervals after the first).
        let span = slots[99] - slots[0];
        assert_eq!(span, 99.0 * 102.0);
        assert!(span + SEND_JITTER_MS <= 11_000.0);
        // Without the margin, 20 ms of jitter puts 11 resets in one second.
        let mut exact = TokenBucket::new(10.0, 1.0);
        let slots: Vec<f64> = (0..100).map(|_| T0 + exact.reserve(T0)).collect();
        let sends: Vec<f64> = slots.iter().enumerate().map(|(i, s)| s + if i == 0 { 20.0 } else { 0.0 }).collect();
        assert_eq!(busiest_second(&sends), 11);
        // Odd margins count as none.
        for m in [f64::NAN, f64::INFINITY, -5.0] {
            let mut b = TokenBucket::with_margin(10.0, 1.0, m);
            assert_eq!((b.reserve(T0), b.reserve(T0)), (0.0, 100.0), "{m}");
        }
    }

    #[test]
    fn try_take_takes_only_what_is_there() {
        let mut b = TokenBucket::new(10.0, 1.0);
        assert_eq!(b.try_take(0.0), 0.0);
        assert_eq!(b.try_take(50.0), 50.0);
        assert_eq!(b.try_take(100.0), 0.0);
        assert_eq!(TokenBucket::new(0.0, 1.0).try_take(0.0), 0.0);
    }

    #[test]
    fn idle_buckets_are_evicted() {
        let mut l = Limiters::new();
        let keys: Vec<String> = (0..1000).map(|i| i.to_string()).collect();
        for (i, k) in keys.iter().enumerate() {
            // One request per key per second: each key's bucket is idle 100 ms later.
            assert_eq!(l.reserve(k, "DescribeInstances", T0 + i as f64 * 1000.0), 0.0);
            assert!(l.len() <= MAX_IDLE_BUCKETS, "{}", l.len());
        }
        // Busy buckets are kept even beyond the bound, so no reservation is forgotten.
        let mut l = Limiters::new();
        for k in &keys {
            assert_eq!(l.reserve(k, "ResetInstance", T0), 0.0);
        }
        assert_eq!(l.len(), 1000);
        assert!(keys.iter().all(|k| l.reserve(k, "ResetInstance", T0) == 102.0));
        // Once they are idle, the next new key sweeps them.
        assert_eq!(l.reserve("new", "ResetInstance", T0 + 10_000.0), 0.0);
        assert_eq!(l.len(), 1);
    }
}
