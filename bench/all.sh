#!/usr/bin/env bash
# Every benchmark of docs/PERFORMANCE.md in one command (about 8 minutes on 2 cores):
# whole-process builds at 100/1,000/10,000 articles with the write floor (bench/run.sh),
# dossier vs Hugo (bench/hugo.sh), and the live-preview latency (examples/latency.rs).
set -euo pipefail
cd "$(dirname "$0")/.."
bash bench/run.sh
bash bench/hugo.sh
echo
echo "## Live preview: save-to-rebuilt latency (examples/latency.rs)"
cargo run --release --quiet --example latency -- --bundled --runs 15
cargo run --release --quiet --example latency -- --articles 1000 --runs 15
