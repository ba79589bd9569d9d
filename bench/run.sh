#!/usr/bin/env bash
# Whole-process benchmark of the release `dossier build`, at 100, 1,000 and 10,000 articles
# (10 claims per article, 3 quotes per claim), as described in docs/PERFORMANCE.md.
#
#   bench/run.sh                    # everything (about 6.5 minutes on 2 cores)
#   SIZES="100 1000" bench/run.sh   # some sizes only
#
# For each size, on a dossier generated once into /dev/shm (tools/src/bin/synth.rs):
#   - full build into an empty output on /dev/shm (tmpfs), median of RUNS runs
#     (5 for 100 and 1,000 articles, 3 for 10,000);
#   - no-change rebuild into that output (must write 0 files), median of RUNS runs;
#   - full build into an empty output on disk ($DISK, default target/bench-disk under the
#     repository; `sync` before each run), median of RUNS runs (1 when a build takes over 60 s);
#   - the write floor: writing the same files, already in memory, into an empty folder with
#     plain std::fs::write (tools/src/bin/writefloor.rs), on tmpfs and on disk, median of RUNS runs.
# Wall time, CPU time (user+sys) and peak RSS come from /usr/bin/time. Prints markdown tables.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
SIZES=${SIZES:-"100 1000 10000"}
CLAIMS=${CLAIMS:-10}
QUOTES=${QUOTES:-3}
SEED=${SEED:-1}
if [ -d /dev/shm ]; then SHM=/dev/shm/dossier-bench; else SHM=${TMPDIR:-/tmp}/dossier-bench-mem; fi
DISK=${DISK:-$ROOT/target/bench-disk}

if [ ! -x /usr/bin/time ]; then
    echo "installing GNU time (Debian package \`time\`)" >&2
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
    $SUDO apt-get update -qq && $SUDO apt-get install -y -qq time >/dev/null
fi

echo "building (release)..." >&2
cargo build --release --quiet -p dossier -p dossier-tools --bin dossier --bin synth --bin writefloor
BIN=$ROOT/target/release/dossier
SYNTH=$ROOT/target/release/synth
FLOOR=$ROOT/target/release/writefloor

rm -rf "$SHM" "$DISK"
mkdir -p "$SHM" "$DISK"
trap 'rm -rf "$SHM" "$DISK"' EXIT

runs_for() { if [ "${RUNS:-}" ]; then echo "$RUNS"; elif [ "$1" -ge 10000 ]; then echo 3; else echo 5; fi; }
median() { sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
fmt_s() { awk -v x="$1" 'BEGIN { if (x < 10) printf "%.2f s", x; else printf "%.1f s", x }'; }
fmt_mb() { awk -v x="$1" 'BEGIN { printf "%.0f MB", x / 1024 }'; }

# measure OUT: one `dossier build` of the current dossier into OUT. Appends
# "wall cpu rss_kb written files" to $SHM/runs.txt and keeps the timings line in $SHM/phases.txt.
measure() {
    if ! /usr/bin/time -f "%e %U %S %M" -o "$SHM/time.txt" \
        "$BIN" build --root "$DOSSIER" --output "$1" --timings >"$SHM/log.txt" 2>"$SHM/err.txt"; then
        echo "dossier build failed:" >&2
        cat "$SHM/err.txt" "$SHM/log.txt" >&2
        exit 1
    fi
    local wall user sys rss written files
    read -r wall user sys rss <"$SHM/time.txt"
    written=$(sed -n 's/.* \([0-9][0-9]*\) written,.*/\1/p' "$SHM/log.txt")
    files=$(sed -n 's/.*: \([0-9][0-9]*\) files,.*/\1/p' "$SHM/log.txt")
    grep '^timings:' "$SHM/log.txt" >"$SHM/phases.txt" || true
    echo "$wall $(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }') $rss $written $files" >>"$SHM/runs.txt"
}
col() { awk -v c="$1" '{ print $c }' "$SHM/runs.txt" | median; }

echo "| host | $(nproc) cores, $(uname -r), $(rustc --version | cut -d' ' -f1-2), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')$( [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ] && echo ' (dirty)'), load average at start $(cut -d' ' -f1-3 /proc/loadavg) |" >"$SHM/host.txt"

for n in $SIZES; do
    echo "generating $n articles..." >&2
    "$SYNTH" --articles "$n" --claims-per-article "$CLAIMS" --quotes-per-claim "$QUOTES" --seed "$SEED" --out "$SHM/d$n" >&2
done

: >"$SHM/table.txt"
: >"$SHM/phase-table.txt"
for n in $SIZES; do
    DOSSIER=$SHM/d$n
    runs=$(runs_for "$n")
    out=$SHM/out$n

    echo "$n articles: $runs full builds on tmpfs..." >&2
    : >"$SHM/runs.txt"
    for _ in $(seq "$runs"); do rm -rf "$out"; measure "$out"; done
    full_wall=$(col 1); full_cpu=$(col 2); full_rss=$(col 3); files=$(col 5)
    phases=$(cat "$SHM/phases.txt")

    echo "$n articles: $runs no-change rebuilds..." >&2
    : >"$SHM/runs.txt"
    for _ in $(seq "$runs"); do measure "$out"; done
    re_wall=$(col 1); re_rss=$(col 3)
    re_written=$(awk '{ print $4 }' "$SHM/runs.txt" | sort -g | tail -1)
    re_phases=$(cat "$SHM/phases.txt")

    druns=$runs
    if awk -v w="$full_wall" 'BEGIN { exit !(w > 60) }'; then druns=1; fi
    echo "$n articles: $druns full builds on disk..." >&2
    : >"$SHM/runs.txt"
    for _ in $(seq "$druns"); do rm -rf "$DISK/out$n"; sync; measure "$DISK/out$n"; done
    disk_wall=$(col 1)
    rm -rf "$DISK/out$n"; sync

    echo "$n articles: write floor..." >&2
    floor_shm=$("$FLOOR" "$out" "$SHM" "$runs" | sed -n 's/^median \([0-9.]*\) ms.*/\1/p')
    sync
    floor_disk=$("$FLOOR" "$out" "$DISK" "$runs" | sed -n 's/^median \([0-9.]*\) ms.*/\1/p')
    sync

    awk -v n="$n" -v claims="$((n * CLAIMS))" -v files="$files" -v fw="$full_wall" -v fc="$full_cpu" \
        -v rss="$full_rss" -v fs="$floor_shm" -v rw="$re_wall" -v rwr="$re_written" -v rrss="$re_rss" \
        -v dw="$disk_wall" -v fd="$floor_disk" -v runs="$runs" -v druns="$druns" 'BEGIN {
        printf "| %d | %d | %d | %.2f s | %.2f s | %.0f MB | %.0f µs | %.2f s | %.1fx | %.2f s (%d written, %.0f MB) | %.2f | %.2f s | %.2f s | %d / %d |\n",
            n, claims, files, fw, fc, rss / 1024, fw * 1e6 / files, fs / 1000, fw * 1000 / fs,
            rw, rwr, rrss / 1024, rw / fw, dw, fd / 1000, runs, druns
    }' >>"$SHM/table.txt"
    echo "| $n | full build | $phases |" >>"$SHM/phase-table.txt"
    echo "| $n | no-change rebuild | $re_phases |" >>"$SHM/phase-table.txt"
    echo "$n $files $full_wall $full_rss $floor_shm $re_wall $re_written" >>"$SHM/summary.txt"
    rm -rf "$out"
done

echo
cat "$SHM/host.txt"
echo
echo "Medians. Full build: empty output on tmpfs (/dev/shm). Write floor: the same files written from memory with std::fs::write, one thread."
echo
echo "| articles | claims | files | full build (tmpfs) | CPU (user+sys) | peak RSS | per file | write floor (tmpfs) | build / floor | no-change rebuild | rebuild / full | full build (disk) | write floor (disk) | runs (tmpfs / disk) |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
cat "$SHM/table.txt"
echo
echo "Phases of the last full build and the last no-change rebuild on tmpfs (\`dossier build --timings\`):"
echo
echo "| articles | run | phases |"
echo "|---:|---|---|"
cat "$SHM/phase-table.txt"
echo
# Linearity and targets.
awk '
    { files[$1] = $2; wall[$1] = $3; rss[$1] = $4; floor[$1] = $5; re[$1] = $6; rew[$1] = $7 }
    function verdict(ok) { return ok ? "PASS" : "FAIL" }
    END {
        if ((1000 in wall) && (10000 in wall)) {
            r = (wall[10000] / files[10000]) / (wall[1000] / files[1000])
            printf "Time per file, 10,000 vs 1,000 articles: %.2fx (target <= 1.3x): %s\n", r, verdict(r <= 1.3)
            printf "Peak RSS at 10,000 articles: %.0f MB (target < 2048 MB): %s\n", rss[10000] / 1024, verdict(rss[10000] < 2048 * 1024)
        }
        if (1000 in wall) {
            r = wall[1000] * 1000 / floor[1000]
            printf "1,000 articles, full build / write floor (tmpfs): %.1fx (target <= 2x): %s\n", r, verdict(r <= 2)
            printf "1,000 articles, peak RSS: %.0f MB (target < 300 MB): %s\n", rss[1000] / 1024, verdict(rss[1000] < 300 * 1024)
            r = re[1000] / wall[1000]
            printf "1,000 articles, no-change rebuild: %d files written, %.2f of a full build (target 0 files, < 0.2): %s\n", rew[1000], r, verdict(rew[1000] == 0 && r < 0.2)
        }
        for (n in wall) if (rew[n] != 0) printf "FAIL: the no-change rebuild at %d articles wrote %d files\n", n, rew[n]
    }' "$SHM/summary.txt"
