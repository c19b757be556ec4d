#!/usr/bin/env bash
# Times the release `maa` binary end to end (read, parse, validate, resolve, rules, SPOF,
# double faults, objective simulation, report) on the synthetic 1k/10k/100k topologies of
# benches/resilience.rs, and prints a Markdown table for docs/performance.md.
# usage: scripts/bench-cli.sh [RUNS]   (default 5; the best run is kept, 2 at 100k)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
dir=target/bench-topologies
cargo build --release --quiet
cargo bench --quiet --bench resilience -- --write "$dir" > /dev/null
maa=target/release/maa
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT

# best_of N CMD...: prints "<best seconds> <peak RSS KB of that run>"
best_of() {
  local n=$1
  shift
  local best="" rss=""
  for _ in $(seq "$n"); do
    /usr/bin/time -o "$tmp" -f '%e %M' "$@" > /dev/null 2>&1 || true
    local out
    out=$(tail -1 "$tmp")
    local t=${out% *} m=${out#* }
    if [ -z "$best" ] || awk -v a="$t" -v b="$best" 'BEGIN { exit !(a < b) }'; then
      best=$t
      rss=$m
    fi
  done
  echo "$best $rss"
}

echo "| components | file | check (human) | check (json) | peak RSS | simulate --all |"
echo "|---:|---:|---:|---:|---:|---:|"
for n in 1000 10000 100000; do
  f="$dir/synthetic-$n.yaml"
  r=$runs
  [ "$n" -ge 100000 ] && r=$(( runs < 2 ? runs : 2 ))
  read -r human _ < <(best_of "$r" "$maa" check --fail-on never "$f")
  read -r json rss < <(best_of "$r" "$maa" check --fail-on never --format json "$f")
  read -r sim _ < <(best_of "$r" "$maa" simulate --all "$f")
  size=$(du -k "$f" | cut -f1)
  echo "| $n | ${size} KB | ${human} s | ${json} s | $(( rss / 1024 )) MB | ${sim} s |"
done
