"""Helper for scripts/peer-bench.sh: times scrubs and peer PII/PHI detectors on the same text.

A benchmark, not a test: CI never runs it. scripts/peer-bench.sh sets up the virtual
environments and calls the subcommands below; read that script first.

Subcommands:
  make-input        write the benchmark text (run with any python3, standard library only)
  prepare-presidio  save a blank English spaCy pipeline for Presidio (run in Presidio's venv)
  measure           load one peer, analyse a text once, print one JSON line (run in the peer's venv)
  bench             time scrubs and every peer on the text and print the tables (any python3)

Nothing here prints the analysed text: only sizes, times, counts and kinds of findings.
"""

import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import time

# Paragraphs are separated by a blank line; slices and Presidio's one-paragraph-at-a-time
# mode cut there so that no identifier is split in two.
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")

# The first slice a peer analyses, to estimate how long the whole text would take.
PROBE_BYTES = 100_000

PEER_LABELS = {
    "scrubadub": "scrubadub (one call per document)",
    "presidio": "presidio-analyzer, pattern recognizers only (one call per document)",
}


def fail(message):
    print(f"peer-bench: {message}", file=sys.stderr)
    sys.exit(2)


# ---------------------------------------------------------------- make-input


def corpus_texts(path):
    texts = []
    with open(path, encoding="utf-8") as corpus:
        for number, line in enumerate(corpus, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                fail(
                    f"{path}:{number}: not a JSON line ({error.msg}); "
                    "the corpus must hold one JSON object per line"
                )
            text = record.get("text") if isinstance(record, dict) else None
            if not isinstance(text, str):
                fail(
                    f'{path}:{number}: this record has no "text" field; '
                    "every line of the corpus needs one"
                )
            texts.append(text)
    return texts


def example_texts(folder):
    # The same files, in the same order, as scripts/bench.sh uses without the corpus.
    names = ["vignette.md", "social-post.md", "clean.md"]
    texts = []
    for name in names:
        with open(os.path.join(folder, name), encoding="utf-8") as example:
            texts.append(example.read())
    return texts


def make_input(args):
    if args.corpus:
        texts, source = corpus_texts(args.corpus), args.corpus
    else:
        texts, source = example_texts(args.examples), args.examples
    if not texts:
        fail(f"{source}: no text found to build the benchmark input from")
    # Built exactly as scripts/bench.sh builds its 1 MB file, so that the figures of both
    # scripts are on the same text: the texts joined with blank lines, a blank line after the
    # last, and that block repeated until the file is larger than the requested size.
    block = "\n\n".join(texts) + "\n\n"
    copies = args.bytes // len(block.encode("utf-8")) + 1
    text = block * copies
    with open(args.out, "w", encoding="utf-8") as out:
        out.write(text)
    print(
        f"{len(text.encode('utf-8')):,} bytes: {len(texts)} texts from {source}, "
        f"repeated {copies} times"
    )


def write_slice(source, destination, limit):
    """Copy the longest run of whole paragraphs from the start of source that fits in limit
    bytes."""
    with open(source, encoding="utf-8") as whole:
        text = whole.read()
    data = text.encode("utf-8")
    if len(data) <= limit:
        cut = text
    else:
        head = data[:limit].decode("utf-8", errors="ignore")
        breaks = [m.start() for m in PARAGRAPH_BREAK.finditer(head)]
        cut = head[: breaks[-1]] if breaks else head
        cut += "\n"
    with open(destination, "w", encoding="utf-8") as out:
        out.write(cut)
    return len(cut.encode("utf-8"))


# ---------------------------------------------------------------- measure (inside a peer's venv)


def licence_of(distribution):
    from importlib import metadata

    meta = metadata.metadata(distribution)
    declared = meta.get("License-Expression") or meta.get("License") or ""
    classifiers = [
        c.split("::")[-1].strip()
        for c in meta.get_all("Classifier") or []
        if c.startswith("License ::")
    ]
    parts = [declared] if declared and len(declared) < 40 else []
    # Mention a licence classifier only when it says something the licence field does not.
    for classifier in classifiers:
        if not declared or declared.lower() not in classifier.lower():
            parts.append(f"{classifier} (its classifier)")
    return "; ".join(parts) or "not declared"


def load_scrubadub():
    import scrubadub

    scrubber = scrubadub.Scrubber()
    detectors = sorted(scrubber._detectors)  # its default detector set, by name

    def kind_of(filth):
        # Overlapping finds come back merged, as type "unknown"; name what was merged.
        parts = getattr(filth, "filths", None)
        return "+".join(sorted({f.type for f in parts})) if parts else filth.type

    def analyse(text):
        return [(kind_of(f), None, f.beg, f.end) for f in scrubber.iter_filth(text)]

    info = {
        "tool": "scrubadub",
        "version": scrubadub.__version__,
        "licence": licence_of("scrubadub"),
        "detects": detectors,
        "notes": [],
    }
    return info, analyse


def load_presidio(model_dir):
    # Presidio's e-mail recognizer asks tldextract for the public suffix list, which tldextract
    # downloads and caches in the home folder. Point it at the snapshot the package ships instead:
    # nothing is fetched and nothing is written.
    import tldextract

    tldextract.extract = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)

    import logging

    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)

    from importlib import metadata

    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider
    from presidio_analyzer.predefined_recognizers import SpacyRecognizer

    provider = NlpEngineProvider(
        nlp_configuration={
            "nlp_engine_name": "spacy",
            "models": [{"lang_code": "en", "model_name": model_dir}],
        }
    )
    nlp_engine = provider.create_engine()
    analyzer = AnalyzerEngine(nlp_engine=nlp_engine, supported_languages=["en"])
    pattern_entities = sorted(
        {
            entity
            for recognizer in analyzer.registry.recognizers
            if not isinstance(recognizer, SpacyRecognizer)
            for entity in recognizer.supported_entities
        }
    )

    def analyse(text):
        # spaCy refuses texts over max_length characters (1,000,000 by default); a blank
        # pipeline only tokenizes, so a larger limit costs no model memory.
        nlp_engine.nlp["en"].max_length = max(nlp_engine.nlp["en"].max_length, len(text) + 1)
        results = analyzer.analyze(text=text, language="en")
        return [(r.entity_type, r.score, r.start, r.end) for r in results]

    info = {
        "tool": "presidio-analyzer",
        "version": metadata.version("presidio-analyzer"),
        "licence": licence_of("presidio-analyzer"),
        "detects": pattern_entities,
        "notes": [
            f"spaCy {metadata.version('spacy')} ({licence_of('spacy')}) with a blank English "
            "pipeline: tokens only, no named-entity model, so PERSON, LOCATION, ORGANIZATION "
            "and NRP are never found and context words are matched without lemmas",
        ],
    }
    return info, analyse


def measure(args):
    with open(args.input, encoding="utf-8") as source:
        text = source.read()
    if args.paragraphs:
        pieces = [p for p in PARAGRAPH_BREAK.split(text) if p.strip()]
    else:
        pieces = [text]

    wall, cpu = time.perf_counter(), time.process_time()
    if args.peer == "scrubadub":
        info, analyse = load_scrubadub()
    else:
        info, analyse = load_presidio(args.model_dir)
    load_wall, load_cpu = time.perf_counter() - wall, time.process_time() - cpu

    wall, cpu = time.perf_counter(), time.process_time()
    found = []
    for piece in pieces:
        found.extend(analyse(piece))
    analyse_wall, analyse_cpu = time.perf_counter() - wall, time.process_time() - cpu

    by_kind = {}
    for kind, *_ in found:
        by_kind[kind] = by_kind.get(kind, 0) + 1
    info.update(
        {
            "bytes": len(text.encode("utf-8")),
            "pieces": len(pieces),
            "load_wall": load_wall,
            "load_cpu": load_cpu,
            "analyse_wall": analyse_wall,
            "analyse_cpu": analyse_cpu,
            "findings": len(found),
            "findings_scored_half": sum(1 for _, s, *_ in found if s is not None and s >= 0.5),
            "scored": any(s is not None for _, s, *_ in found),
            "by_kind": by_kind,
        }
    )
    print(json.dumps(info))


def score(args):
    """Score a peer on an annotated corpus the way `scrubs eval` does (shared/corpus/README.md):
    a gold span is found when any finding overlaps it by a character; a finding is correct when
    it overlaps any gold span. Every finding of a peer counts: they have no non-PHI rules."""
    if args.peer == "scrubadub":
        _, analyse = load_scrubadub()
    else:
        _, analyse = load_presidio(args.model_dir)
    gold_total = found_total = findings_total = correct_total = 0
    labels = {}
    with open(args.corpus, encoding="utf-8") as corpus:
        for line in corpus:
            if not line.strip():
                continue
            record = json.loads(line)
            spans = [(g["start"], g["end"]) for g in record["spans"]]
            # One call per document, as a user of the library would check one post at a time.
            findings = [(start, end) for _, _, start, end in analyse(record["text"])]
            for gold in record["spans"]:
                hit = any(s < gold["end"] and gold["start"] < e for s, e in findings)
                label = labels.setdefault(gold["label"], {"gold": 0, "found": 0})
                label["gold"] += 1
                label["found"] += hit
                found_total += hit
            gold_total += len(spans)
            findings_total += len(findings)
            correct_total += sum(any(s < ge and gs < e for gs, ge in spans) for s, e in findings)
    recall = found_total / gold_total if gold_total else 0.0
    precision = correct_total / findings_total if findings_total else 0.0
    f1 = 2 * recall * precision / (recall + precision) if recall + precision else 0.0
    for label in labels.values():
        label["recall"] = label["found"] / label["gold"]
    print(
        json.dumps(
            {
                "overall": {
                    "gold": gold_total,
                    "found": found_total,
                    "findings": findings_total,
                    "correct": correct_total,
                    "recall": recall,
                    "precision": precision,
                    "f1": f1,
                },
                "labels": labels,
            }
        )
    )


def prepare_presidio(args):
    import spacy

    spacy.blank("en").to_disk(args.model_dir)


# ---------------------------------------------------------------- bench (orchestration)


def run_score(python, peer, model_dir, corpus):
    command = [python, os.path.abspath(__file__), "score", "--peer", peer, "--corpus", corpus]
    if model_dir:
        command += ["--model-dir", model_dir]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        tail = "\n".join(done.stderr.strip().splitlines()[-12:])
        raise RuntimeError(f"{peer} stopped with exit status {done.returncode}:\n{tail}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def scrubs_score(binary, corpus):
    done = subprocess.run(
        [binary, "eval", corpus, "--format", "json"], capture_output=True, text=True
    )
    if done.returncode != 0:
        raise RuntimeError(
            f"scrubs eval {corpus} exited with status {done.returncode}: "
            f"{done.stderr.strip()[:500]}"
        )
    return json.loads(done.stdout)


def print_scores(args, version, peer_names):
    order = ["NAME", "DATE", "AGE", "LOCATION", "CONTACT", "ID"]
    for corpus in args.score_corpus:
        print(
            f"\nDetection on {corpus} (scored like `scrubs eval`: a gold identifier is found "
            "when any finding overlaps it; a finding is correct when it overlaps one):\n"
        )
        scored, failures = [], []
        try:
            scored.append((f"scrubs {version}", scrubs_score(args.scrubs, corpus)))
        except (RuntimeError, json.JSONDecodeError) as error:
            failures.append(str(error))
        for name, python, model_dir in peer_names:
            try:
                tool = PEER_LABELS.get(name, name)
                scored.append((tool, run_score(python, name, model_dir, corpus)))
            except (RuntimeError, json.JSONDecodeError) as error:
                failures.append(f"{name}: {error}")
        labels = [lab for lab in order if any(lab in s["labels"] for _, s in scored)]
        print(
            "| tool | recall | precision | F1 | findings | "
            + " | ".join(f"{lab} recall" for lab in labels)
            + " |"
        )
        print("| --- | ---: | ---: | ---: | ---: | " + " | ".join("---:" for _ in labels) + " |")
        for tool, result in scored:
            overall = result["overall"]
            per_label = " | ".join(
                f"{result['labels'][lab]['recall']:.2f}" if lab in result["labels"] else "-"
                for lab in labels
            )
            print(
                f"| {tool} | {overall['recall']:.3f} | {overall['precision']:.3f} | "
                f"{overall['f1']:.3f} | {overall['findings']:,} | {per_label} |"
            )
        if scored:
            gold = " ".join(
                f"{lab} {scored[0][1]['labels'][lab]['gold']}"
                for lab in labels
                if lab in scored[0][1]["labels"]
            )
            print(f"\nGold identifiers: {scored[0][1]['overall']['gold']:,} ({gold}).")
        for failure in failures:
            print(f"- NOT SCORED: {failure}")


def run_measure(python, peer, model_dir, path, paragraphs):
    command = [python, os.path.abspath(__file__), "measure", "--peer", peer, "--input", path]
    if model_dir:
        command += ["--model-dir", model_dir]
    if paragraphs:
        command.append("--paragraphs")
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        tail = "\n".join(done.stderr.strip().splitlines()[-12:])
        raise RuntimeError(f"{peer} stopped with exit status {done.returncode}:\n{tail}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def median_process(command, runs):
    """Median wall and CPU seconds of a process, its output thrown away."""
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
    return {"wall": statistics.median(walls), "cpu": statistics.median(cpus)}


def time_scrubs(binary, path, runs):
    """The whole `scrubs check` process, twice over: `--format json`, whose every finding
    carries its fixes (computed for the output), and the default human report, which only
    detects and prints."""
    # One run first: warms the file cache, checks the exit status and counts the findings.
    done = subprocess.run(
        [binary, "check", "--format", "json", path], capture_output=True, text=True
    )
    if done.returncode not in (0, 1):
        fail(
            f"{binary} check {path} exited with status {done.returncode}: "
            f"{done.stderr.strip()[:500]}"
        )
    findings = json.loads(done.stdout)
    by_kind = {}
    for finding in findings:
        by_kind[finding["rule"]] = by_kind.get(finding["rule"], 0) + 1
    return {
        "json": median_process([binary, "check", "--format", "json", path], runs),
        "human": median_process([binary, "check", "--color", "never", path], runs),
        "findings": len(findings),
        "by_kind": by_kind,
    }


def scrubs_rules(binary):
    done = subprocess.run([binary, "rule"], capture_output=True, text=True)
    return [line.split()[0] for line in done.stdout.splitlines() if "/" in line.split(" ")[0]]


def scrubs_version(binary):
    done = subprocess.run([binary, "--version"], capture_output=True, text=True)
    words = done.stdout.split()
    return words[-1] if done.returncode == 0 and words else "unknown"


def machine():
    model = "unknown"
    with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = "unknown"
    with open("/proc/meminfo", encoding="utf-8") as meminfo:
        for line in meminfo:
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    return f"{os.cpu_count()} CPUs ({model}), {memory} memory"


def load_average():
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def choose_size(total, probe_bytes, probe_seconds, budget):
    """Bytes a peer can analyse within budget seconds, assuming its time grows at worst with
    the square of the text (Presidio's context step does; scrubadub's is about linear)."""
    if probe_seconds <= 0:
        return total
    estimate = probe_seconds * (total / probe_bytes) ** 2
    if estimate <= budget:
        return total
    fits = probe_bytes * (budget / probe_seconds) ** 0.5
    return max(probe_bytes, int(fits // 100_000) * 100_000)


def megabytes(n):
    return n / 1_000_000


def kinds(by_kind, limit=6):
    top = sorted(by_kind.items(), key=lambda kv: (-kv[1], kv[0]))
    shown = ", ".join(f"{k} {v}" for k, v in top[:limit])
    return shown + (f", {len(top) - limit} more kinds" if len(top) > limit else "")


def bench(args):
    text_bytes = os.path.getsize(args.input)
    print(f"Machine: {machine()}; load average at start {load_average()}")
    print(
        f"Input: {args.input_label} ({text_bytes:,} bytes); every timing is the median "
        f"of {args.runs} runs, each in a new process\n"
    )

    scrubs_runs = {}

    def scrubs_on(path, size):
        if size not in scrubs_runs:
            scrubs_runs[size] = time_scrubs(args.scrubs, path, args.runs)
        return scrubs_runs[size]

    rows, findings_rows, notes, failures = [], [], [], []
    version = scrubs_version(args.scrubs)
    whole = scrubs_on(args.input, text_bytes)

    plans = []
    for spec in args.peer:
        name, python, model_dir = (spec.split(",") + [""])[:3]
        if name == "presidio":
            plans.append((name, python, model_dir, False))
            plans.append((name, python, model_dir, True))
        else:
            plans.append((name, python, model_dir, False))

    for name, python, model_dir, paragraphs in plans:
        mode = "one paragraph at a time" if paragraphs else "the whole text in one call"
        label = f"{name}, {mode}"
        print(f"timing {label} ...", flush=True)
        try:
            size, path = text_bytes, args.input
            if text_bytes > PROBE_BYTES and not paragraphs:
                probe_path = os.path.join(args.workdir, "probe.md")
                probe_size = write_slice(args.input, probe_path, PROBE_BYTES)
                probe = run_measure(python, name, model_dir, probe_path, False)
                size = choose_size(text_bytes, probe_size, probe["analyse_wall"], args.budget)
                if size < text_bytes:
                    path = os.path.join(args.workdir, f"slice-{size}.md")
                    size = write_slice(args.input, path, size)
                    notes.append(
                        f"{label}: {probe['analyse_wall']:.1f} s on the first "
                        f"{probe_size:,} bytes predicts more than {args.budget:.0f} s on the "
                        f"whole text (its time grows faster than the text), so it was timed "
                        f"on the first {size:,} bytes; scrubs was timed on the same slice "
                        "for the ratio"
                    )
            results = [
                run_measure(python, name, model_dir, path, paragraphs) for _ in range(args.runs)
            ]
        except (RuntimeError, json.JSONDecodeError) as error:
            failures.append(f"{label}: {error}")
            continue
        first = results[0]
        load_wall = statistics.median(r["load_wall"] for r in results)
        analyse_wall = statistics.median(r["analyse_wall"] for r in results)
        analyse_cpu = statistics.median(r["analyse_cpu"] for r in results)
        mine = scrubs_on(path, size)
        rows.append(
            {
                "tool": f"{first['tool']} ({mode})",
                "version": first["version"],
                "detects": first["detects"],
                "bytes": size,
                "load": load_wall,
                "analyse": analyse_wall,
                "cpu": analyse_cpu,
                "ratio": {f: analyse_wall / mine[f]["wall"] for f in ("json", "human")},
                "cpu_ratio": {
                    f: analyse_cpu / max(mine[f]["cpu"], 1e-9) for f in ("json", "human")
                },
                "licence": first["licence"],
            }
        )
        scored = f"; {first['findings_scored_half']:,} with score >= 0.5" if first["scored"] else ""
        findings_rows.append(
            (
                rows[-1]["tool"],
                size,
                f"{first['findings']:,}{scored}",
                kinds(first["by_kind"]),
                mine["findings"],
            )
        )
        for note in first["notes"]:
            if note not in notes:
                notes.append(note)

    print()
    print(
        "| tool | version | what it detects | text | load (s) | analyse (s) | CPU (s) "
        "| MB/s | ÷ scrubs json | ÷ scrubs report |"
    )
    print("| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    rules = scrubs_rules(args.scrubs)
    scrubs_rows = [
        ("json", "scrubs check --format json (whole process, with fixes)", "1", "-"),
        ("human", "scrubs check (whole process, the report only)", "-", "1"),
    ]
    for key, tool, json_ratio, human_ratio in scrubs_rows:
        print(
            f"| {tool} | {version} | {len(rules)} rules | {megabytes(text_bytes):.2f} MB | "
            f"(included) | {whole[key]['wall']:.2f} | {whole[key]['cpu']:.2f} | "
            f"{megabytes(text_bytes) / whole[key]['wall']:.2f} | {json_ratio} | "
            f"{human_ratio} |"
        )
    for row in rows:
        print(
            f"| {row['tool']} | {row['version']} | {len(row['detects'])} kinds | "
            f"{megabytes(row['bytes']):.2f} MB | {row['load']:.2f} | {row['analyse']:.2f} | "
            f"{row['cpu']:.2f} | {megabytes(row['bytes']) / row['analyse']:.3f} | "
            f"{row['ratio']['json']:.1f} | {row['ratio']['human']:.1f} |"
        )
    print()
    print(
        "`÷ scrubs`: the peer's analysis time (its loading not counted) divided by the wall "
        "time of the whole scrubs process on the same bytes, with `--format json` (which "
        "also computes every finding's fixes) and with the default report. By CPU time "
        "instead (json, report): "
        + "; ".join(
            f"{row['tool']} {row['cpu_ratio']['json']:.1f}, {row['cpu_ratio']['human']:.1f}"
            for row in rows
        )
        + "."
    )
    print()
    print("| tool | text | findings | most frequent kinds | scrubs findings on the same text |")
    print("| --- | --- | ---: | --- | ---: |")
    print(
        f"| scrubs | {megabytes(text_bytes):.2f} MB | {whole['findings']:,} | "
        f"{kinds(whole['by_kind'])} | {whole['findings']:,} |"
    )
    for tool, size, count, top, theirs in findings_rows:
        print(f"| {tool} | {megabytes(size):.2f} MB | {count} | {top} | {theirs:,} |")
    print()
    print("What each tool looks for, and its licence:\n")
    print(f"- scrubs {version} (MIT OR Apache-2.0): {', '.join(rules)}")
    described = set()
    for row in rows:
        name = row["tool"].split(" (")[0]
        if name not in described:
            described.add(name)
            print(f"- {name} {row['version']} ({row['licence']}): {', '.join(row['detects'])}")
    print()
    for note in notes:
        print(f"- {note}")
    for failure in failures:
        print(f"- NOT MEASURED: {failure}")
    peer_names = []
    for spec in args.peer:
        name, python, model_dir = (spec.split(",") + [""])[:3]
        peer_names.append((name, python, model_dir))
    print_scores(args, version, peer_names)
    print(
        f"\nLoad average at the end: {load_average()} (a busy machine slows every tool; "
        "the CPU column is less sensitive to it than the wall-clock one)"
    )
    if failures and not rows:
        sys.exit(1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("make-input")
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--corpus")
    source.add_argument("--examples")
    p.add_argument("--bytes", type=int, required=True)
    p.add_argument("--out", required=True)
    p.set_defaults(run=make_input)

    p = sub.add_parser("prepare-presidio")
    p.add_argument("--model-dir", required=True)
    p.set_defaults(run=prepare_presidio)

    p = sub.add_parser("measure")
    p.add_argument("--peer", choices=["scrubadub", "presidio"], required=True)
    p.add_argument("--input", required=True)
    p.add_argument("--model-dir")
    p.add_argument("--paragraphs", action="store_true")
    p.set_defaults(run=measure)

    p = sub.add_parser("score")
    p.add_argument("--peer", choices=["scrubadub", "presidio"], required=True)
    p.add_argument("--corpus", required=True)
    p.add_argument("--model-dir")
    p.set_defaults(run=score)

    p = sub.add_parser("bench")
    p.add_argument("--input", required=True)
    p.add_argument("--input-label", required=True)
    p.add_argument("--scrubs", required=True)
    p.add_argument("--workdir", required=True)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--budget", type=float, default=60.0)
    p.add_argument(
        "--score-corpus",
        action="append",
        default=[],
        help="an annotated corpus to score every tool on (recall and precision)",
    )
    p.add_argument(
        "--peer",
        action="append",
        default=[],
        help="NAME,PYTHON[,MODEL_DIR] for each peer that installed",
    )
    p.set_defaults(run=bench)

    args = parser.parse_args()
    if getattr(args, "bytes", 1) < 1 or getattr(args, "runs", 1) < 1:
        fail("sizes and run counts must be positive whole numbers")
    args.run(args)


if __name__ == "__main__":
    main()
