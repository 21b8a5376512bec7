// Rate limiting: a token bucket per (SecretId, Action), capacity `cfg.rateLimit`, refilled at `cfg.rateLimit`/s.

import { performance } from 'node:perf_hooks';

export class RateLimiter {
  constructor(cfg) {
    this.cfg = cfg; // the server's live configuration; rateLimit 0 = off
    this.buckets = new Map();
  }

  /** Takes a token for this request; false when the bucket is empty (the request is throttled). */
  take(secretId, action) {
    const rate = this.cfg.rateLimit;
    if (!rate) return true;
    const key = `${secretId}\n${action}`;
    const now = performance.now();
    const b = this.buckets.get(key) ?? { tokens: rate, at: now };
    b.tokens = Math.min(rate, b.tokens + ((now - b.at) / 1000) * rate);
    b.at = now;
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return true;
    }
    return false;
  }

  clear() {
    this.buckets.clear();
  }
}
