#!/bin/sh
# Runs one fuzz target for SECS seconds (default 360) on one core, growing fuzz/corpus/TARGET
# from itself and fuzz/seeds/TARGET; the log goes to fuzz/logs/TARGET.log.
#   fuzz/fuzz.sh claims_yaml 360
#   fuzz/fuzz.sh anchor 300 -max_len=4096 -len_control=0   (further libFuzzer flags)
# Needs cargo-fuzz 0.13.2 (`cargo install cargo-fuzz --version 0.13.2 --locked`); the stable
# toolchain is enough with RUSTC_BOOTSTRAP=1 (libFuzzer's instrumentation flags are unstable).
set -eu
cd "$(dirname "$0")"
target=$1
secs=${2:-360}
shift 2 2>/dev/null || shift $#
mkdir -p "corpus/$target" logs
RUSTC_BOOTSTRAP=1 cargo fuzz run --sanitizer none "$target" "corpus/$target" "seeds/$target" -- \
    -max_total_time="$secs" -timeout=10 -rss_limit_mb=1024 -print_final_stats=1 "$@" \
    > "logs/$target.log" 2>&1
