#!/usr/bin/env bash
# Installs the environment matrix's tools (tests/matrix/package-lock.json: bundlers, Deno, Bun, wrangler,
# node@22, publint, attw, TypeScript 5 and 7) once; skipped while the lockfile is unchanged. Apart from the
# root devDependencies, so `npm start` never installs them.
set -euo pipefail
cd "$(dirname "$0")/../tests/matrix"
stamp=node_modules/.tc3-matrix-lock
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "matrix-setup: npm ci in tests/matrix (bundlers, runtimes, package linters)"
  # wrangler declares node >= 22.12 (it runs under npm's node@22, from this same lockfile): not an error here.
  npm ci --no-audit --no-fund --engine-strict=false --loglevel=error
  echo "$want" > "$stamp"
fi
