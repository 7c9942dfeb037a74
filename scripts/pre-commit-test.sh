#!/usr/bin/env bash
# pre-commit, run for real: installs pre-commit from PyPI into a temporary virtualenv and runs the
# hooks in throwaway git repositories, on bad and good Dockerfiles:
#
#   1. the README's snippet exactly as written (a `repo: local` hook calling the installed
#      `whittle`; the binary named by WHITTLE, default target/release/whittle, is put on PATH);
#   2. the snippet of docs/ci.md that uses this repository's own hooks (.pre-commit-hooks.yaml:
#      `whittle` and `whittle-fix`, built by pre-commit with `cargo install`): it must name
#      Cargo.toml's `repository` and the release tag of Cargo.toml's `version` (`v0.1.0`); the
#      test points it at this checkout and its HEAD commit, the rest as written.
#
#   scripts/pre-commit-test.sh            # prints PASSED, or SKIPPED when PyPI is unreachable
#   WHITTLE_REQUIRE_PRE_COMMIT=1 scripts/pre-commit-test.sh   # (CI) FAILED instead of SKIPPED
#
# For (2) pre-commit clones the repository at HEAD, so it tests what is committed (a dirty work
# tree is reported, not tested). PRE_COMMIT_HOME (default: target/pre-commit-home) keeps
# pre-commit's build of whittle between runs.
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

# The README's snippet, as written.
"$python" - "$repo/README.md" > "$tmp/readme-snippet.yaml" <<'PY' \
  || fail "README.md has no pre-commit snippet (a yaml block with repos: and id: whittle)"
import re, sys
readme = open(sys.argv[1]).read()
for block in re.findall(r"```yaml\n(.*?)```", readme, re.S):
    if "repos:" in block and "id: whittle" in block:
        print(block, end="")
        sys.exit(0)
sys.exit(1)
PY

# docs/ci.md's snippet: Cargo.toml's repository URL, and the tag of Cargo.toml's version.
url=$(sed -n 's/^repository = "\(.*\)"$/\1/p' "$repo/Cargo.toml")
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$repo/Cargo.toml" | head -1)
[ -n "$url" ] && [ -n "$version" ] || fail "Cargo.toml has no repository URL or version"
"$python" - "$repo/docs/ci.md" "$url" "v$version" > "$tmp/ci-snippet.yaml" <<'PY' \
  || fail "docs/ci.md has no pre-commit snippet naming repo $url and rev v$version"
import re, sys
doc, url, tag = open(sys.argv[1]).read(), sys.argv[2], sys.argv[3]
for block in re.findall(r"```yaml\n(.*?)```", doc, re.S):
    if "repos:" in block and "id: whittle-fix" in block:
        if not re.search(rf"^\s*- repo: {re.escape(url)}\s*(#.*)?$", block, re.M):
            sys.exit(f"the snippet's repo is not {url}")
        if not re.search(rf"^\s*rev: {re.escape(tag)}\s*(#.*)?$", block, re.M):
            sys.exit(f"the snippet's rev is not {tag} (Cargo.toml's version)")
        print(block, end="")
        sys.exit(0)
sys.exit(1)
PY

# The README's hook declares the same file names as the repository's hooks.
hook_files=$(sed -n "s/^  files: '\(.*\)'$/\1/p" "$repo/.pre-commit-hooks.yaml" | head -1)
grep -qF "files: '$hook_files'" "$tmp/readme-snippet.yaml" \
  || fail "the README's snippet's files pattern differs from .pre-commit-hooks.yaml's ($hook_files)"

# The whittle the README's snippet calls: installed as the README says, here the release build.
if [ -z "${WHITTLE:-}" ]; then
  (cd "$repo" && cargo build --release --locked --quiet) || fail "cargo build --release failed"
  WHITTLE=$CARGO_TARGET_DIR/release/whittle
fi
[ -x "$WHITTLE" ] || fail "no whittle binary at $WHITTLE"
mkdir -p "$tmp/bin"
ln -s "$(cd "$(dirname "$WHITTLE")" && pwd)/$(basename "$WHITTLE")" "$tmp/bin/whittle"

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
  echo "note: uncommitted changes in $repo are not tested by part 2 (it uses commit $rev)"
fi
git -C "$repo" cat-file -e "$rev:.pre-commit-hooks.yaml" 2>/dev/null \
  || fail ".pre-commit-hooks.yaml is not committed at $rev"

# A throwaway project with bad and good Dockerfiles, $1 as its .pre-commit-config.yaml; the
# working directory becomes the project.
project() {
  local work
  work=$(mktemp -d "$tmp/project.XXXX")
  mkdir -p "$work/bad" "$work/good" "$work/docs"
  cd "$work"
  git init --quiet .
  git config user.email test@example.invalid
  git config user.name "pre-commit test"
  cp "$1" .pre-commit-config.yaml
  # WH502 from-as-casing: a finding with a safe fix.
  printf 'FROM alpine:3.20 as build\nRUN true\n' > bad/Dockerfile
  printf 'FROM alpine:3.20 as build\nRUN true\n' > bad/api.Dockerfile
  printf 'FROM alpine:3.20 as build\nRUN true\n' > bad/lower.dockerfile
  printf 'FROM alpine:3.20\nRUN echo ok\n' > good/Dockerfile
  printf 'FROM alpine:3.20 as build\nnot a Dockerfile name, never linted\n' > docs/notes.txt
  git add -A
  git commit --quiet -m fixture
}

run() { # hook files... -> exit code; output in $tmp/out
  local hook=$1; shift
  set +e
  PATH="$tmp/bin:$PATH" "$pre_commit" run "$hook" --color never --files "$@" >"$tmp/out" 2>&1
  local code=$?
  set -e
  sed 's/^/    /' "$tmp/out"
  return $code
}

check_hook() { # hook: what every hook that lints must do
  local hook=$1
  echo "$hook on a good Dockerfile: expect pass"
  run "$hook" good/Dockerfile || fail "$hook failed on good/Dockerfile"
  grep -q "Passed" "$tmp/out" || fail "$hook did not run on good/Dockerfile"

  echo "$hook on bad Dockerfiles: expect failure naming the rule"
  if run "$hook" bad/Dockerfile bad/api.Dockerfile bad/lower.dockerfile; then
    fail "$hook passed a bad Dockerfile"
  fi
  grep -q "WH502" "$tmp/out" || fail "$hook's output does not name WH502"
  grep -q "bad/api.Dockerfile" "$tmp/out" || fail "*.Dockerfile was not passed to $hook"
  grep -q "bad/lower.dockerfile" "$tmp/out" || fail "*.dockerfile was not passed to $hook"

  echo "$hook on a file whose name is not a Dockerfile's: skipped"
  run "$hook" docs/notes.txt || fail "$hook ran on docs/notes.txt"
  grep -q "no files to check" "$tmp/out" || fail "docs/notes.txt was not skipped"
}

echo "1. The README's snippet, as written"
project "$tmp/readme-snippet.yaml"
first=$(sed -n 's/^ *- id: *\([^ #]*\).*/\1/p' .pre-commit-config.yaml | head -1)
[ "$first" = whittle ] || fail "the README's snippet's first hook is '$first', not whittle"
check_hook whittle

echo "2. docs/ci.md's snippet: the repository's hooks (.pre-commit-hooks.yaml) at $rev"
sed -E -e "s#^(\s*- repo: )$url#\1$repo#" -e "s#^(\s*rev: )v$version#\1$rev#" "$tmp/ci-snippet.yaml" \
  > "$tmp/hooks-config.yaml"
grep -q "repo: $repo" "$tmp/hooks-config.yaml" && grep -q "rev: $rev" "$tmp/hooks-config.yaml" \
  || fail "could not point docs/ci.md's snippet at this checkout: $(cat "$tmp/hooks-config.yaml")"
project "$tmp/hooks-config.yaml"
check_hook whittle

echo "whittle-fix on the bad Dockerfile: expect failure (files modified) and the fix applied"
if run whittle-fix bad/Dockerfile; then fail "whittle-fix passed without fixing"; fi
grep -q "files were modified by this hook" "$tmp/out" || fail "whittle-fix did not modify the file"
grep -q '^FROM alpine:3.20 AS build$' bad/Dockerfile || fail "the fix was not applied: $(cat bad/Dockerfile)"

echo "whittle-fix and whittle again on the fixed file: expect pass"
run whittle-fix bad/Dockerfile || fail "whittle-fix failed on the fixed file"
run whittle bad/Dockerfile || fail "whittle failed on the fixed file"

echo "whittle-fix on a good Dockerfile: expect pass, file untouched"
run whittle-fix good/Dockerfile || fail "whittle-fix failed on good/Dockerfile"
git diff --quiet -- good || fail "whittle-fix changed good/Dockerfile"

echo "PASSED: pre-commit test (the README's snippet as written; hooks whittle and whittle-fix at $rev)"
