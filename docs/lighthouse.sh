#!/usr/bin/env bash
# Lighthouse 12 (from npm, kept in ~/.cache/vitrine-lighthouse) on the built
# example site behind a plain static server, in Debian's headless Chromium:
# the four category scores of the home, section, tag, declared-filter and
# case pages in Dutch and French, and the audits below 1 that count for a
# score. A measure, not a test (the performance score depends on the
# machine): the figures go in docs/benchmarks.md.
#
#   bash docs/lighthouse.sh [VITRINE_BINARY]
set -euo pipefail
cd "$(dirname "$0")/.."
vitrine=${1:-${CARGO_TARGET_DIR:-target}/release/vitrine}
lh="$HOME/.cache/vitrine-lighthouse"
[ -x "$lh/node_modules/.bin/lighthouse" ] ||
  (mkdir -p "$lh" && cd "$lh" && npm install --no-audit --no-fund --silent lighthouse@12)
work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
"$vitrine" build --output "$work/site" >/dev/null 2>&1
python3 -m http.server 8799 --bind 127.0.0.1 -d "$work/site" >/dev/null 2>&1 &
server=$!
sleep 1
for page in nl/ fr/ nl/cases/ fr/projets/ nl/trefwoorden/participatie/ fr/mots-cles/commerce/ \
  nl/sector/overheid/ nl/cases/gebiedsvisie-bavel/ fr/projets/city-2-bruxelles/; do
  report="$work/$(echo "$page" | tr / _).json"
  CHROME_PATH=/usr/bin/chromium "$lh/node_modules/.bin/lighthouse" "http://127.0.0.1:8799/$page" --quiet \
    --chrome-flags="--headless=new --no-sandbox" --output=json --output-path="$report" >/dev/null 2>&1
  python3 - "$report" "$page" <<'EOF'
import json, sys
report = json.load(open(sys.argv[1]))
scores = {k: round(v["score"] * 100) for k, v in report["categories"].items()}
print(f"{sys.argv[2]:<36}", "  ".join(f"{k} {v}" for k, v in scores.items()))
for a in report["audits"].values():
    if a.get("score") is not None and a["score"] < 1 and a.get("scoreDisplayMode") in ("binary", "numeric") and not a["id"].endswith("-insight"):
        print(f"    {a['id']}: {a['score']} {a.get('displayValue', '')}")
EOF
done
