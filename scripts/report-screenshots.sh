#!/usr/bin/env bash
# Regenerates docs/images/report-<topology>.png: `maa report --html` of each reference
# topology, opened from a file URL by headless Chromium (Debian's `chromium`) and captured
# at a laptop's size (1440x900; every compositor stage run before the capture, or parts of
# the page come out blank). Run from anywhere; needs `chromium`.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v chromium >/dev/null 2>&1 || { echo "error: chromium is not installed (apt-get install chromium)" >&2; exit 2; }
cargo build --quiet --bin maa
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p docs/images
for topo in topologies/*.yaml; do
  name=$(basename "$topo" .yaml)
  ./target/debug/maa report "$topo" --html "$tmp/$name.html"
  chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --hide-scrollbars --run-all-compositor-stages-before-draw --virtual-time-budget=5000 --disable-features=PaintHolding \
    --user-data-dir="$tmp/profile-$name" --window-size=1440,900 \
    --screenshot="$tmp/$name.png" "file://$tmp/$name.html" 2>/dev/null
  mv "$tmp/$name.png" "docs/images/report-$name.png"
  echo "docs/images/report-$name.png"
done
