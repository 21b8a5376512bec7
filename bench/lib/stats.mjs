// Small statistics and timing helpers shared by the benchmark sections.
import { performance } from 'node:perf_hooks';

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return NaN;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};

/** Median absolute deviation relative to the median, as a percentage: how noisy the samples were. */
export const spreadPct = (xs) => {
  const m = median(xs);
  return (median(xs.map((x) => Math.abs(x - m))) / m) * 100;
};

let sink = 0;
/** Keeps results observable so nothing is optimised away. */
export const consume = (v) => {
  sink = (sink + (typeof v === 'string' ? v.length : 1)) | 0;
};
export const sinkValue = () => sink;

/** Iterations of fn() that take about `ms` milliseconds. */
export function calibrate(fn, ms) {
  let n = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) consume(fn());
    const dt = performance.now() - t0;
    if (dt >= ms / 4 || n >= 1 << 24) return Math.max(1, Math.round((n * ms) / Math.max(dt, 1e-3)));
    n *= 2;
  }
}

/** ops/s of one batch of n calls. */
export function batch(fn, n) {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) consume(fn());
  return (n * 1000) / (performance.now() - t0);
}

/**
 * Throughput of several functions measured side by side: warm each, calibrate each to `batchMs`,
 * then `samples` rounds of A, B, C... (rotating which one goes first), and the median ops/s of each.
 */
export function interleaved(fns, { samples, batchMs, warmupMs }) {
  const names = Object.keys(fns);
  for (const k of names) {
    const n = calibrate(fns[k], warmupMs);
    batch(fns[k], n);
  }
  const iters = Object.fromEntries(names.map((k) => [k, calibrate(fns[k], batchMs)]));
  const runs = Object.fromEntries(names.map((k) => [k, []]));
  for (let s = 0; s < samples; s++) {
    for (let j = 0; j < names.length; j++) {
      const k = names[(s + j) % names.length];
      runs[k].push(batch(fns[k], iters[k]));
    }
  }
  return Object.fromEntries(
    names.map((k) => [
      k,
      {
        opsPerSec: median(runs[k]),
        spreadPct: spreadPct(runs[k]),
        samples: runs[k].length,
        itersPerSample: iters[k],
      },
    ]),
  );
}
