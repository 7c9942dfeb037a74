#!/usr/bin/env bash
# Every command in the README, run as written on a fresh clone of this repository.
#
#   scripts/readme-test.sh          # prints PASSED, or FAILED with the command and its output
#
# The README's ```sh blocks are run in order, one command per line (a line ending in `\`
# continues it), from the root of a fresh `git clone` of this checkout's HEAD (uncommitted
# changes are not tested). A command must exit 0, or the status a trailing `# exits N` comment
# gives. `cargo install` installs into a throwaway root put first on PATH, and builds share this
# checkout's target directory. `cargo test --locked` is not run a second time: CI runs it first.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAILED: README commands: $*" >&2; exit 1; }

git clone --quiet "$repo" "$tmp/whittle"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$repo/target}
export CARGO_INSTALL_ROOT=$tmp/cargo-root
export PATH=$CARGO_INSTALL_ROOT/bin:$PATH
unset WHITTLE_BLESS

python3 - "$tmp/whittle/README.md" > "$tmp/commands" <<'PY'
import re, sys
readme = open(sys.argv[1]).read()
for block in re.findall(r"^```sh\n(.*?)^```", readme, re.S | re.M):
    command = ""
    for line in block.splitlines():
        if not command and (not line.strip() or line.lstrip().startswith("#")):
            continue
        command += line
        if command.endswith("\\"):
            command = command[:-1] + " "
            continue
        expected = 0
        m = re.search(r"#\s*exits (\d+)\s*$", command)
        if m:
            expected = int(m.group(1))
        print(f"{expected}\t{command}")
        command = ""
PY
[ -s "$tmp/commands" ] || fail "no \`\`\`sh block in README.md"

n=0
while IFS=$'\t' read -r expected command; do
  case $command in
    "cargo test --locked"*) echo "skip (CI runs it): $command"; continue ;;
  esac
  n=$((n + 1))
  echo "run: $command"
  set +e
  (cd "$tmp/whittle" && bash -c "$command") >"$tmp/out" 2>&1 </dev/null
  code=$?
  set -e
  if [ "$code" != "$expected" ]; then
    sed 's/^/  | /' "$tmp/out" | tail -30
    fail "\`$command\` exited $code, the README says $expected"
  fi
done < "$tmp/commands"
echo "PASSED: README commands ($n run on a fresh clone)"
