// What the CLI's test files share: the binary, the demo seed's IDs, and `cli()`, which runs it as a child
// (optionally inside a pty through `script`) and checks that no SecretKey was printed.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_CREDENTIALS } from '../../local-api/server.mjs';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = path.join(root, 'pkg', 'bin', 'tc3-lighthouse.cjs');
export const VECTOR = JSON.parse(readFileSync(path.join(root, 'tests', 'vectors', 'tc3.json'), 'utf8')).vectors.find((v) => v.name === 'empty_object_payload');

export const RUNNING = 'lhins-ruy9d2tw'; // demo seed: RUNNING Linux, no latest operation
export const IDLE = 'lhins-abcd1234'; // RUNNING, its last reset SUCCESS
export const OPERATING = 'lhins-m5t7w2eb'; // mid-reset
export const UNKNOWN = 'lhins-zzzzzzzz';
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const FAST = ['--min-delay', '0.05', '--max-delay', '0.2'];
export const PASSWORD = 'Tc3CliTestPassw0rd!x';
/** A SecretKey the local API refuses (the wrong-key tests): never printed either. */
export const WRONG_SECRET_KEY = 'WrongSecretKeyForTheCliTests000';
export const SECRETS = [DEMO_CREDENTIALS.secretKey, VECTOR.inputs.secret_key, PASSWORD, WRONG_SECRET_KEY];

// A region, as a user's environment has: the demo seed's ap-guangzhou holds RUNNING and IDLE.
export const DEMO_ENV = {
  TENCENTCLOUD_SECRET_ID: DEMO_CREDENTIALS.secretId,
  TENCENTCLOUD_SECRET_KEY: DEMO_CREDENTIALS.secretKey,
  TENCENTCLOUD_REGION: 'ap-guangzhou',
};

/**
 * The environment without any TENCENTCLOUD_*, TKE_* or locale variable, plus `extra`; hermetic for a
 * credentials chain too: no profile file, no metadata service.
 */
export function envWith(extra = {}) {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (/^(TENCENTCLOUD_|TKE_|LC_)/.test(k) || k === 'LANG') delete env[k];
  return { ...env, TENCENTCLOUD_CREDENTIALS_FILE: '/nonexistent/tc3-lighthouse-tests/credentials', TENCENTCLOUD_METADATA_DISABLED: 'true', ...extra };
}

const quote = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;

/**
 * Runs the CLI; resolves with { code, signal, stdout, stderr }. `tty`: inside a pty (`script`), where
 * stdout and stderr arrive together in `stdout` (`ttyRows`: the terminal's height). `nodeArgs` go before the binary. `onStderr(text, child)`
 * sees stderr as it arrives.
 */
export function cli(args, { env = DEMO_ENV, input, onStderr, tty = false, ttyRows, nodeArgs = [], timeoutMs = 20_000 } = {}) {
  return new Promise((resolve, reject) => {
    const argv = [...nodeArgs, BIN, ...args];
    const line = `${ttyRows ? `stty rows ${ttyRows}; ` : ''}${[process.execPath, ...argv].map(quote).join(' ')}`;
    const [cmd, cmdArgs] = tty ? ['script', ['-qfec', line, '/dev/null']] : [process.execPath, argv];
    const child = spawn(cmd, cmdArgs, { env: envWith(env), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`timed out: ${args.join(' ')}\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (d) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d) => {
      stderr += d;
      onStderr?.(stderr, child);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      for (const s of SECRETS) {
        assert.ok(!stdout.includes(s) && !stderr.includes(s), `a secret was printed by: ${args.join(' ')}`);
      }
      resolve({ code, signal, stdout, stderr });
    });
    child.stdin.end(input ?? '');
  });
}

/** stdout is exactly one JSON document. */
export function oneJson(stdout) {
  assert.doesNotThrow(() => JSON.parse(stdout), `not one JSON document: ${stdout}`);
  return JSON.parse(stdout);
}
