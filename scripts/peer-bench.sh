#!/usr/bin/env bash
# peer-bench.sh — time scrubs side by side with peer PII/PHI detectors on the same text.
#
# A BENCHMARK, NOT A TEST. It never runs in CI (.ci/run does not call it, and it refuses to
# start when CI is set): it installs Python packages from PyPI, takes about 15 minutes, and its figures
# depend on how busy the machine is. Run it by hand on a quiet machine:
#
#   scripts/peer-bench.sh
#
# What it does, all in one throwaway folder that is removed when it stops:
#   1. makes a Python virtual environment per peer and installs, from PyPI,
#      scrubadub (regular expressions and word lists) and Microsoft Presidio's analyzer.
#      Presidio needs a spaCy model, which normally downloads from outside PyPI and cannot
#      here, so it gets a blank English pipeline (tokens only): its pattern recognizers run,
#      its named-entity ones (PERSON, LOCATION, ...) find nothing. A peer that fails to
#      install is reported and left out.
#   2. builds scrubs with `cargo build --release`, unless SCRUBS_BIN names a binary;
#   3. writes the benchmark text: the "text" fields of the development corpus
#      (../shared/corpus/dev.jsonl beside the repository, or /work/shared/corpus/dev.jsonl)
#      joined with blank lines, repeated until it holds PEER_BENCH_BYTES bytes; without the
#      corpus, the files of examples/ instead;
#   4. times scrubs as the whole process, `scrubs check --format json FILE` (which computes every
#      finding's fixes) and `scrubs check FILE` (the report only), and each peer (a
#      Python process that loads the library, then analyses the text; both times reported);
#      every timing is the median of PEER_BENCH_RUNS runs, each in a new process. A peer that
#      would need more than PEER_BENCH_BUDGET seconds for the whole text is timed on a slice
#      from its start, and scrubs on the same slice, and the output says so;
#   5. prints the tables (Markdown) and the machine;
#   6. scores every tool on the annotated corpora (dev.jsonl and physionet-dev.jsonl, when
#      present) the way `scrubs eval` does, so that speed can be read beside what each finds.
#
# Settings (environment variables):
#   SCRUBS_BIN          a scrubs binary to use instead of building one
#   PEER_BENCH_BYTES    size of the benchmark text in bytes (default 1000000)
#   PEER_BENCH_RUNS     runs per timing (default 3)
#   PEER_BENCH_BUDGET   seconds a peer may take on one analysis before it is sliced (default 60)
#   PEER_BENCH_CORPUS   a corpus .jsonl to build the text from (default: the development corpus)
#   PEER_BENCH_SCRUBADUB, PEER_BENCH_PRESIDIO
#                       pip requirements for the peers (default scrubadub==2.0.1,
#                       presidio-analyzer==2.2.366, the versions measured in BENCHMARKS.md)
#
# Privacy: the benchmark text is synthetic (the development corpus); nothing prints it. The
# peers make no network connections: Presidio's e-mail check is pointed at the public suffix
# list its tldextract package ships instead of downloading one, and every cache goes to the
# throwaway folder. Only pip reaches the network, to PyPI.

set -euo pipefail

if [[ -n "${CI:-}" ]]; then
  echo "peer-bench.sh is a benchmark, not a test, and does not run in CI (CI is set)." >&2
  echo "Run it by hand: scripts/peer-bench.sh" >&2
  exit 2
fi

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
helper="$repo/scripts/peer_bench.py"
bytes="${PEER_BENCH_BYTES:-1000000}"
runs="${PEER_BENCH_RUNS:-3}"
budget="${PEER_BENCH_BUDGET:-60}"
scrubadub_req="${PEER_BENCH_SCRUBADUB:-scrubadub==2.0.1}"
presidio_req="${PEER_BENCH_PRESIDIO:-presidio-analyzer==2.2.366}"

for setting in bytes runs budget; do
  if ! [[ "${!setting}" =~ ^[0-9]+$ ]] || [[ "${!setting}" -eq 0 ]]; then
    echo "peer-bench.sh: PEER_BENCH_${setting^^} must be a positive whole number, not '${!setting}'." >&2
    exit 2
  fi
done
if ! command -v python3 >/dev/null; then
  echo "peer-bench.sh: python3 is needed to run the peers; install it (apt-get install python3 python3-venv)." >&2
  exit 2
fi

if [[ -n "${PEER_BENCH_CORPUS:-}" && ! -f "$PEER_BENCH_CORPUS" ]]; then
  echo "peer-bench.sh: PEER_BENCH_CORPUS is '$PEER_BENCH_CORPUS', which is not a file. Give the path of a corpus .jsonl, or unset it." >&2
  exit 2
fi
if [[ -n "${SCRUBS_BIN:-}" && ! -x "$SCRUBS_BIN" ]]; then
  echo "peer-bench.sh: SCRUBS_BIN is '$SCRUBS_BIN', which is not an executable file. Point it at a built scrubs binary, or unset it to build one." >&2
  exit 2
fi

work="$(mktemp -d -t scrubs-peer-bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT
# Keep every cache the peers and pip might write inside the throwaway folder.
export XDG_CACHE_HOME="$work/cache" TLDEXTRACT_CACHE="$work/cache/tldextract"
export PIP_CACHE_DIR="$work/cache/pip" PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1

say() { printf '\n== %s\n' "$*"; }

# 1. The peers, each in its own virtual environment.
peers=()
install() { # name requirement
  local name="$1" requirement="$2"
  if python3 -m venv "$work/$name" >"$work/$name.log" 2>&1 &&
    "$work/$name/bin/pip" install --quiet "$requirement" >>"$work/$name.log" 2>&1; then
    echo "installed $requirement"
    return 0
  fi
  echo "could not install $requirement; it is left out. pip said:"
  tail -n 5 "$work/$name.log" | sed 's/^/    /'
  return 1
}
say "Installing the peers from PyPI into $work"
if install scrubadub "$scrubadub_req"; then
  peers+=(--peer "scrubadub,$work/scrubadub/bin/python")
fi
if install presidio "$presidio_req"; then
  if "$work/presidio/bin/python" "$helper" prepare-presidio --model-dir "$work/blank_en" \
    >>"$work/presidio.log" 2>&1; then
    echo "Presidio runs with a blank English spaCy pipeline saved in the temp folder:"
    echo "  only its pattern recognizers work; PERSON, LOCATION, ORGANIZATION and NRP (named-entity"
    echo "  recognition) are NOT detected."
    peers+=(--peer "presidio,$work/presidio/bin/python,$work/blank_en")
  else
    echo "could not make Presidio's blank spaCy pipeline; Presidio is left out:"
    tail -n 5 "$work/presidio.log" | sed 's/^/    /'
  fi
fi
if [[ ${#peers[@]} -eq 0 ]]; then
  echo "peer-bench.sh: no peer installed, so there is nothing to compare scrubs with. Check that PyPI is reachable." >&2
  exit 1
fi

# 2. scrubs.
if [[ -n "${SCRUBS_BIN:-}" ]]; then
  scrubs="$SCRUBS_BIN"
else
  say "Building scrubs (cargo build --release)"
  (cd "$repo" && cargo build --release --quiet)
  scrubs="$repo/target/release/scrubs"
fi

# 3. The text every tool reads.
say "Writing the benchmark text"
shared_corpus=""
for candidate in "$repo/../shared/corpus" /work/shared/corpus; do
  if [[ -f "$candidate/dev.jsonl" ]]; then
    shared_corpus="$(cd "$candidate" && pwd)"
    break
  fi
done
corpus="${PEER_BENCH_CORPUS:-}"
if [[ -z "$corpus" && -n "$shared_corpus" ]]; then
  corpus="$shared_corpus/dev.jsonl"
fi
input="$work/benchmark.md"
if [[ -n "$corpus" ]]; then
  python3 "$helper" make-input --corpus "$corpus" --bytes "$bytes" --out "$input"
  label="the development corpus $corpus, repeated"
else
  echo "the development corpus is not here; using the files of examples/ instead"
  python3 "$helper" make-input --examples "$repo/examples" --bytes "$bytes" --out "$input"
  label="the files of examples/, repeated"
fi

scoring=()
for annotated in dev.jsonl physionet-dev.jsonl; do
  if [[ -n "$shared_corpus" && -f "$shared_corpus/$annotated" ]]; then
    scoring+=(--score-corpus "$shared_corpus/$annotated")
  fi
done

# 4. to 6. Timings, tables and scores.
say "Timing (median of $runs runs each; this takes a few minutes)"
python3 "$helper" bench --input "$input" --input-label "$label" --scrubs "$scrubs" \
  --workdir "$work" --runs "$runs" --budget "$budget" "${peers[@]}" "${scoring[@]}"
