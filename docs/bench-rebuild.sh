#!/bin/bash
# A second build over an existing output against a first build into an
# empty folder (docs/benchmarks.md, "Replacing an output"). Both with a warm
# cache; each round waits, untimed, until the detached removal of the old
# tree is over, so that it overlaps neither timing.
#
#   python3 ../shared/bench/gen_corpus.py --cases 10000 --out /tmp/bench-10000/vitrine --format vitrine
#   SITE=/tmp/bench-10000/vitrine OUT=/var/tmp/bench-rebuild ROUNDS=5 docs/bench-rebuild.sh
set -eu
V=${VITRINE:-$(cd "$(dirname "$0")/.." && pwd)/target/release/vitrine}
SITE=${SITE:-/tmp/bench-10000/vitrine}
OUT=${OUT:-/dev/shm/bench-rebuild}
export VITRINE_CACHE_DIR=$OUT/cache
rm -rf "$OUT" && mkdir -p "$OUT"
"$V" build --root "$SITE" --output "$OUT/site" > /dev/null
settle() { while compgen -G "$OUT/.site.vitrine-*" > /dev/null; do sleep 0.05; done; sync; }
echo "round build wall_s"
for i in $(seq "${ROUNDS:-5}"); do
  rm -rf "$OUT/site"; settle
  /usr/bin/time -f "$i first %e" "$V" build --root "$SITE" --output "$OUT/site" 2>&1 > /dev/null | tail -1
  settle
  /usr/bin/time -f "$i second %e" "$V" build --root "$SITE" --output "$OUT/site" 2>&1 > /dev/null | tail -1
  start=$(date +%s.%N); settle
  echo "$i removal-after-return $(echo "$(date +%s.%N) - $start" | bc)"
done
