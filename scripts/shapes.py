#!/usr/bin/env python3
"""shapes.py — how `scrubs check` copes with text of unusual shapes, on this machine.

A BENCHMARK, NOT A TEST: it asserts nothing and CI does not run it. Run it from the repository
root after `cargo build --release`:

    python3 scripts/shapes.py                 # every shape, 256 KB and 1 MB
    python3 scripts/shapes.py abbrev ages     # only these shapes
    SCRUBS_BIN=/elsewhere/scrubs SHAPES_RUNS=1 python3 scripts/shapes.py ages   # another build

Ordinary prose is what BENCHMARKS.md's throughput rows measure. This looks for the inputs where a
per-finding cost grows with the length of a line or a paragraph (a text pasted without line
breaks, a table, a column of ages): for each shape it writes a file of 256 KB and one of 1 MB,
times `scrubs check` on both in each output format (the fastest of three runs), and prints the seconds and how many times
longer the 1 MB file took. About 4 means the time grows with the size; 16 means it grows with
the square of it, and a file four times longer takes sixteen times as long.

The texts are made here from the bundled examples and fixed patterns (seeded), so every machine
checks the same bytes.
"""
import base64
import os
import random
import subprocess
import sys
import tempfile
import time

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
# SCRUBS_BIN: another build to time (an older commit's, to compare); SHAPES_RUNS: runs per file.
BIN = os.environ.get("SCRUBS_BIN") or os.path.join(ROOT, "target", "release", "scrubs")
RUNS = int(os.environ.get("SHAPES_RUNS", "3"))
FORMATS = ("human", "json", "sarif")


def examples():
    names = ("vignette.md", "social-post.md", "clean.md")
    return "\n\n".join(open(os.path.join(ROOT, "examples", n), encoding="utf-8").read() for n in names) + "\n\n"


def shapes(rng):
    """Each shape: a name, and a function giving at least `size` bytes of it."""
    prose = examples()
    words = ["Maria", "Lopez", "John", "Smith", "Boston", "Parkinson", "April", "Georgia", "Will", "Hope"]

    def repeat(unit):
        return lambda size: unit * (size // len(unit.encode()) + 1)

    return {
        "prose": repeat(prose),
        "prose-one-line": lambda size: repeat(prose)(size).replace("\n", " "),
        "prose-crlf": lambda size: repeat(prose)(size).replace("\n", "\r\n"),
        "prose-capitals": lambda size: repeat(prose)(size).upper(),
        "prose-fenced": lambda size: "```\n" + repeat(prose)(size) + "\n```\n",
        "abbrev": repeat("Dr. "),
        "mr-names": lambda size: " ".join("Mr. " + rng.choice(["Gray", "Smith", "Okafor"]) for _ in range(size // 8)),
        "ages": lambda size: " ".join(f"{rng.randrange(18, 100)}-year-old" for _ in range(size // 11)),
        "urls": lambda size: " ".join(f"https://example.com/{i}?q={i}" for i in range(size // 25)),
        "table": lambda size: "| a | b | c |\n|---|---|---|\n"
        + "| Maria Lopez | 03/04/2024 | 555-123-4567 |\n" * (size // 44 + 1),
        "capital-words": lambda size: " ".join(rng.choice(words) for _ in range(size // 6)),
        "numbers": lambda size: " ".join(str(rng.randrange(100000)) for _ in range(size // 5)),
        "digits": lambda size: "".join(rng.choice("0123456789") for _ in range(size)),
        "csv": lambda size: "".join(",".join(str(rng.randrange(1000)) for _ in range(10)) + "\n" for _ in range(size // 38)),
        "base64": lambda size: base64.b64encode(rng.randbytes(size * 3 // 4 + 3)).decode(),
        "data-uri-image": lambda size: "![x](data:image/png;base64," + base64.b64encode(rng.randbytes(size * 3 // 4)).decode() + ")",
        "markup-soup": lambda size: "".join(rng.choice("*_`[]()<>!\\#\n a") for _ in range(size)),
        "stars": repeat("*"),
        "backticks": repeat("`"),
        "brackets": repeat("["),
        "quotes": repeat(">"),
        "headings": repeat("#"),
        "html": repeat("<div>"),
        "nested-lists": lambda size: "".join("  " * (i % 200) + "- item\n" for i in range(size // 100 + 1)),
        "one-word": repeat("a"),
        "hyphens": repeat("a-"),
        "apostrophes": repeat("a'"),
        "periods": repeat("a. "),
        "spaces": repeat(" "),
        "tabs": repeat("\t"),
        "newlines": repeat("\n"),
        "cr-only": lambda size: repeat(prose)(size).replace("\n", "\r"),
        "cjk": lambda size: "".join(chr(rng.randrange(0x4E00, 0x9FFF)) for _ in range(size // 3 + 1)),
        "emoji": lambda size: "".join(rng.choice("😀🩺💉 \n") for _ in range(size // 3 + 1)),
        "combining": repeat("e\u0301"),
    }


def cut(text, size):
    data = text.encode("utf-8")[:size]
    return data.decode("utf-8", errors="ignore").encode("utf-8")


def timed(args):
    start = time.perf_counter()
    subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def main():
    if not os.path.exists(BIN):
        sys.exit(f"shapes.py: {BIN} is missing: run `cargo build --release` first, then this again.")
    rng = random.Random(7)
    wanted = sys.argv[1:]
    table = shapes(rng)
    unknown = [w for w in wanted if w not in table]
    if unknown:
        sys.exit(f"shapes.py: no shape called {', '.join(unknown)}; the shapes are: {', '.join(table)}")
    sizes = (256_000, 1_000_000)
    print("| shape | " + " | ".join(f"{f} 256 KB / 1 MB (s) | ×" for f in FORMATS) + " |")
    print("| --- |" + " --- | --- |" * len(FORMATS))
    with tempfile.TemporaryDirectory() as work:
        for name, make in table.items():
            if wanted and name not in wanted:
                continue
            text = make(max(sizes))
            paths = []
            for size in sizes:
                path = os.path.join(work, f"{name}-{size}.md")
                with open(path, "wb") as f:
                    f.write(cut(text, size))
                paths.append(path)
            cells = []
            for fmt in FORMATS:
                small, large = (min(timed([BIN, "check", "--format", fmt, p]) for _ in range(RUNS)) for p in paths)
                cells.append(f"{small:.3f} / {large:.3f} | {large / small:.1f}")
            print(f"| {name} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
