#!/usr/bin/env bash
# Every benchmark of docs/PERFORMANCE.md in one command (about 12 minutes on 2 cores):
# whole-process builds at 100/1,000/10,000 articles with the write floor (bench/run.sh),
# dossier vs Hugo (bench/hugo.sh), the floor of the libraries (tools/src/bin/stackfloor.rs), and
# the live-preview latency for four kinds of edit (tools/src/bin/latency.rs).
set -euo pipefail
cd "$(dirname "$0")/.."
bash bench/run.sh
bash bench/hugo.sh
cargo build --release --quiet -p dossier-tools --bin synth --bin stackfloor --bin latency
if [ -d /dev/shm ]; then W=/dev/shm/dossier-stackfloor; else W=${TMPDIR:-/tmp}/dossier-stackfloor; fi
rm -rf "$W"
trap 'rm -rf "$W"' EXIT
target/release/synth --articles 1000 --out "$W" >/dev/null
echo
echo "## serde_yaml and Tera alone, 1,000 articles (tools/src/bin/stackfloor.rs)"
target/release/stackfloor "$W" 3
echo
echo "## Live preview: save-to-rebuilt latency (tools/src/bin/latency.rs)"
for edit in claim quote article insert; do
    target/release/latency --bundled --runs 25 --edit "$edit"
    target/release/latency --articles 1000 --runs 25 --edit "$edit"
done
