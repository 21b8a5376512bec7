// fileJournal(path): a fleet's journal in a file, one JSON line per entry, each appended and flushed to disk
// (fsync) before the fleet goes on, so that a run killed at any point (SIGKILL, power) and run again never
// resets an instance twice. A torn last line (the process died mid-write) is ignored on load.
'use strict';

const fs = require('node:fs/promises');
const path = require('node:path');

function journalError(code, message, cause) {
  const { TencentCloudError } = require('./errors.cjs');
  const kind = code === 'ClientError.InvalidArgument' ? 'invalidInput' : 'other';
  return new TencentCloudError(code, message, cause === undefined ? { kind } : { kind, cause });
}

function fileJournal(file) {
  if (typeof file !== 'string' || file === '' || file.includes('\0')) {
    throw journalError('ClientError.InvalidArgument', '`path` must be the path of a journal file, e.g. "reset.journal".');
  }
  const where = path.resolve(file);
  // Appends run one after another: lines never interleave, and each is on disk before the next starts.
  let queue = Promise.resolve();
  let started = false;

  async function load() {
    let text;
    // (A journal nobody appended to since a crash may still end in a torn line: skipped below.)
    try {
      text = await fs.readFile(where, 'utf8');
    } catch (e) {
      if (e?.code === 'ENOENT') return [];
      throw journalError('ClientError.Journal', `The journal ${where} could not be read (${e?.code}).`, e);
    }
    const lines = text.split('\n');
    const entries = [];
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i].trim();
      if (line === '') continue;
      let entry;
      try {
        entry = JSON.parse(line);
      } catch (e) {
        // The last line without its newline is a write the process did not finish: it never took effect.
        if (i === lines.length - 1) break;
        throw journalError('ClientError.Journal', `Line ${i + 1} of the journal ${where} is not JSON: fix or remove it.`, e);
      }
      if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
        throw journalError('ClientError.Journal', `Line ${i + 1} of the journal ${where} is not a journal entry.`);
      }
      entries.push(entry);
    }
    return entries;
  }

  async function write(line) {
    let created = false;
    if (!started) {
      started = true;
      // A torn last line (the write a killed process did not finish) never took effect: cut it off, so the
      // journal stays one entry per line.
      try {
        const text = await fs.readFile(where, 'utf8');
        if (text !== '' && !text.endsWith('\n')) await fs.truncate(where, Buffer.byteLength(text.slice(0, text.lastIndexOf('\n') + 1)));
      } catch (e) {
        if (e?.code !== 'ENOENT') throw e;
        created = true;
      }
    }
    const fh = await fs.open(where, 'a');
    try {
      await fh.writeFile(line);
      await fh.sync();
    } finally {
      await fh.close();
    }
    if (created) {
      // A new file's name is on disk only once its folder is (best effort: not every platform can).
      try {
        const dir = await fs.open(path.dirname(where), 'r');
        try {
          await dir.sync();
        } finally {
          await dir.close();
        }
      } catch {}
    }
  }

  function append(entry) {
    const line = `${JSON.stringify(entry)}\n`;
    const done = queue.then(() => write(line));
    queue = done.catch(() => {});
    return done.catch((e) => {
      throw journalError('ClientError.Journal', `The journal ${where} could not be written (${e?.code}).`, e);
    });
  }

  return {
    load,
    append,
    path: where,
    toString: () => `fileJournal(${where})`,
  };
}

module.exports = { fileJournal };
