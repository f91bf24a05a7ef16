#!/usr/bin/env bash
# Fetches a pinned vitrine release for this machine, checks its SHA-256 and
# puts the binary at bin/vitrine: what the deploy recipes of docs/deploy.md
# run instead of compiling vitrine (a few seconds). Copy it into the site's
# repository, set VERSION and REPO, and paste into SUMS the lines of the
# release's SHA256SUMS for the systems that build the site.
#   bash fetch-vitrine.sh && bin/vitrine build
set -euo pipefail
VERSION=0.1.0
REPO=https://github.com/OWNER/vitrine
SUMS='
0000000000000000000000000000000000000000000000000000000000000000  vitrine-0.1.0-x86_64-unknown-linux-musl.tar.gz
'
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) target=x86_64-unknown-linux-musl ;;
  Linux-aarch64 | Linux-arm64) target=aarch64-unknown-linux-musl ;;
  Darwin-x86_64) target=x86_64-apple-darwin ;;
  Darwin-arm64) target=aarch64-apple-darwin ;;
  *) echo "no vitrine release for $(uname -s) $(uname -m): cargo install it" >&2; exit 1 ;;
esac
archive="vitrine-$VERSION-$target.tar.gz"
if bin/vitrine --version 2>/dev/null | grep -qx "vitrine $VERSION"; then
  exit 0
fi
line=$(grep -F "  $archive" <<<"$SUMS" || true)
if [ -z "$line" ]; then
  echo "no SHA-256 pinned for $archive: paste its line of the release's SHA256SUMS into SUMS" >&2
  exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
curl -fsSL --retry 3 -o "$tmp/$archive" "$REPO/releases/download/v$VERSION/$archive"
if command -v sha256sum >/dev/null; then check=(sha256sum -c --quiet); else check=(shasum -a 256 -c --quiet); fi
(cd "$tmp" && "${check[@]}" <<<"$line")
tar -xzf "$tmp/$archive" -C "$tmp"
mkdir -p bin
mv "$tmp/vitrine-$VERSION-$target/vitrine" bin/vitrine
bin/vitrine --version
