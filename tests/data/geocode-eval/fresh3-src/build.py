#!/usr/bin/env python3
"""Build fresh3-dev.tsv / fresh3-holdout.tsv from the draft lists in this folder.

No project code is used. Existing eval files are read only to collect their queries
for the overlap check; nothing from them is printed.
"""
import glob, os, random, re, sys, unicodedata
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.dirname(HERE)
EXISTING = "/work/main/tests/data/geocode-eval"
DRAFTS = ["draft_na_au.txt", "draft_world.txt", "draft_regions_bare.txt",
          "draft_nonlatin.txt", "draft_noise_junk.txt", "draft_extra.txt"]
CATS = {"big", "city", "town", "small_town", "region", "country", "coords", "junk"}
TARGET = int(os.environ.get("TARGET", "900"))   # 0 = no down-sampling
TARGET_NONLATIN = 225
SAMPLE_SEED = 900
SPLIT_SEED = 3031

EXP_RE = re.compile(r"^(city:[^:]+:[A-Z]{2}(:[A-Z0-9]+)?|region:[A-Z]{2}:[A-Z0-9]+|"
                    r"country:[A-Z]{2}|point:-?\d+(\.\d+)?,-?\d+(\.\d+)?|none)$")

def script_of(q):
    lat = non = 0
    for ch in q:
        if ch.isalpha():
            if unicodedata.name(ch, "").startswith("LATIN"):
                lat += 1
            else:
                non += 1
        elif unicodedata.category(ch) in ("Mn", "Mc"):
            # combining marks of Indic/Thai etc. scripts count with their letters
            if not unicodedata.name(ch, "").startswith("COMBINING"):
                non += 1
    return "nonlatin" if non > lat else "latin"

def norm(q):
    return q.strip().casefold()

def load_drafts():
    rows, seen, dup = [], set(), 0
    for fn in DRAFTS:
        for i, line in enumerate(open(os.path.join(HERE, fn), encoding="utf-8"), 1):
            line = line.rstrip("\n")
            if not line.strip():
                continue
            q, e, c = line.split(" @@ ")
            assert "\t" not in q, (fn, i)
            assert EXP_RE.match(e), (fn, i, e)
            assert c in CATS, (fn, i, c)
            assert (e == "none") == (c == "junk"), (fn, i)
            assert (c == "coords") == e.startswith("point:"), (fn, i)
            assert (c == "region") == e.startswith("region:"), (fn, i)
            assert (c == "country") == e.startswith("country:"), (fn, i)
            if norm(q) in seen:
                dup += 1
                continue
            seen.add(norm(q))
            rows.append({"query": q.strip(), "expected": e, "category": c,
                         "script": script_of(q)})
    return rows, dup

def existing_queries():
    qs = set()
    for path in sorted(glob.glob(os.path.join(EXISTING, "*.tsv"))):
        with open(path, encoding="utf-8") as f:
            header = f.readline().rstrip("\n").split("\t")
            qi = header.index("query")
            for line in f:
                parts = line.rstrip("\n").split("\t")
                if len(parts) > qi:
                    qs.add(norm(parts[qi]))
    return qs

def table(rows):
    c = Counter(r["category"] for r in rows)
    s = Counter(r["script"] for r in rows)
    return [len(rows)] + [c[k] for k in ["big", "city", "town", "small_town", "region",
                                         "country", "coords", "junk"]] + [s["latin"], s["nonlatin"]]

def main():
    rows, dup = load_drafts()
    print("draft rows (after %d internal duplicates):" % dup, table(rows))
    ex = existing_queries()
    kept = [r for r in rows if norm(r["query"]) not in ex]
    print("dropped as already in existing files:", len(rows) - len(kept))
    print("after overlap check:", table(kept))
    if TARGET and len(kept) > TARGET:
        # down-sample only big/city/town/region rows, uniformly within each script:
        # first the non-Latin ones down to TARGET_NONLATIN non-Latin rows in all,
        # then the Latin ones down to TARGET rows in all. Junk, small towns,
        # countries and coordinates are all kept.
        rng = random.Random(SAMPLE_SEED)
        def pool(script):
            return [i for i, r in enumerate(kept) if r["script"] == script
                    and r["category"] in ("big", "city", "town", "region")]
        n_non = sum(r["script"] == "nonlatin" for r in kept)
        drop = set(rng.sample(pool("nonlatin"), max(0, n_non - TARGET_NONLATIN)))
        drop |= set(rng.sample(pool("latin"), len(kept) - len(drop) - TARGET))
        kept = [r for i, r in enumerate(kept) if i not in drop]
        print("after down-sampling (seed %d):" % SAMPLE_SEED, table(kept))
    rng = random.Random(SPLIT_SEED)
    order = kept[:]
    rng.shuffle(order)
    ndev = round(len(order) * 0.3)
    dev, hold = order[:ndev], order[ndev:]
    for name, part in [("fresh3-dev.tsv", dev), ("fresh3-holdout.tsv", hold)]:
        with open(os.path.join(OUT, name), "w", encoding="utf-8") as f:
            f.write("query\texpected\tcategory\tscript\n")
            for r in part:
                f.write("\t".join([r["query"], r["expected"], r["category"], r["script"]]) + "\n")
        print(name, table(part))
    tot = table(kept)
    n = tot[0]; junk = tot[8]; non = tot[10]; small = tot[4]
    print("junk %.1f%%  nonlatin %.1f%%  small_town %.1f%% of non-junk" %
          (100 * junk / n, 100 * non / n, 100 * small / (n - junk)))

if __name__ == "__main__":
    main()
