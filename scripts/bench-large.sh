#!/usr/bin/env bash
# Generates a ~50 MB topology and times `maa check` on it with a release build.
# usage: scripts/bench-large.sh [MEGABYTES]   (default 50)
set -euo pipefail
cd "$(dirname "$0")/.."
mb="${1:-50}"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
python3 - "$mb" "$dir/big.yaml" <<'PY'
import sys
mb, path = int(sys.argv[1]), sys.argv[2]
with open(path, "w") as f:
    f.write("version: 1\nname: big\narchitecture: single-site\nsites:\n  - name: dc1\n    role: primary\n    hosts:\n")
    n = 0
    while f.tell() < mb * 1024 * 1024 - 200_000:
        f.write(f"      - {{name: h{n:07d}, address: h{n:07d}.dc1.example.com}}\n")
        n += 1
    f.write("domains:\n  - name: big_domain\n    admin_server: {host: h0000000}\n    clusters:\n")
    for c in range(150):
        f.write(f"      - name: c{c}\n        servers:\n")
        for s in range(20):
            f.write(f"          - {{name: c{c}_ms{s}, host: h{c * 20 + s:07d}}}\n")
PY
cargo build --release --quiet
ls -l "$dir/big.yaml"
/usr/bin/time -f '%e s elapsed, %M KB max RSS' target/release/maa check --format json --fail-on never "$dir/big.yaml" \
  | python3 -c 'import json,sys; print("summary:", json.load(sys.stdin)["summary"])'
