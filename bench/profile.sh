#!/usr/bin/env bash
# Where the time of one `dossier build` goes: perf samples (frame-pointer build) attributed to the
# pipeline phases and to the functions that dominate them. See docs/PERFORMANCE.md.
#
#   bench/profile.sh [ARTICLES]            # full build into an empty output (default 1000)
#   REBUILD=1 bench/profile.sh 10000       # no-change rebuild instead
#
# Needs perf (Debian: linux-perf) and python3. Builds into target/fp (frame pointers on, so that
# the call stacks of the rayon worker threads are complete).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
N=${1:-1000}
if [ -d /dev/shm ]; then W=/dev/shm/dossier-profile; else W=${TMPDIR:-/tmp}/dossier-profile; fi
command -v perf >/dev/null || { echo "perf is needed (Debian: apt-get install linux-perf)" >&2; exit 2; }

echo "building with frame pointers (target/fp)..." >&2
RUSTFLAGS="-C force-frame-pointers=yes" CARGO_TARGET_DIR=$ROOT/target/fp \
    cargo build --release --quiet -p dossier -p dossier-tools --bin dossier --bin synth
BIN=$ROOT/target/fp/release/dossier
rm -rf "$W"
mkdir -p "$W"
trap 'rm -rf "$W"' EXIT
"$ROOT/target/fp/release/synth" --articles "$N" --out "$W/d" >&2
if [ "${REBUILD:-}" ]; then
    "$BIN" build --quiet --root "$W/d" --output "$W/out"
fi
# About 10,000 samples whatever the size.
FREQ=$(( N >= 10000 ? 1000 : (N >= 1000 ? 8000 : 20000) ))
perf record -q -F "$FREQ" -g -o "$W/perf.data" "$BIN" build --root "$W/d" --output "$W/out" --timings
perf script -i "$W/perf.data" -F comm,tid,ip,sym 2>/dev/null >"$W/perf.txt"

python3 - "$W/perf.txt" <<'PY'
import collections, re, sys

samples, cur = [], []
for line in open(sys.argv[1], errors="replace"):
    line = line.rstrip("\n")
    if not line.strip():
        if cur:
            samples.append(cur)
        cur = []
    elif line.startswith("\t"):
        parts = line.strip().split(" ", 1)
        cur.append(parts[1] if len(parts) > 1 else "?")
if cur:
    samples.append(cur)
n = len(samples)

# A sample belongs to the phase of the outermost pipeline function on its stack.
phases = [
    ("load", r"dossier::load::|dossier::yaml::"),
    ("check", r"dossier::check::check|dossier::check::Parsed|dossier::anchor::"),
    ("model", r"dossier::site::"),
    ("render", r"dossier::render::"),
    ("write", r"dossier::output::"),
]
# ... and to the innermost of these functions on its stack.
buckets = [
    ("tera::Context::from_serialize (page data to tera values)", r"tera::context::Context::from_serialize"),
    ("tera::Tera::render (template VM)", r"tera::tera::Tera::render"),
    ("render::tidy", r"dossier::render::tidy"),
    ("serde_yaml + unsafe-libyaml", r"serde_yaml::|unsafe_libyaml::"),
    ("yaml.rs outline and convert", r"dossier::yaml::"),
    ("anchor::find (quote search)", r"dossier::anchor::find"),
    ("anchor::Normalized::new", r"dossier::anchor::Normalized::new"),
    ("markdown::Doc::parse", r"dossier::markdown::Doc::parse"),
    ("markdown::Doc::render", r"dossier::markdown::Doc::render"),
    ("markdown::to_html", r"dossier::markdown::to_html"),
    ("site::text_fragment", r"dossier::site::text_fragment"),
    ("site::Model::quote_view (rest)", r"dossier::site::Model::quote_view"),
    ("site::Model::source_page (rest)", r"dossier::site::Model::source_page"),
    ("site::Model::claim_page (rest)", r"dossier::site::Model::claim_page"),
    ("output::write_atomic", r"dossier::output::write_atomic"),
    ("drop_in_place (freeing)", r"drop_in_place|drop_slow"),
]

def phase_of(s):
    for f in reversed(s):
        for name, pat in phases:
            if re.search(pat, f):
                return name
    return "outside the phases (start-up, session bookkeeping, exit)"

def bucket_of(s):
    for f in s:
        for name, pat in buckets:
            if re.search(pat, f):
                return name
    return "(rest)"

ph, bk = collections.Counter(), collections.Counter()
faults = zeroing = alloc = 0
for s in samples:
    p = phase_of(s)
    ph[p] += 1
    bk[(p, bucket_of(s))] += 1
    faults += any("page_fault" in f for f in s)
    zeroing += s[0] == "clear_page_erms"
    alloc += bool(re.match(r"(_?mi_|malloc|free|cfree|realloc|_int_|unlink_chunk|sysmalloc)", s[0]))

print(f"\n{n} samples (all threads)\n")
print("| phase | share of CPU samples |")
print("|---|---:|")
for p, c in ph.most_common():
    print(f"| {p} | {100 * c / n:.1f}% |")
print("\n| phase | function (innermost of the list on the stack) | share |")
print("|---|---|---:|")
for (p, b), c in bk.most_common(20):
    print(f"| {p} | {b} | {100 * c / n:.1f}% |")
print(f"\nPage faults anywhere on the stack: {100 * faults / n:.1f}% "
      f"(zeroing pages: {100 * zeroing / n:.1f}%); allocator code at the leaf: {100 * alloc / n:.1f}%")
PY
