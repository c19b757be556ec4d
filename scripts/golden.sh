#!/usr/bin/env bash
# Writes every user-visible output of a `maa` binary for the shipped topologies, the rule
# fixtures and the synthetic 1k/10k topologies into OUT_DIR, so two builds can be compared
# byte for byte (`diff -r`) before and after a refactoring.
# usage: scripts/golden.sh OUT_DIR [MAA_BINARY]   (default binary: target/release/maa)
# The synthetic topologies are written by `cargo bench --bench resilience -- --write DIR`
# into target/bench-topologies once (set SYNTHETIC=0 to skip them).
set -uo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: scripts/golden.sh OUT_DIR [MAA_BINARY]}
maa=$(realpath "${2:-target/release/maa}")
mkdir -p "$out"
out=$(realpath "$out")
root=$PWD

inputs=(topologies/*.yaml)
while IFS= read -r f; do inputs+=("$f"); done < <(find tests/fixtures/rules tests/fixtures/render -name '*.yaml' 2>/dev/null | sort)
if [ "${SYNTHETIC:-1}" = 1 ]; then
  dir=target/bench-topologies
  if [ ! -f "$dir/synthetic-10000.yaml" ]; then
    cargo bench --quiet --bench resilience -- --write "$dir" > /dev/null
  fi
  inputs+=("$dir/synthetic-1000.yaml" "$dir/synthetic-10000.yaml")
fi

# run NAME CMD...: stdout, stderr and the exit code of CMD into OUT_DIR/NAME.*
run() {
  local name=$1
  shift
  "$@" > "$out/$name.out" 2> "$out/$name.err"
  echo "$?" > "$out/$name.rc"
}

"$maa" rules > "$out/rules.txt" 2>&1
"$maa" rules --format json > "$out/rules.json" 2>&1
for f in "${inputs[@]}"; do
  key=$(echo "$f" | tr '/' '_')
  for fmt in human json sarif github; do
    run "$key.check.$fmt" "$maa" check --color never --format "$fmt" --fail-on never "$f"
  done
  run "$key.simulate.text" "$maa" simulate --all "$f"
  run "$key.simulate.json" "$maa" simulate --all --format json "$f"
  for fmt in dot mermaid json; do
    run "$key.graph.$fmt" "$maa" graph --format "$fmt" "$f"
  done
  case "$f" in
    *synthetic*) ;;
    *)
      run "$key.report" "$maa" report "$f" --html "$out/$key.report.html" --json "$out/$key.report.json"
      rm -rf "$out/$key.render"
      # From inside OUT_DIR, so the paths it prints do not name OUT_DIR.
      (cd "$out" && "$maa" render -t all --out "$key.render" "$root/$f" > "$key.render.out" 2> "$key.render.err"; echo "$?" > "$key.render.rc")
      ;;
  esac
done
echo "wrote $(find "$out" -type f | wc -l) files to $out"
