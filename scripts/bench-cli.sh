#!/usr/bin/env bash
# Times the release `maa` binary end to end (read, parse, validate, resolve, rules, SPOF,
# double faults, objective simulation, report) on the synthetic 1k/10k/100k topologies of
# benches/resilience.rs, and prints a Markdown table for docs/performance.md.
# usage: scripts/bench-cli.sh [ROUNDS]   (default 5; the best run of each cell is kept)
# Each round runs every size and mode once, so a slow spell of the machine touches all
# sizes alike; besides the ratios of the best cells, each round's own 100k/10k ratio is
# printed with their median (runs from the same minutes compared with each other).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-5}"
dir=target/bench-topologies
cargo build --release --quiet
cargo bench --quiet --bench resilience -- --write "$dir" > /dev/null
maa=target/release/maa
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
sizes=(1000 10000 100000)
declare -A best rss last
ratios_human=()
ratios_json=()

# run KEY CMD...: times CMD once and keeps the best time (and that run's peak RSS) of KEY.
run() {
  local key=$1
  shift
  /usr/bin/time -o "$tmp" -f '%e %M' "$@" > /dev/null 2>&1 || true
  local out t m
  out=$(tail -1 "$tmp")
  t=${out% *}
  m=${out#* }
  last[$key]=$t
  if [ -z "${best[$key]:-}" ] || awk -v a="$t" -v b="${best[$key]}" 'BEGIN { exit !(a < b) }'; then
    best[$key]=$t
    rss[$key]=$m
  fi
}

for _ in $(seq "$rounds"); do
  for n in "${sizes[@]}"; do
    f="$dir/synthetic-$n.yaml"
    run "$n human" "$maa" check --fail-on never "$f"
    run "$n json" "$maa" check --fail-on never --format json "$f"
    run "$n sim" "$maa" simulate --all "$f"
  done
  # This round's growth: its 100k run over its 10k run, minutes apart at most.
  ratios_human+=("$(awk -v a="${last[100000 human]}" -v b="${last[10000 human]}" 'BEGIN { printf "%.1f", a / b }')")
  ratios_json+=("$(awk -v a="${last[100000 json]}" -v b="${last[10000 json]}" 'BEGIN { printf "%.1f", a / b }')")
done

# median VALUES...: the middle value (the lower middle for an even count).
median() {
  printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

echo "| components | file | check (human) | check (json) | peak RSS | simulate --all |"
echo "|---:|---:|---:|---:|---:|---:|"
for n in "${sizes[@]}"; do
  size=$(du -k "$dir/synthetic-$n.yaml" | cut -f1)
  echo "| $n | ${size} KB | ${best[$n human]} s | ${best[$n json]} s | $(( ${rss[$n json]} / 1024 )) MB | ${best[$n sim]} s |"
done
echo
echo "100k / 10k: check (human) $(awk -v a="${best[100000 human]}" -v b="${best[10000 human]}" 'BEGIN { printf "%.1f", a / b }')x," \
  "check (json) $(awk -v a="${best[100000 json]}" -v b="${best[10000 json]}" 'BEGIN { printf "%.1f", a / b }')x," \
  "simulate --all $(awk -v a="${best[100000 sim]}" -v b="${best[10000 sim]}" 'BEGIN { printf "%.1f", a / b }')x"
echo "100k / 10k per round (human): ${ratios_human[*]}; median $(median "${ratios_human[@]}")x"
echo "100k / 10k per round (json): ${ratios_json[*]}; median $(median "${ratios_json[@]}")x"
