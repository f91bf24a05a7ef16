#!/usr/bin/env bash
# Builds vitrine for one target and packs it as the release attaches it:
#   scripts/package.sh TARGET [OUT_DIR]
# (VITRINE_BUILD=zigbuild builds with cargo-zigbuild, for a target that
# needs another system's linker: aarch64 Linux from x86_64)
# gives OUT_DIR/vitrine-<version>-<TARGET>.tar.gz (.zip for Windows) with the
# binary and README.md, and beside it the archive's SHA-256 in
# <archive>.sha256 (the format of `sha256sum`, checked with `sha256sum -c`).
# The release workflow (.github/workflows/release.yml) runs it for each
# system; .ci/run runs it for Linux and tries the archive in an empty folder.
set -euo pipefail
target=$1
out=${2:-dist}
here=$(cd "$(dirname "$0")/.." && pwd)
version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$here/Cargo.toml" | head -1)
name="vitrine-$version-$target"
cargo "${VITRINE_BUILD:-build}" --release --locked --target "$target" --manifest-path "$here/Cargo.toml"
target_dir=${CARGO_TARGET_DIR:-$here/target}
exe=vitrine
case "$target" in *windows*) exe=vitrine.exe ;; esac
mkdir -p "$out"
out=$(cd "$out" && pwd)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir "$stage/$name"
cp "$target_dir/$target/release/$exe" "$here/README.md" "$stage/$name/"
cd "$stage"
case "$target" in
  *windows*) archive="$name.zip"; 7z a -tzip -bso0 "$out/$archive" "$name" ;;
  *) archive="$name.tar.gz"; tar -czf "$out/$archive" "$name" ;;
esac
cd "$out"
if command -v sha256sum >/dev/null; then sha256sum "$archive"; else shasum -a 256 "$archive"; fi > "$archive.sha256"
echo "$out/$archive"
