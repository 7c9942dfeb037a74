#!/usr/bin/env bash
# Runs this repository's pre-commit hooks (.pre-commit-hooks.yaml) for real: installs pre-commit
# from PyPI into a temporary virtualenv, makes a throwaway git repository whose
# .pre-commit-config.yaml is the README's snippet as written, pointed at this checkout (its URL
# replaced by the checkout's path, its `rev` by the HEAD commit, after checking that the rev it
# names is a tag of this repository), and runs both hooks on a bad and a good Dockerfile.
#
#   scripts/pre-commit-test.sh            # prints PASSED, or SKIPPED when PyPI is unreachable
#   WHITTLE_REQUIRE_PRE_COMMIT=1 scripts/pre-commit-test.sh   # (CI) FAILED instead of SKIPPED
#
# pre-commit clones the repository at HEAD, so it tests what is committed (a dirty work tree is
# reported, not tested). The first run per commit builds whittle with `cargo install` (release);
# PRE_COMMIT_HOME (default: target/pre-commit-home) keeps that build between runs.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-python3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export PRE_COMMIT_HOME=${PRE_COMMIT_HOME:-$repo/target/pre-commit-home}
# cargo install (inside pre-commit) reuses this checkout's compiled dependencies.
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$repo/target}

fail() { echo "FAILED: pre-commit test: $*" >&2; exit 1; }
skip() {
  [ "${WHITTLE_REQUIRE_PRE_COMMIT:-}" = 1 ] && fail "$* (required: WHITTLE_REQUIRE_PRE_COMMIT=1)"
  echo "SKIPPED: pre-commit test: $*"
  exit 0
}

# The README's snippet, and the repository URL it must name (Cargo.toml's `repository`).
url=$(sed -n 's/^repository = "\(.*\)"$/\1/p' "$repo/Cargo.toml")
[ -n "$url" ] || fail "Cargo.toml has no repository URL"
"$python" - "$repo/README.md" "$url" > "$tmp/snippet.yaml" <<'PY' || fail "README.md has no pre-commit snippet naming $url"
import re, sys
readme, url = open(sys.argv[1]).read(), sys.argv[2]
for block in re.findall(r"```yaml\n(.*?)```", readme, re.S):
    if "repos:" in block and "id: whittle" in block:
        if f"repo: {url}" not in block:
            sys.exit(f"the snippet's repo is not {url}")
        print(block, end="")
        sys.exit(0)
sys.exit(1)
PY
readme_rev=$(sed -n 's/^ *rev: *\([^ #]*\).*/\1/p' "$tmp/snippet.yaml" | head -1)
[ -n "$readme_rev" ] || fail "the README's snippet has no rev"
git -C "$repo" rev-parse -q --verify "refs/tags/$readme_rev" >/dev/null \
  || fail "the README's snippet names rev $readme_rev, which is not a tag of this repository"

if ! "$python" -m venv "$tmp/venv" >/dev/null 2>&1; then
  skip "'$python -m venv' does not work here"
fi
if ! "$tmp/venv/bin/pip" install --quiet --disable-pip-version-check --timeout 20 pre-commit \
    >"$tmp/pip.log" 2>&1; then
  sed 's/^/  pip: /' "$tmp/pip.log" | tail -3
  skip "cannot install pre-commit from PyPI (unreachable?)"
fi
pre_commit=$tmp/venv/bin/pre-commit
echo "pre-commit $("$pre_commit" --version | awk '{print $2}')"

rev=$(git -C "$repo" rev-parse HEAD)
if [ -n "$(git -C "$repo" status --porcelain --untracked-files=no)" ]; then
  echo "note: uncommitted changes in $repo are not tested (pre-commit uses commit $rev)"
fi
git -C "$repo" cat-file -e "$rev:.pre-commit-hooks.yaml" 2>/dev/null \
  || fail ".pre-commit-hooks.yaml is not committed at $rev"

# The throwaway project.
work=$tmp/project
mkdir -p "$work/bad" "$work/good" "$work/docs"
cd "$work"
git init --quiet .
git config user.email test@example.invalid
git config user.name "pre-commit test"
# The README's snippet as written, but for where the repository is and which commit is tested.
sed -e "s#repo: $url#repo: $repo#" -e "s#rev: $readme_rev#rev: $rev#" "$tmp/snippet.yaml" \
  > .pre-commit-config.yaml
grep -q "repo: $repo" .pre-commit-config.yaml && grep -q "rev: $rev" .pre-commit-config.yaml \
  || fail "could not point the README's snippet at this checkout: $(cat .pre-commit-config.yaml)"
grep -q "id: whittle-fix" .pre-commit-config.yaml || fail "the README's snippet lacks the whittle-fix hook"
# WH502 from-as-casing: a finding with a safe fix.
printf 'FROM alpine:3.20 as build\nRUN true\n' > bad/Dockerfile
printf 'FROM alpine:3.20 as build\nRUN true\n' > bad/api.Dockerfile
printf 'FROM alpine:3.20 as build\nRUN true\n' > bad/lower.dockerfile
printf 'FROM alpine:3.20\nRUN echo ok\n' > good/Dockerfile
printf 'FROM alpine:3.20 as build\nnot a Dockerfile name, never linted\n' > docs/notes.txt
git add -A
git commit --quiet -m fixture

run() { # hook files... -> exit code; output in $tmp/out
  local hook=$1; shift
  set +e
  "$pre_commit" run "$hook" --color never --files "$@" >"$tmp/out" 2>&1
  local code=$?
  set -e
  sed 's/^/    /' "$tmp/out"
  return $code
}

echo "1. whittle on a good Dockerfile: expect pass"
run whittle good/Dockerfile || fail "whittle failed on good/Dockerfile"
grep -q "Passed" "$tmp/out" || fail "whittle did not run on good/Dockerfile"

echo "2. whittle on a bad Dockerfile: expect failure naming the rule"
if run whittle bad/Dockerfile bad/api.Dockerfile bad/lower.dockerfile; then fail "whittle passed a bad Dockerfile"; fi
grep -q "WH502" "$tmp/out" || fail "whittle's output does not name WH502"
grep -q "bad/api.Dockerfile" "$tmp/out" || fail "*.Dockerfile was not passed to the hook"
grep -q "bad/lower.dockerfile" "$tmp/out" || fail "*.dockerfile was not passed to the hook"

echo "3. whittle on a file whose name is not a Dockerfile's: skipped"
run whittle docs/notes.txt || fail "whittle ran on docs/notes.txt"
grep -q "no files to check" "$tmp/out" || fail "docs/notes.txt was not skipped"

echo "4. whittle-fix on the bad Dockerfile: expect failure (files modified) and the fix applied"
if run whittle-fix bad/Dockerfile; then fail "whittle-fix passed without fixing"; fi
grep -q "files were modified by this hook" "$tmp/out" || fail "whittle-fix did not modify the file"
grep -q '^FROM alpine:3.20 AS build$' bad/Dockerfile || fail "the fix was not applied: $(cat bad/Dockerfile)"

echo "5. whittle-fix and whittle again on the fixed file: expect pass"
run whittle-fix bad/Dockerfile || fail "whittle-fix failed on the fixed file"
run whittle bad/Dockerfile || fail "whittle failed on the fixed file"

echo "6. whittle-fix on a good Dockerfile: expect pass, file untouched"
run whittle-fix good/Dockerfile || fail "whittle-fix failed on good/Dockerfile"
git diff --quiet -- good || fail "whittle-fix changed good/Dockerfile"

echo "PASSED: pre-commit test (hooks whittle and whittle-fix at $rev)"
