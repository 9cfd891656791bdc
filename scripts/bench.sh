#!/usr/bin/env bash
# bench.sh — the whole-process figures of BENCHMARKS.md, on this machine, in one run.
#
# A BENCHMARK, NOT A TEST: it asserts nothing and CI does not run it. Run it on a quiet machine
# from the repository root:
#
#   scripts/bench.sh            # everything (a few minutes)
#   BENCH_RUNS=9 scripts/bench.sh
#
# It measures:
#   a. `scrubs check` throughput on 1 MB and 10 MB of clinical Markdown (one file: one thread),
#      on real nursing notes (../shared/corpus/physionet-dev.jsonl, when there) and clean prose,
#      each at 1 MB and 10 MB,
#      and on a folder of 20 files of 1 MB (all cores, then --jobs 1 for comparison);
#   b-d. keystroke latency, memory with ten open documents and start-up to first diagnostics,
#      through `cargo bench --bench lsp` (the real server over stdio);
#   and the engine alone on one thread (`cargo bench --bench engine`).
# The text is the development corpus (../shared/corpus/dev.jsonl beside the repository) joined
# with blank lines and repeated; without it, the bundled examples.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${BENCH_RUNS:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet
bin=target/release/scrubs

python3 - "$work" <<'PY'
import json, os, sys
work = sys.argv[1]
corpus = os.path.join("..", "shared", "corpus", "dev.jsonl")
if os.path.exists(corpus):
    texts = [json.loads(line)["text"] for line in open(corpus, encoding="utf-8")]
else:
    texts = [open(os.path.join("examples", n), encoding="utf-8").read() for n in ("vignette.md", "social-post.md", "clean.md")]
block = "\n\n".join(texts) + "\n\n"
def write(path, size):
    with open(path, "w", encoding="utf-8") as f:
        f.write(block * (size // len(block.encode()) + 1))
write(os.path.join(work, "1mb.md"), 1_000_000)
write(os.path.join(work, "10mb.md"), 10_000_000)
notes = os.path.join("..", "shared", "corpus", "physionet-dev.jsonl")
if os.path.exists(notes):
    real = "\n\n".join(json.loads(line)["text"] for line in open(notes, encoding="utf-8")) + "\n\n"
    with open(os.path.join(work, "notes-1mb.md"), "w", encoding="utf-8") as f:
        f.write(real * (1_000_000 // len(real.encode()) + 1))
    with open(os.path.join(work, "notes-10mb.md"), "w", encoding="utf-8") as f:
        f.write(real * (10_000_000 // len(real.encode()) + 1))
clean = open(os.path.join("examples", "clean.md"), encoding="utf-8").read() + "\n"
with open(os.path.join(work, "clean-1mb.md"), "w", encoding="utf-8") as f:
    f.write(clean * (1_000_000 // len(clean.encode()) + 1))
with open(os.path.join(work, "clean-10mb.md"), "w", encoding="utf-8") as f:
    f.write(clean * (10_000_000 // len(clean.encode()) + 1))
os.makedirs(os.path.join(work, "posts"))
for i in range(20):
    with open(os.path.join(work, "posts", f"post-{i:02}.md"), "w", encoding="utf-8") as f:
        f.write(f"# Post {i}\n\n" + block * (1_000_000 // len(block.encode()) + 1))
PY

# The median wall time of a command over $runs runs, in seconds.
median() {
  python3 - "$runs" "$@" <<'PY'
import subprocess, sys, time
runs = int(sys.argv[1]); cmd = sys.argv[2:]
times = []
for _ in range(runs):
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    times.append(time.perf_counter() - start)
times.sort()
print(f"{times[len(times) // 2]:.4f}")
PY
}

mbps() { python3 -c "import sys; print(f'{int(sys.argv[1]) / 1e6 / float(sys.argv[2]):.1f}')" "$1" "$2"; }

echo "## Machine"
echo "- $(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "- memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
echo "- load average when started: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- scrubs $($bin --version | cut -d' ' -f2), $(rustc --version)"
echo
echo "## scrubs check (whole process, median of $runs runs)"
echo
echo "| input | bytes | seconds | MB/s |"
echo "| --- | ---: | ---: | ---: |"
tiny=$(median "$bin" check examples/clean.md)
echo "| examples/clean.md (start-up and a tiny check) | $(stat -c %s examples/clean.md) | $tiny | |"
for name in 1mb.md 10mb.md notes-1mb.md notes-10mb.md clean-1mb.md clean-10mb.md; do
  [ -f "$work/$name" ] || continue
  bytes=$(stat -c %s "$work/$name")
  t=$(median "$bin" check "$work/$name")
  echo "| $name (one file, one thread) | $bytes | $t | $(mbps "$bytes" "$t") |"
done
bytes=$(du -cb "$work"/posts/*.md | tail -1 | cut -f1)
t=$(median "$bin" check "$work/posts")
echo "| 20 files of 1 MB, all $(nproc) cores | $bytes | $t | $(mbps "$bytes" "$t") |"
t=$(median "$bin" check --jobs 1 "$work/posts")
echo "| 20 files of 1 MB, --jobs 1 | $bytes | $t | $(mbps "$bytes" "$t") |"
echo
echo "## The server over stdio (cargo bench --bench lsp)"
echo
cargo bench --quiet --bench lsp 2>/dev/null | sed 's/^/- /'
echo
echo "## The engine on one thread (cargo bench --bench engine)"
echo
echo '```'
cargo bench --quiet --bench engine 2>/dev/null
echo '```'
