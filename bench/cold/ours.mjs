// Cold start, tc3-lighthouse: a fresh process, from `import` to the first signature.
// Prints one JSON line: { importToSignMs, processStartToSignMs, authorization }.
import { performance } from 'node:perf_hooks';
import { readFileSync } from 'node:fs';

const input = JSON.parse(readFileSync(new URL('./inputs.json', import.meta.url), 'utf8'));
const t0 = performance.now();
const { signRequest } = await import(process.env.TC3_BENCH_PKG || 'tc3-lighthouse');
const { authorization } = signRequest(input);
const t1 = performance.now();
process.stdout.write(`${JSON.stringify({ importToSignMs: t1 - t0, processStartToSignMs: t1, authorization })}\n`);
