#!/usr/bin/env bash
# Regenerates docs/images/<topology>.svg (and .dot) from the reference topologies with
# `maa graph --format dot` and Graphviz `dot -Tsvg`. Run from anywhere; needs `dot`.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v dot >/dev/null 2>&1 || { echo "error: Graphviz 'dot' is not installed (apt-get install graphviz)" >&2; exit 2; }
cargo build --quiet --bin maa
mkdir -p docs/images
for topo in topologies/*.yaml; do
  name=$(basename "$topo" .yaml)
  ./target/debug/maa graph "$topo" --format dot --output "docs/images/$name.dot"
  dot -Tsvg "docs/images/$name.dot" -o "docs/images/$name.svg.tmp"
  mv "docs/images/$name.svg.tmp" "docs/images/$name.svg"
  echo "docs/images/$name.svg"
done
