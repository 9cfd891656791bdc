#!/usr/bin/env bash
# The VS Code extension from a clean checkout: install its locked packages, compile, lint, test
# and package it, then print the .vsix and its size. Run from the repository root.
# The test of the real server uses target/debug/scrubs (or SCRUBS_BIN); with CI=true it must exist,
# so run this after `cargo test`.
set -euo pipefail
cd "$(dirname "$0")/../editors/vscode"

npm ci --no-audit --no-fund
npm run compile
npm run lint
npm test

rm -f ./*.vsix
npx --no vsce package

# The package must hold only what runs: no sources, tests or source maps.
unwanted=$(npx --no vsce ls | grep -E '^(src/|test/|out/test/)|\.map$|\.ts$' || true)
if [ -n "$unwanted" ]; then
  echo "The .vsix holds files it should not (fix .vscodeignore):" >&2
  echo "$unwanted" >&2
  exit 1
fi

vsix=$(ls ./*.vsix)
bytes=$(stat -c %s "$vsix")
echo "Packaged editors/vscode/${vsix#./}: $bytes bytes ($(( (bytes + 1023) / 1024 )) KB)"
