#!/usr/bin/env bash
# Does a change leave every output byte as it was? Builds the example site and
# a generated corpus with two vitrine binaries and compares the outputs.
#   docs/same-output.sh OLD_BINARY NEW_BINARY [CASES]
# (tests/it/same_output.rs holds the example site to a recorded list; this also
# covers a corpus of CASES cases, 1000 by default, half of them with posters)
set -euo pipefail
old=$1 new=$2 cases=${3:-1000}
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 "$here/../shared/bench/gen_corpus.py" --cases "$cases" --out "$work/corpus" --format vitrine >/dev/null
for site in "$here" "$work/corpus"; do
  "$old" --root "$site" build --output "$work/old" >/dev/null 2>&1
  "$new" --root "$site" build --output "$work/new" >/dev/null 2>&1
  if diff -r "$work/old" "$work/new" >/dev/null; then
    echo "same: $site ($(find "$work/new" -type f | wc -l) files)"
  else
    echo "DIFFERENT: $site"; diff -rq "$work/old" "$work/new" | head -20; exit 1
  fi
  rm -rf "$work/old" "$work/new"
done
