#!/bin/bash
# The poster targets of docs/benchmarks.md: the poster-free corpus, the
# posters corpus without a cache and with a warm one, one after the other in
# each round, so that the machine's moods hit all three alike. The
# poster-free corpus is built with the cache (`free`: its share images are
# linked) and without (`freenc`: drawn).
#
#   python3 ../shared/bench/gen_corpus.py ... (or ../shared/bench/run.sh) makes
#   FREE=/tmp/bench-10000/vitrine (STRATEGY_RATIO=0) and
#   POSTERS=/tmp/bench-10000p/vitrine (STRATEGY_RATIO=0.5); then
#   ROUNDS=8 docs/bench-posters.sh > bench.log
# With PAGES_ONLY=<a vitrine from before share images, e.g. built at e03a72a>,
# each round also builds the poster-free corpus with it: pages alone.
set -eu
V=${VITRINE:-$(cd "$(dirname "$0")/.." && pwd)/target/release/vitrine}
FREE=${FREE:-/tmp/bench-10000/vitrine}
POSTERS=${POSTERS:-/tmp/bench-10000p/vitrine}
OUT=${OUT:-/dev/shm/bench-posters}
CACHE=$OUT/cache # on the output's file system, so cached posters are hard-linked
rm -rf "$OUT" && mkdir -p "$OUT"
VITRINE_CACHE_DIR=$CACHE "$V" build --root "$POSTERS" --output "$OUT/fill" > /dev/null
echo "round build wall_s user_s sys_s max_rss_kb"
for i in $(seq "${ROUNDS:-8}"); do
  for kind in ${PAGES_ONLY:+pages} free freenc nocache warm; do
    bin=$V
    case $kind in
      pages) root=$FREE cache=/proc/nocache bin=$PAGES_ONLY ;;
      free) root=$FREE cache=$CACHE ;;
      freenc) root=$FREE cache=/proc/nocache ;;
      nocache) root=$POSTERS cache=/proc/nocache ;;
      warm) root=$POSTERS cache=$CACHE ;;
    esac
    rm -rf "${OUT:?}/$kind"
    VITRINE_CACHE_DIR=$cache /usr/bin/time -f "$i $kind %e %U %S %M" \
      "$bin" build --root "$root" --output "$OUT/$kind" 2>&1 > /dev/null | tail -1
  done
done
