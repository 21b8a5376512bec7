// Resumable fleets: fileJournal (one fsynced JSON line per entry, a torn last line tolerated), and
// resetInstances with a journal: run again after a crash (a SIGKILL mid-fleet, resets in flight), no instance
// is reset twice; a run on a journal of successes sends nothing.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { DEMO_CREDENTIALS, makeFleet, startLighthouseApi } from '../../local-api/server.mjs';
import { fileJournal, LighthouseClient, TencentCloudError } from '../../pkg/node/index.mjs';

const FAST = { minDelaySeconds: 0.05, maxDelaySeconds: 0.2 };

function tmp(t) {
  const dir = mkdtempSync(path.join(tmpdir(), 'tc3-journal-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function setup(t, n, options = {}) {
  const instances = makeFleet(n, { prefix: `journal-${t.name}` });
  const api = await startLighthouseApi({ instances, operatingPolls: 2, ...options });
  t.after(() => api.close());
  // The fleet's region (makeFleet: ap-guangzhou): the waits and reconciliations ask DescribeInstances.
  const client = new LighthouseClient({ credentials: DEMO_CREDENTIALS, endpoint: api.url, region: 'ap-guangzhou' });
  return { api, client, ids: instances.map((i) => i.InstanceId) };
}

/** The journal's entries; a line being written (or torn) is skipped. */
const lines = (file) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((l) => {
      try {
        return [JSON.parse(l)];
      } catch {
        return [];
      }
    });

/** Per instance, the resets that took effect (answered without an error, or answered to nobody). */
function effectiveResets(api) {
  const out = new Map();
  for (const e of api.log) {
    if (e.action !== 'ResetInstance' || e.errorCode) continue;
    const id = e.params?.InstanceId;
    out.set(id, (out.get(id) ?? 0) + 1);
  }
  return out;
}

/** Runs the fleet of `ids` on the journal `file`; every instance must succeed. */
async function resumeFleet(client, ids, file) {
  const results = await client.resetInstances(
    ids.map((InstanceId) => ({ InstanceId })),
    { ...FAST, journal: fileJournal(file) },
  );
  assert.ok(
    results.every((r) => r.ok),
    JSON.stringify(results.map((r) => r.error?.message)),
  );
  return results;
}

test('fileJournal: path checked, a missing file loads as empty, entries round-trip in order', async (t) => {
  for (const bad of [undefined, '', 42, 'a\0b']) {
    assert.throws(
      () => fileJournal(bad),
      (e) => TencentCloudError.isInstance(e) && e.code === 'ClientError.InvalidArgument' && /`path`/.test(e.message),
    );
  }
  const file = path.join(tmp(t), 'j.journal');
  const j = fileJournal(file);
  assert.equal(j.path, file);
  assert.deepEqual(await j.load(), []);
  const a = { InstanceId: 'lhins-aaaaaaaa', state: 'intent', at: 1 };
  const b = { InstanceId: 'lhins-aaaaaaaa', RequestId: 'r-1', state: 'sent', at: 2 };
  await Promise.all([j.append(a), j.append(b)]);
  assert.deepEqual(await j.load(), [a, b]);
  assert.equal(readFileSync(file, 'utf8'), `${JSON.stringify(a)}\n${JSON.stringify(b)}\n`);
});

test('fileJournal: a torn last line is ignored, and cut off before the next entry', async (t) => {
  const file = path.join(tmp(t), 'torn.journal');
  const a = { InstanceId: 'lhins-aaaaaaaa', state: 'intent', at: 1 };
  writeFileSync(file, `${JSON.stringify(a)}\n{"InstanceId":"lhins-bbbb`);
  const j = fileJournal(file);
  assert.deepEqual(await j.load(), [a]);
  const c = { InstanceId: 'lhins-cccccccc', state: 'intent', at: 3 };
  await j.append(c);
  assert.deepEqual(await fileJournal(file).load(), [a, c]);
  assert.equal(readFileSync(file, 'utf8'), `${JSON.stringify(a)}\n${JSON.stringify(c)}\n`);
});

test('fileJournal: a corrupt line that is not the last is an error naming the file and line', async (t) => {
  const file = path.join(tmp(t), 'bad.journal');
  writeFileSync(file, 'not json\n{"InstanceId":"lhins-aaaaaaaa","state":"intent","at":1}\n');
  await assert.rejects(fileJournal(file).load(), (e) => e.code === 'ClientError.Journal' && e.message.includes('Line 1') && e.message.includes(file));
  writeFileSync(file, '[1]\n');
  await assert.rejects(fileJournal(file).load(), (e) => e.code === 'ClientError.Journal' && /not a journal entry/.test(e.message));
});

test('a fleet with a journal writes intent before each reset, then sent, then the outcome', async (t) => {
  const { api, client, ids } = await setup(t, 3);
  const file = path.join(tmp(t), 'f.journal');
  const results = await client.resetInstances(
    ids.map((InstanceId) => ({ InstanceId })),
    { ...FAST, journal: fileJournal(file) },
  );
  assert.ok(results.every((r) => r.ok));
  const entries = lines(file);
  for (const [i, id] of ids.entries()) {
    const mine = entries.filter((e) => e.InstanceId === id);
    assert.deepEqual(
      mine.map((e) => e.state),
      ['intent', 'sent', 'succeeded'],
    );
    assert.equal(mine[1].RequestId, results[i].RequestId);
    assert.equal(mine[2].RequestId, results[i].RequestId);
    assert.ok(mine.every((e) => Number.isFinite(e.at) && e.at > 1.7e12));
  }
  // Run again on the journal of successes: nothing is sent, every item succeeds with its RequestId.
  const before = api.log.length;
  const again = await client.resetInstances(
    ids.map((InstanceId) => ({ InstanceId })),
    { ...FAST, journal: fileJournal(file) },
  );
  assert.equal(api.log.length, before, 'no request at all');
  assert.deepEqual(
    again.map((r) => [r.InstanceId, r.ok, r.RequestId]),
    results.map((r) => [r.InstanceId, true, r.RequestId]),
  );
});

test('run again: a sent reset is waited for by its RequestId, an intent whose reset took effect is reconciled', async (t) => {
  const { api, client, ids } = await setup(t, 3);
  const file = path.join(tmp(t), 'r.journal');
  // The last run: ids[0] was answered; ids[1]'s answer was lost (it took effect); ids[2] never left.
  const first = await client.resetInstances([{ InstanceId: ids[0] }], { wait: false });
  api.injectFault({ kind: 'answerLost', action: 'ResetInstance', instanceId: ids[1] });
  await assert.rejects(
    new LighthouseClient({ credentials: DEMO_CREDENTIALS, endpoint: api.url, region: 'ap-guangzhou', maxAttempts: 1 }).request('ResetInstance', {
      InstanceId: ids[1],
    }),
  );
  const now = Date.now();
  writeFileSync(
    file,
    [
      { InstanceId: ids[0], state: 'intent', at: now - 2000 },
      { InstanceId: ids[0], RequestId: first[0].RequestId, state: 'sent', at: now - 1900 },
      { InstanceId: ids[1], state: 'intent', at: now - 1000 },
      { InstanceId: ids[2], state: 'intent', at: now - 500 },
    ]
      .map((e) => `${JSON.stringify(e)}\n`)
      .join(''),
  );
  const results = await resumeFleet(client, ids, file);
  assert.equal(results[0].RequestId, first[0].RequestId);
  assert.deepEqual([...effectiveResets(api).entries()].sort(), ids.map((id) => [id, 1]).sort(), 'each instance reset once');
});

test('an append that fails fails its item before anything is sent for it; a load that fails fails the fleet', async (t) => {
  const { api, client, ids } = await setup(t, 2);
  const journal = {
    load: async () => [],
    append: async (e) => {
      if (e.InstanceId === ids[1]) throw new Error('disk full');
    },
  };
  const results = await client.resetInstances(
    ids.map((InstanceId) => ({ InstanceId })),
    { ...FAST, journal },
  );
  assert.equal(results[0].ok, true);
  assert.equal(results[1].ok, false);
  assert.equal(results[1].error.code, 'ClientError.Journal');
  assert.equal(results[1].error.cause.message, 'disk full');
  assert.ok(!effectiveResets(api).has(ids[1]), 'never sent');
  const sent = api.log.length;
  for (const load of [
    async () => 'nope',
    async () => [{ InstanceId: ids[0], state: 'maybe', at: 1 }],
    () => {
      throw new Error('gone');
    },
  ]) {
    await assert.rejects(
      client.resetInstances([{ InstanceId: ids[0] }], { journal: { load, append: async () => {} } }),
      (e) => TencentCloudError.isInstance(e) && e.code === 'ClientError.Journal' && /journal could not be read/.test(e.message),
    );
  }
  assert.equal(api.log.length, sent, 'nothing sent');
});

test('killed mid-fleet (SIGKILL, resets in flight) and run again: no instance is reset twice', async (t) => {
  const { api, client, ids } = await setup(t, 12, { operatingPolls: 3 });
  // Every reset answers slowly, so some are in flight when the process dies.
  api.injectFault({ kind: 'slow', action: 'ResetInstance', delayMs: 250, times: Infinity });
  const file = path.join(tmp(t), 'kill.journal');
  const child = spawn(process.execPath, [path.join(import.meta.dirname, 'journal-child.mjs')], {
    env: { ...process.env, API_URL: api.url, JOURNAL: file, IDS: ids.join(',') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  // Kill once some resets were answered and more are in flight (intents without `sent`).
  for (let i = 0; ; i++) {
    const entries = existsSync(file) ? lines(file) : [];
    const sent = entries.filter((e) => e.state === 'sent').length;
    if (sent >= 3 && entries.filter((e) => e.state === 'intent').length > sent) break;
    assert.ok(i < 600, `the child journaled too little: ${JSON.stringify(entries)} ${stderr}`);
    await sleep(10);
  }
  child.kill('SIGKILL');
  assert.equal((await exited).signal, 'SIGKILL');
  // The process may have died mid-write: that torn line is what the next run must tolerate.
  appendFileSync(file, '{"InstanceId":"lhins-');
  api.clearFaults();
  const results = await resumeFleet(client, ids, file);
  const resets = effectiveResets(api);
  for (const id of ids) assert.equal(resets.get(id), 1, `${id} reset ${resets.get(id) ?? 0} times`);
  // What the journal said was sent is waited for with that RequestId, not sent again.
  const sentBefore = lines(file).filter((e) => e.state === 'sent');
  for (const e of sentBefore) assert.equal(results.find((r) => r.InstanceId === e.InstanceId).RequestId, e.RequestId);
});
