#!/usr/bin/env node
// tc3-lighthouse: reset Tencent Cloud Lighthouse instances (one or a fleet), wait for resets, list
// instances and images, call any action, and print signed TC3-HMAC-SHA256 headers, from the command line.
// The commands live in ./cli/ and load on demand. `tc3-lighthouse help` lists them.
// Exit codes: 0 success, 1 API or client error (a fleet: any instance failed), 2 usage error,
// 130 interrupted (Ctrl-C).
'use strict';

const { err } = require('./cli/io.cjs');

// `... | head` closes stdout early: that is not an error.
process.stdout.on('error', (e) => {
  if (e && e.code === 'EPIPE') process.exit(process.exitCode || 0);
  throw e;
});

require('./cli/main.cjs')
  .main(process.argv.slice(2))
  .then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      err(`tc3-lighthouse: internal error: ${e?.stack ? e.stack : e}\n`);
      process.exitCode = 1;
    },
  );
