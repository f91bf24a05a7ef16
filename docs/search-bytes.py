#!/usr/bin/env python3
"""What a query of the search box loads, read from a built site: for each
query, the files search.js would fetch (meta.json, the vocabulary part of
each word, the document files of the first ten results) and their bytes.
Works the results out as the script does (words matched whole, the last
also as the beginning of others; BM25 scores times rarity, every word
required; not the script's fallback for a form the site lacks).

    docs/search-bytes.py OUTPUT_FOLDER LANG WORD [WORD ...]
"""
import json, math, os, sys

FOLDED = dict(zip("ßàáâãäåæçèéêëìíîïñòóôõöøùúûüýÿœ",
                  ["ss"] + list("aaaaaa") + ["ae", "c"] + list("eeeeiiiinoooooouuuuyy") + ["oe"]))

def fold(w):
    return "".join(FOLDED.get(c, c) for c in w.lower())

def part_of(word, parts):
    h = 0x811C9DC5
    for b in word[:2].encode():
        h = ((h ^ b) * 0x01000193) & 0xFFFFFFFF
    return h % parts

def main():
    out, lang, queries = sys.argv[1], sys.argv[2], sys.argv[3:]
    folder = os.path.join(out, "search", lang)
    size = lambda rel: os.path.getsize(os.path.join(folder, rel))
    meta = json.load(open(os.path.join(folder, "meta.json")))
    docs_n = meta["docs"]
    worst = 0
    for q in queries:
        loaded = {"meta.json"}
        total = None
        terms = [fold(w) for w in q.split()]
        for k, term in enumerate(terms):
            rel = f"w/{part_of(term, meta['parts'])}.json"
            loaded.add(rel)
            part = json.load(open(os.path.join(folder, rel)))
            scores = {}
            # a word of the site counts as itself, but the last (still being
            # typed) also stands for the words it begins
            whole = term in part["w"] and k < len(terms) - 1
            for w, stem in part["w"].items():
                if not (w == term if whole else w.startswith(term)):
                    continue
                fit = 1 if w == term else 0.5 + 0.5 * len(term) / len(w)
                p = part["p"][stem]
                n = len(p) // 2
                idf = math.log(1 + (docs_n - n + 0.5) / (n + 0.5))
                doc = 0
                for i in range(0, len(p), 2):
                    doc += p[i]
                    scores[doc] = max(scores.get(doc, 0), p[i + 1] * idf * fit)
            total = scores if total is None else {d: s + scores[d] for d, s in total.items() if d in scores}
        ranked = sorted(total.items(), key=lambda x: (-x[1], x[0]))
        for doc, _ in ranked[:10]:
            loaded.add(f"d/{doc // meta['per_file']}.json")
        first = ""
        if ranked:
            d = ranked[0][0]
            first = json.load(open(os.path.join(folder, f"d/{d // meta['per_file']}.json")))[d % meta["per_file"]][0]
        kb = sum(size(r) for r in loaded) / 1000
        worst = max(worst, kb)
        print(f"{q!r}: {len(ranked)} results, first {first}; {len(loaded)} files, {kb:.1f} KB")
    print(f"most loaded by one query: {worst:.1f} KB")

main()
