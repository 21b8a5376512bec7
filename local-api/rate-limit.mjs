// Rate limiting: a token bucket per (SecretId, Action), capacity `cfg.rateLimit`, refilled at `cfg.rateLimit`/s.

import { performance } from 'node:perf_hooks';

export class RateLimiter {
  constructor(cfg) {
    this.cfg = cfg; // the server's live configuration; rateLimit 0 = off
    this.buckets = new Map();
    this.recent = new Map(); // key -> arrival times (ms) within the last second, for the count in the message
  }

  /**
   * Takes a token for this request: `{ ok, count }`, ok false when the bucket is empty (the request is
   * throttled); count is how many requests (this one included) arrived in the last second.
   */
  take(secretId, action) {
    const rate = this.cfg.rateLimit;
    if (!rate) return { ok: true, count: 0 };
    const key = `${secretId}\n${action}`;
    const now = performance.now();
    const times = (this.recent.get(key) ?? []).filter((t) => now - t < 1000);
    times.push(now);
    this.recent.set(key, times.slice(-1000));
    const b = this.buckets.get(key) ?? { tokens: rate, at: now };
    b.tokens = Math.min(rate, b.tokens + ((now - b.at) / 1000) * rate);
    b.at = now;
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { ok: true, count: times.length };
    }
    return { ok: false, count: times.length };
  }

  clear() {
    this.buckets.clear();
    this.recent.clear();
  }
}
