#!/usr/bin/env bash
# Every command in the README, run as written on a fresh clone of this repository.
#
#   scripts/readme-test.sh          # prints PASSED, or FAILED with the command and its output
#
# The README's ```sh blocks are run in order, one command per line (a line ending in `\`
# continues it), from the root of a fresh `git clone` of this checkout's HEAD (uncommitted
# changes are not tested). A command must exit 0, or the status a trailing `# exits N` comment
# gives. `cargo install` installs into a throwaway root put first on PATH, and builds share this
# checkout's target directory. `cargo test --locked` is not run a second time (CI runs it
# first); it must be a line of .ci/run as written.
#
# The other commands the README shows are checked too:
#   - the `whittle` commands of the CI recipes (```yaml blocks, `run:` and `script:` items) run
#     in the clone after the ```sh blocks; 0 or 1 (findings) is a pass, the file an `--output`
#     names must be written and be JSON; `cargo install --git URL` needs the network and is not
#     run: its URL must be Cargo.toml's `repository`;
#   - every inline `whittle ...` span names a subcommand and flags whittle accepts (it is run
#     with `--help` appended, so nothing is written), and an inline `cargo build --profile P`
#     names a profile of Cargo.toml; every inline `--flag` is one a whittle subcommand accepts.
# The pre-commit snippet is run by scripts/pre-commit-test.sh.
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

# The README's test command is the one CI runs, exactly (a line of .ci/run of its own).
test_command=$(cut -f2 "$tmp/commands" | grep -m1 '^cargo test' || true)
[ -n "$test_command" ] || fail "the README names no \`cargo test\` command"
grep -qxF "$test_command" "$repo/.ci/run" \
  || fail "\`$test_command\` (the README's test command) is not a line of .ci/run"

# The CI recipes' commands (```yaml blocks) and the inline command spans.
python3 - "$tmp/whittle/README.md" "$tmp/ci-commands" "$tmp/inline-commands" "$tmp/inline-flags" <<'PY'
import re, sys
readme = open(sys.argv[1]).read()
with open(sys.argv[2], "w") as out:
    for block in re.findall(r"^```yaml\n(.*?)^```", readme, re.S | re.M):
        for m in re.finditer(r"^\s*-?\s*(?:run:\s*)?((?:whittle|cargo) [^#\n]*?)\s*(?:#.*)?$", block, re.M):
            out.write(m.group(1) + "\n")
prose = re.sub(r"^```.*?^```", "", readme, flags=re.S | re.M)
with open(sys.argv[3], "w") as out:
    for span in re.findall(r"`((?:whittle|cargo) [^`]+)`", prose):
        out.write(span + "\n")
with open(sys.argv[4], "w") as out:
    for flag in sorted(set(re.findall(r"`(--[a-z][a-z-]*)", prose))):
        out.write(flag + "\n")
PY
url=$(sed -n 's/^repository = "\(.*\)"$/\1/p' "$repo/Cargo.toml")

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

while read -r command; do
  case $command in
    "cargo install --locked --git $url") echo "not run (needs the network): $command"; continue ;;
    cargo*) fail "\`$command\` in a CI recipe: only \`cargo install --locked --git $url\` is expected" ;;
  esac
  n=$((n + 1))
  echo "run (CI recipe): $command"
  set +e
  (cd "$tmp/whittle" && bash -c "$command") >"$tmp/out" 2>&1 </dev/null
  code=$?
  set -e
  if [ "$code" != 0 ] && [ "$code" != 1 ]; then
    sed 's/^/  | /' "$tmp/out" | tail -30
    fail "\`$command\` exited $code"
  fi
  output=$(sed -n 's/.*--output \([^ ]*\).*/\1/p' <<<"$command")
  if [ -n "$output" ]; then
    python3 -m json.tool "$tmp/whittle/$output" >/dev/null \
      || fail "\`$command\` did not write JSON to $output"
  fi
done < "$tmp/ci-commands"

while read -r command; do
  case $command in
    whittle\ *)
      n=$((n + 1))
      echo "accepted (--help): $command"
      (cd "$tmp/whittle" && bash -c "$command --help") >"$tmp/out" 2>&1 </dev/null \
        || { sed 's/^/  | /' "$tmp/out" | tail -10; fail "whittle does not accept \`$command\`"; } ;;
    "cargo build --profile "*)
      profile=${command#cargo build --profile }
      grep -qxF "[profile.$profile]" "$repo/Cargo.toml" \
        || fail "\`$command\`: Cargo.toml declares no profile $profile" ;;
    "cargo install --locked --path ."|"cargo test --locked") ;;  # run above
    *) fail "inline \`$command\`: not a command this script knows how to check" ;;
  esac
done < "$tmp/inline-commands"

# Every flag the prose names (`--fix`, `--fail-level warning`) is one whittle accepts.
for sub in $(whittle --help | sed -n 's/^  \([a-z]\+\) .*/\1/p' | grep -vx help); do
  whittle "$sub" --help
done > "$tmp/help"
while read -r flag; do
  grep -qE -- "(^|[ ,])$flag([ =,]|$)" "$tmp/help" || fail "the README names \`$flag\`, which no whittle subcommand accepts"
done < "$tmp/inline-flags"
echo "PASSED: README commands ($n run or checked on a fresh clone, $(wc -l < "$tmp/inline-flags") flags named)"
