#!/usr/bin/env bash
# Installs what building and testing need, each step skipped when it is already done, so a fresh
# machine and a warm one run the same command (warm: a fraction of a second, nothing downloaded).
# Pinned versions: see docs in README.md.
#
#   bash scripts/setup.sh                  everything npm test needs
#   bash scripts/setup.sh --no-chromium    without Chromium (npm start: only the browser tests need it)
set -euo pipefail
cd "$(dirname "$0")/.."

WASM_BINDGEN_VERSION=0.2.130
CHROMIUM=1
for arg in "$@"; do
  case "$arg" in
    --no-chromium) CHROMIUM=0 ;;
    *) echo "setup: unknown option $arg (known: --no-chromium)" >&2; exit 2 ;;
  esac
done
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

for tool in rustup cargo node npm; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "setup: \`$tool\` is not on PATH: install Rust with rustup (https://rustup.rs) and Node.js >= 20.19 first" >&2
    exit 1
  fi
done

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  echo "setup: adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $WASM_BINDGEN_VERSION"; then
  echo "setup: installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (a few minutes, once)"
  # No --locked: its lockfile pins a crate version the registry no longer serves.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

if [ "$CHROMIUM" = 1 ] && ! { command -v chromium && command -v chromedriver; } >/dev/null 2>&1; then
  echo "setup: installing Debian's chromium and chromium-driver"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq chromium chromium-driver >/dev/null
fi

stamp=node_modules/.tc3-lighthouse-lock
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund
  echo "$want" > "$stamp"
fi
