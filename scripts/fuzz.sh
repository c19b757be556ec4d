#!/usr/bin/env bash
# Runs one fuzz target with cargo-fuzz on the nightly toolchain (docs/fuzzing.md).
#   scripts/fuzz.sh TARGET [SECONDS]          # default 1800 s
#   FUZZ_TIMEOUT=60 scripts/fuzz.sh TARGET     # per-input timeout (default 10 s; raise it on a loaded machine)
# Seeds the working corpus (fuzz/corpus/TARGET, not committed) from the committed seeds,
# the regressions, and (for topology targets) the shipped topologies and test fixtures.
# One job, one worker: the machine is shared. Crashes land in fuzz/artifacts/TARGET/;
# copy each into fuzz/regressions/TARGET/ and fix it (tests/fuzz_corpus.rs replays them).
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: scripts/fuzz.sh TARGET [SECONDS]}
seconds=${2:-1800}
corpus=fuzz/corpus/$target
mkdir -p "$corpus"
cp -n fuzz/seed/"$target"/* "$corpus"/ 2>/dev/null || true
cp -n fuzz/regressions/"$target"/* "$corpus"/ 2>/dev/null || true
case $target in
  load_check|load_render|suppress_comments)
    for f in topologies/*.yaml $(find tests/fixtures -type f -name '*.yaml'); do
      cp -n "$f" "$corpus/seed-$(echo "$f" | tr '/' '_')" 2>/dev/null || true
    done ;;
esac
cd fuzz
exec cargo +nightly fuzz run "$target" "corpus/$target" -- \
  -max_total_time="$seconds" -timeout="${FUZZ_TIMEOUT:-10}" -rss_limit_mb=2048 \
  -max_len=65536 -print_final_stats=1
