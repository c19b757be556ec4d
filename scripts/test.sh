#!/usr/bin/env bash
# Runs the whole test suite with the real third-party validators (cfn-lint,
# python-oracledb, Jython, shellcheck, Graphviz, check-jsonschema, pre-commit, moto).
# Installs what it needs: Debian packages (apt-get) and a Python venv in .venv/.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\n==> %s\n' "$*" >&2; }

# 1. System packages.
missing=()
command -v jython >/dev/null 2>&1 || missing+=(jython)
command -v shellcheck >/dev/null 2>&1 || missing+=(shellcheck)
command -v dot >/dev/null 2>&1 || missing+=(graphviz)
if [ "${#missing[@]}" -gt 0 ]; then
  log "installing Debian packages: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# 2. Python validators in a venv, re-installed only when the requirements change.
if [ ! -x .venv/bin/python ]; then
  log "creating .venv"
  python3 -m venv .venv
fi
stamp=.venv/.requirements.sha256
want=$(sha256sum tests/requirements.txt | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  log "installing Python validators (tests/requirements.txt)"
  .venv/bin/pip install -q --disable-pip-version-check -r tests/requirements.txt
  echo "$want" > "$stamp"
fi
export PATH="$PWD/.venv/bin:$PATH"
# Tests that need a validator fail (instead of skipping) when it is absent.
export MAA_REQUIRE_VALIDATORS=1

# 3. Rust: formatting, lints, tests.
log "cargo fmt --check"
cargo fmt --all -- --check
log "cargo clippy"
cargo clippy --all-targets --quiet -- -D warnings
log "cargo test"
cargo test --all-targets --quiet
log "all tests passed"
