#!/usr/bin/env bash
# dossier vs Hugo on the same generated dossier (1,000 articles, 10 claims per article, 3 quotes
# per claim), one machine, one run of this script: median of 5 builds each into an empty output
# on /dev/shm. See docs/PERFORMANCE.md.
#
#   bench/hugo.sh                 # installs Debian's hugo if missing
#   ARTICLES=100 RUNS=3 bench/hugo.sh
#
# The Hugo site is written by `tools/src/bin/synth.rs --hugo`: every article and every claim is a
# Markdown page (a claim page is the claim and its quotes as blockquotes linking to their
# sources), with a minimal layout (baseof/single/list templates, no theme, no RSS, sitemap or
# taxonomies). dossier does more per page (quote anchoring, highlighting, values, conflicts);
# Hugo renders Markdown with Goldmark and its template engine.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
ARTICLES=${ARTICLES:-1000}
RUNS=${RUNS:-5}
if [ -d /dev/shm ]; then SHM=/dev/shm/dossier-hugo; else SHM=${TMPDIR:-/tmp}/dossier-hugo; fi

SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
if ! command -v hugo >/dev/null; then
    echo "installing hugo (Debian package)" >&2
    $SUDO apt-get update -qq && $SUDO apt-get install -y -qq hugo >/dev/null
fi
if [ ! -x /usr/bin/time ]; then
    $SUDO apt-get update -qq && $SUDO apt-get install -y -qq time >/dev/null
fi

echo "building (release)..." >&2
cargo build --release --quiet -p dossier -p dossier-tools --bin dossier --bin synth
BIN=$ROOT/target/release/dossier

rm -rf "$SHM"
mkdir -p "$SHM"
trap 'rm -rf "$SHM"' EXIT
"$ROOT/target/release/synth" --articles "$ARTICLES" --claims-per-article 10 --quotes-per-claim 3 \
    --seed 1 --out "$SHM/dossier" --hugo "$SHM/hugo" >&2

median() { sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# once NAME OUT CMD...: one timed run of CMD into an empty OUT; appends "wall cpu rss" to $SHM/NAME.txt.
once() {
    local name=$1 out=$2
    shift 2
    rm -rf "$out"
    /usr/bin/time -f "%e %U %S %M" -o "$SHM/time.txt" "$@" >"$SHM/log.txt" 2>&1 || {
        cat "$SHM/log.txt" >&2
        exit 1
    }
    awk '{ print $1, $2 + $3, $4 }' "$SHM/time.txt" >>"$SHM/$name.txt"
}

# Interleave warm-up runs so that neither tool gets a cold page cache.
echo "warming up..." >&2
(cd "$SHM/hugo" && hugo --quiet -d "$SHM/hugo-out" >/dev/null)
"$BIN" build --quiet --root "$SHM/dossier" --output "$SHM/dossier-out"

# Alternate the two, so that background load on the machine hits both alike.
echo "timing hugo and dossier build, $RUNS runs each, alternating..." >&2
: >"$SHM/hugo.txt"
: >"$SHM/dossier.txt"
for _ in $(seq "$RUNS"); do
    once hugo "$SHM/hugo-out" sh -c "cd '$SHM/hugo' && exec hugo --quiet -d '$SHM/hugo-out'"
    once dossier "$SHM/dossier-out" "$BIN" build --quiet --root "$SHM/dossier" --output "$SHM/dossier-out"
done
hugo_files=$(find "$SHM/hugo-out" -type f | wc -l)
dossier_files=$(find "$SHM/dossier-out" -type f | wc -l)

col() { awk -v c="$2" '{ print $c }' "$SHM/$1.txt" | median; }
hw=$(col hugo 1); hc=$(col hugo 2); hr=$(col hugo 3)
dw=$(col dossier 1); dc=$(col dossier 2); dr=$(col dossier 3)

echo
echo "| host | $(nproc) cores, $(hugo version | cut -d' ' -f1-2), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')$( [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ] && echo ' (dirty)'), load average $(cut -d' ' -f1-3 /proc/loadavg) |"
echo
echo "$ARTICLES articles, $((ARTICLES * 10)) claims; medians of $RUNS builds each (alternating) into an empty output on tmpfs."
echo
echo "| | files | wall | CPU (user+sys) | peak RSS | all runs (wall, s) |"
echo "|---|---:|---:|---:|---:|---|"
printf "| hugo | %d | %.2f s | %.2f s | %.0f MB | %s |\n" "$hugo_files" "$hw" "$hc" "$(awk -v r="$hr" 'BEGIN { print r / 1024 }')" "$(awk '{ printf "%s%s", sep, $1; sep = ", " }' "$SHM/hugo.txt")"
printf "| dossier build | %d | %.2f s | %.2f s | %.0f MB | %s |\n" "$dossier_files" "$dw" "$dc" "$(awk -v r="$dr" 'BEGIN { print r / 1024 }')" "$(awk '{ printf "%s%s", sep, $1; sep = ", " }' "$SHM/dossier.txt")"
echo
awk -v d="$dw" -v h="$hw" 'BEGIN {
    r = d / h
    printf "dossier / hugo (wall): %.3fx (target <= 0.5x: %s)\n", r, (r <= 0.5 ? "PASS" : "FAIL")
}'
