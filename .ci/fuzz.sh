#!/usr/bin/env bash
# Nightly fuzzing: each cargo-fuzz target in fuzz/ for a short, bounded time, starting from the
# committed corpus. Not part of .ci/run: it needs cargo-fuzz installed and builds every target
# with the address sanitizer, which takes several minutes before the first input runs.
#
#   bash .ci/fuzz.sh              # 30 seconds per target
#   FUZZ_SECONDS=600 bash .ci/fuzz.sh
#
# Exits 0 when no target failed (or cargo-fuzz is not installed: then it says it skipped), 1 when
# a target found a failing input; that input is kept in fuzz/artifacts/<target>/ and the line to
# reproduce it is printed.
set -uo pipefail
cd "$(dirname "$0")/../fuzz"
seconds="${FUZZ_SECONDS:-30}"
targets=(edits engine fix_all)

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "fuzz: skipped: cargo-fuzz is not installed (install it with 'cargo install cargo-fuzz', then run this again)"
    exit 0
fi

# cargo-fuzz passes nightly-only flags (-Zsanitizer=address); this lets the stable toolchain take them.
export RUSTC_BOOTSTRAP=1
export CARGO_TERM_COLOR=never

if ! cargo fuzz build; then
    echo "fuzz: the fuzz targets did not build (see the errors above)"
    exit 1
fi

failed=()
for target in "${targets[@]}"; do
    # New inputs go to a scratch folder, so a run never changes the committed corpus.
    scratch=$(mktemp -d)
    mkdir -p "artifacts/$target"
    options=(-max_total_time="$seconds" -timeout=30 -print_final_stats=1 -artifact_prefix="artifacts/$target/")
    if [ "$target" != edits ]; then
        options+=(-dict=clinical.dict)
    fi
    echo "fuzz: $target for ${seconds}s"
    if cargo fuzz run "$target" "$scratch" "corpus/$target" -- "${options[@]}"; then
        echo "fuzz: $target: no failure"
    else
        failed+=("$target")
        echo "fuzz: $target FAILED; the input is in fuzz/artifacts/$target/."
        echo "      Reproduce it with: cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run $target artifacts/$target/<file>"
    fi
    rm -rf "$scratch"
done

if [ "${#failed[@]}" -gt 0 ]; then
    echo "fuzz: failures in: ${failed[*]}"
    exit 1
fi
echo "fuzz: ${#targets[@]} targets ran ${seconds}s each with no failure"
