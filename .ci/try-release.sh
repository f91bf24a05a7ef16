#!/usr/bin/env bash
# What can be proven here of a release: the Linux archive is made by the
# command the release workflow runs (scripts/package.sh), published on a
# loopback server laid out as GitHub's release downloads are, fetched and
# checked by docs/examples/fetch-vitrine.sh as every deploy recipe does,
# and run in an empty folder with nothing on PATH: init, build, check.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
target=x86_64-unknown-linux-musl
version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$repo/Cargo.toml" | head -1)
rustup target add "$target" >/dev/null
if ! command -v musl-gcc >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends musl-tools >/dev/null
fi
work=$(mktemp -d)
server=
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
dist="$work/web/OWNER/vitrine/releases/download/v$version"
archive=$("$repo/scripts/package.sh" "$target" "$dist" | tail -1)
echo "made $(basename "$archive") ($(du -k "$archive" | cut -f1) KB)"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server --bind 127.0.0.1 --directory "$work/web" "$port" >/dev/null 2>&1 &
server=$!
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/" >/dev/null && break; sleep 0.1; done
# a site's repository: the fetch script with this release pinned
mkdir "$work/site-repo"
sed -e "s#^VERSION=.*#VERSION=$version#" -e "s#^REPO=.*#REPO=http://127.0.0.1:$port/OWNER/vitrine#" \
  -e "/^[0-9a-f]\{64\}  vitrine-/d" -e "s#^SUMS='\$#SUMS='\n$(cut -d' ' -f1 "$archive.sha256")  $(basename "$archive")#" \
  "$repo/docs/examples/fetch-vitrine.sh" > "$work/site-repo/fetch-vitrine.sh"
cd "$work/site-repo"
bash fetch-vitrine.sh
# one file that needs no library of the system
if command -v ldd >/dev/null && ldd bin/vitrine 2>&1 | grep -q '=>'; then
  echo "the release binary is not static:" >&2; ldd bin/vitrine >&2; exit 1
fi
# a wrong sum is refused
sed 's/^[0-9a-f]\{64\}  vitrine/0000000000000000000000000000000000000000000000000000000000000000  vitrine/' fetch-vitrine.sh > bad.sh
mv bin good-bin
if bash bad.sh >/dev/null 2>&1 || [ -e bin/vitrine ]; then echo "a wrong SHA-256 was accepted" >&2; exit 1; fi
mv good-bin bin
# nothing else on PATH
env -i PATH=/nonexistent HOME="$work" VITRINE_CACHE_DIR="$work/cache" bin/vitrine init site --title "Try"
cd site
env -i PATH=/nonexistent HOME="$work" VITRINE_CACHE_DIR="$work/cache" ../bin/vitrine build
env -i PATH=/nonexistent HOME="$work" VITRINE_CACHE_DIR="$work/cache" ../bin/vitrine check
test -f output/index.html
echo "the release archive: fetched, checked, and ran init, build and check with nothing on PATH"
