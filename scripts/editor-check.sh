#!/usr/bin/env bash
# The language server in a real editor: Neovim's built-in LSP client, headless (see
# scripts/editor-check.lua for the steps). Needs `nvim` (Debian: apt-get install neovim) and a
# built whittle (WHITTLE, default target/debug/whittle).
#
#   scripts/editor-check.sh        # prints PASSED, or FAILED with the log; exit 1 on failure
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
whittle=${WHITTLE:-$repo/target/debug/whittle}
case $whittle in /*) ;; *) whittle=$PWD/$whittle ;; esac
fail() { echo "FAILED: editor check: $*" >&2; exit 1; }

command -v nvim >/dev/null || fail "nvim is not installed (Debian: apt-get install neovim)"
[ -x "$whittle" ] || fail "no whittle binary at $whittle (cargo build)"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/project"
printf 'FROM alpine:3.20 as build\nRUN true\n' > "$tmp/project/Dockerfile"
# What the quick fix must give: whittle check --fix with only that rule.
cp "$tmp/project/Dockerfile" "$tmp/expected.Dockerfile"
"$whittle" check --fix --select WH502 "$tmp/expected.Dockerfile" >/dev/null 2>&1 || true
grep -q '^FROM alpine:3.20 AS build$' "$tmp/expected.Dockerfile" \
  || fail "whittle check --fix did not fix the sample: $(cat "$tmp/expected.Dockerfile")"

set +e
WHITTLE=$whittle CHECK_FILE=$tmp/project/Dockerfile CHECK_EXPECTED=$tmp/expected.Dockerfile \
  CHECK_REPORT=$tmp/report.txt timeout 120 \
  nvim --headless -u NONE -i NONE -n -c "luafile $repo/scripts/editor-check.lua" \
  </dev/null >"$tmp/nvim.out" 2>&1
code=$?
set -e
[ -f "$tmp/report.txt" ] && sed 's/^/  /' "$tmp/report.txt"
if [ $code -ne 0 ]; then
  sed 's/^/  nvim: /' "$tmp/nvim.out" | tail -20
  fail "nvim exited with $code"
fi
grep -q '^FAILED' "$tmp/report.txt" && fail "see the log above"
echo "PASSED: editor check (Neovim's LSP client: diagnostics, hover, quick fix, file written)"
