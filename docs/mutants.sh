#!/usr/bin/env bash
# Mutation testing of the modules that carry vitrine's promises: cargo-mutants
# plants one defect at a time (a function returning a default, an operator
# swapped, a condition negated) and runs the tests that hold the module; a
# mutant that no test fails is "missed". Figures and the mutants written off
# as equivalent: docs/testing.md.
#
#   docs/mutants.sh                 every module below (hours on two cores)
#   docs/mutants.sh typography urls the ones named
#   MUTANTS_ARGS="--timeout 60" docs/mutants.sh http
#                                   with more options for cargo-mutants (a
#                                   mutant that stops serve makes the serve
#                                   tests wait out their timeouts: a shorter
#                                   limit than 5 × the baseline saves hours)
#
# Results per module in mutants.out/<module>/ (missed.txt, caught.txt,
# unviable.txt, timeout.txt). Too long for CI, which runs the tests themselves.
set -euo pipefail
cd "$(dirname "$0")/.."

# per module: its file, then the tests that hold it: the unit tests of the
# library (`--lib`) and, where the promise is seen from the outside, the
# integration tests whose names match (libtest filters, any of them)
MODULES=(
  "typography src/text/typography.rs --lib --test it -- typography theme_i18n travel"
  "urls src/model/urls.rs --lib --test it -- urls example_site aliases"
  "diagnostic src/diagnostic/mod.rs --lib --test it -- diagnostic errors bad_input guides"
  "http src/serve/http.rs --lib --test it -- http serve_load cms"
  "snapshot src/serve/snapshot.rs --lib --test it -- snapshot serve_rebuild serve_http"
  "pdf src/poster/pdf.rs --lib --test it -- poster"
  "check src/commands/check.rs --lib --test it -- check"
  "cms src/serve/cms.rs --lib --test it -- cms"
  "admin src/render/admin.rs --lib --test it -- admin cms"
)

command -v cargo-mutants >/dev/null 2>&1 || cargo install --locked cargo-mutants
# parallel jobs (`-j`) must not share a target folder: each would overwrite
# the test binary the others are about to run (the same name whatever the
# mutant), and a mutant would be tested with another's code
if [[ " ${MUTANTS_ARGS:-} " =~ \ (-j|--jobs)[\ =]*([0-9]+) ]] && [ "${BASH_REMATCH[2]}" != 1 ]; then
  unset CARGO_TARGET_DIR
fi
# the tests need what CI gives them; without poppler the poster tests say so
export NO_COLOR=1
# serve's tests mostly wait (for a rebuild, a timeout of the server); more
# threads than cores let those waits overlap, and a mutant that stops serve
# costs one wait instead of one per test
export RUST_TEST_THREADS=${RUST_TEST_THREADS:-8}

mkdir -p mutants.out
for entry in "${MODULES[@]}"; do
  read -r m file tests <<<"$entry"
  if [ $# -gt 0 ] && [[ " $* " != *" $m "* ]]; then continue; fi
  echo "== $m: $file"
  # shellcheck disable=SC2086 # the arguments are words on purpose
  cargo mutants ${MUTANTS_ARGS:-} --output "mutants.out/$m" --file "$file" -- $tests || true
  out="mutants.out/$m/mutants.out"
  caught=$(wc -l < "$out/caught.txt"); missed=$(wc -l < "$out/missed.txt")
  timeout=$(wc -l < "$out/timeout.txt"); unviable=$(wc -l < "$out/unviable.txt")
  echo "$m: $caught caught, $missed missed, $timeout timed out, $unviable unviable"
  [ "$missed" -eq 0 ] || sed 's/^/  missed: /' "$out/missed.txt"
done
