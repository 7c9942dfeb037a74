#!/usr/bin/env bash
# fix-builds.sh: prove that whittle's fixes keep images building and programs working.
#
#   scripts/fix-builds.sh [CASE...]      # default: every tests/fix-builds/*/ directory
#
# Each case is a directory under tests/fix-builds/ (see tests/fix-builds/README.md):
#   Dockerfile   the trap, written for debian:bookworm or debian:bookworm-slim
#   smoke        one shell command run in the image (`@run` runs the image's own command)
#   child/       optional: a Dockerfile (`ARG PARENT` + `FROM $PARENT`) and its context, built
#                on top of each image: ONBUILD triggers run there, and the smoke runs in it
#   expected     optional: the smoke output the fixed images must print; the original is then
#                allowed to fail (cases whose original Dockerfile is broken on purpose, repaired
#                by a fix)
#   repaired-from  optional, with `expected`: the first variant (fix, unsafe or all) that must
#                repair the original (default fix); the variants before it are not compared
#   everything else is the build context.
#
# For every case the Dockerfile is built as written, after `whittle check --fix`, after
# `--fix --unsafe-fixes`, and after `--fix --unsafe-fixes --select ALL`. Each distinct text is
# built once (variants a fix leaves unchanged share the build); builds run in parallel, at most
# WHITTLE_FIX_BUILDS_JOBS at a time (default 3), and share layers through BuildKit's cache. The
# smoke command runs in each image without network; every fixed image must build and print
# exactly what the original printed (exit status included).
#
# Exit status: 0 when every case passes, 1 otherwise. Without a Docker engine it first runs the
# sandbox script (WHITTLE_DOCKER_SANDBOX, default ../shared/tools/docker-sandbox.sh next to the
# repository); when no engine can be had it prints `SKIPPED: <reason>` and exits 0.
#
# Environment: WHITTLE (binary, default target/debug/whittle, built when missing), DOCKER
# (client, default docker), WHITTLE_FIX_BUILDS_JOBS, WHITTLE_FIX_BUILDS_TAG (image name prefix,
# default whittle-fix-builds), WHITTLE_FIX_BUILDS_NO_CACHE=1 (build without BuildKit's cache: the
# cold-cache time), WHITTLE_FIX_BUILDS_KEEP=1 (keep the work directory and the images).
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1
DOCKER=${DOCKER:-docker}
WHITTLE=${WHITTLE:-target/debug/whittle}
JOBS=${WHITTLE_FIX_BUILDS_JOBS:-3}
TAG=${WHITTLE_FIX_BUILDS_TAG:-whittle-fix-builds}
CASES_DIR=tests/fix-builds
export DOCKER_BUILDKIT=1

note() { printf 'fix-builds: %s\n' "$*" >&2; }
started=$(date +%s)

# --- Docker ------------------------------------------------------------------------------
docker_ok() { command -v "$DOCKER" >/dev/null 2>&1 && "$DOCKER" info >/dev/null 2>&1; }
if ! docker_ok; then
  sandbox=${WHITTLE_DOCKER_SANDBOX:-}
  if [ -z "$sandbox" ]; then
    for candidate in "$ROOT/../shared/tools/docker-sandbox.sh" "$ROOT/../../shared/tools/docker-sandbox.sh"; do
      [ -f "$candidate" ] && { sandbox=$candidate; break; }
    done
  fi
  if [ -n "$sandbox" ] && [ -f "$sandbox" ]; then
    note "no Docker engine; running $sandbox"
    bash "$sandbox" >&2 || note "the sandbox script failed"
  fi
fi
if ! docker_ok; then
  echo "SKIPPED: fix builds: no Docker engine could be started (\`$DOCKER info\` fails)"
  exit 0
fi

# --- whittle -----------------------------------------------------------------------------
case "$WHITTLE" in /*) ;; *) WHITTLE="$ROOT/$WHITTLE" ;; esac
if [ ! -x "$WHITTLE" ]; then
  note "building whittle (cargo build)"
  cargo build --quiet >&2 || { echo "fix-builds: cargo build failed" >&2; exit 1; }
fi
[ -x "$WHITTLE" ] || { echo "fix-builds: no whittle binary at $WHITTLE" >&2; exit 1; }

# --- cases -------------------------------------------------------------------------------
if [ $# -gt 0 ]; then
  cases=("$@")
else
  cases=()
  for d in "$CASES_DIR"/*/; do
    d=${d%/}
    [ -f "$d/Dockerfile" ] && cases+=("${d##*/}")
  done
fi
[ ${#cases[@]} -gt 0 ] || { echo "fix-builds: no cases under $CASES_DIR/" >&2; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/whittle-fix-builds.XXXXXX")
if [ "${WHITTLE_FIX_BUILDS_KEEP:-0}" = 1 ]; then
  note "keeping the work directory $WORK"
fi
cleanup() {
  if [ "${WHITTLE_FIX_BUILDS_KEEP:-0}" != 1 ]; then
    # Only the images this run tagged; the build cache stays for the next run.
    if [ -s "$WORK/tags" ]; then
      sort -u "$WORK/tags" | xargs -r "$DOCKER" image rm -f >/dev/null 2>&1
    fi
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT
: >"$WORK/tags"

VARIANTS=(original fix unsafe all)
variant_flags() {
  case "$1" in
    fix) echo "--fix" ;;
    unsafe) echo "--fix --unsafe-fixes" ;;
    all) echo "--fix --unsafe-fixes --select ALL" ;;
  esac
}

fail=0
# 1. Prepare every variant: a copy of the case, fixed by whittle; one build per distinct text.
for name in "${cases[@]}"; do
  src=$CASES_DIR/$name
  if [ ! -f "$src/Dockerfile" ] || { [ ! -f "$src/smoke" ] && [ ! -f "$src/expected" ]; }; then
    echo "fix-builds: $name: needs a Dockerfile and a smoke file" >&2
    fail=1
    continue
  fi
  for v in "${VARIANTS[@]}"; do
    dir=$WORK/$name/$v
    mkdir -p "$dir"
    cp -a "$src/." "$dir/"
    if [ "$v" != original ]; then
      # shellcheck disable=SC2046
      (cd "$dir" && "$WHITTLE" check $(variant_flags "$v") --color never Dockerfile \
        >"$WORK/$name/$v.whittle.out" 2>"$WORK/$name/$v.whittle.err")
      status=$?
      if [ "$status" -gt 1 ]; then
        echo "fix-builds: $name: whittle $(variant_flags "$v") exited $status:" >&2
        cat "$WORK/$name/$v.whittle.err" >&2
        echo error >"$WORK/$name/$v.result"
        fail=1
        continue
      fi
    fi
    hash=$(sha256sum "$dir/Dockerfile" | cut -c1-12)
    echo "$hash" >"$WORK/$name/$v.hash"
    if [ ! -e "$WORK/$name/build-$hash" ]; then
      mkdir -p "$WORK/$name/build-$hash"
      echo "$dir" >"$WORK/$name/build-$hash/dir"
      echo "$name $hash" >>"$WORK/queue"
    fi
  done
done

# 2. Build each distinct text (and its child), run the smoke command, in a bounded pool.
no_cache=()
[ "${WHITTLE_FIX_BUILDS_NO_CACHE:-0}" = 1 ] && no_cache=(--no-cache)

smoke() { # smoke IMAGE CASE_DIR OUT: run the case's smoke command, print output and status
  local image=$1 dir=$2 out=$3 cmd
  cmd=$(cat "$dir/smoke" 2>/dev/null || echo "@run")
  if [ "$cmd" = "@run" ]; then
    timeout 300 "$DOCKER" run --rm --network=none "$image" >"$out" 2>&1
  else
    timeout 300 "$DOCKER" run --rm --network=none --entrypoint /bin/sh "$image" -c "$cmd" >"$out" 2>&1
  fi
  echo "exit $?" >>"$out"
}

build_one() { # build_one CASE HASH
  local name=$1 hash=$2 b=$WORK/$1/build-$2 dir tag image
  dir=$(cat "$b/dir")
  tag="$TAG-$(echo "$name" | tr -c 'a-z0-9_.\n-' '-'):$hash"
  echo "$tag" >>"$WORK/tags"
  if ! timeout 1800 "$DOCKER" build "${no_cache[@]}" --network=host --progress=plain \
    -t "$tag" -f "$dir/Dockerfile" "$dir" >"$b/build.log" 2>&1; then
    echo "build-failed" >"$b/status"
    return
  fi
  image=$tag
  if [ -f "$dir/child/Dockerfile" ]; then
    image="$tag-child"
    echo "$image" >>"$WORK/tags"
    if ! timeout 1800 "$DOCKER" build "${no_cache[@]}" --network=host --progress=plain \
      --build-arg "PARENT=$tag" -t "$image" "$dir/child" >"$b/child.log" 2>&1; then
      echo "child-build-failed" >"$b/status"
      return
    fi
  fi
  smoke "$image" "$dir" "$b/smoke.out"
  echo "built" >"$b/status"
}

running=0
if [ -s "$WORK/queue" ]; then
  while read -r name hash; do
    build_one "$name" "$hash" &
    running=$((running + 1))
    if [ "$running" -ge "$JOBS" ]; then
      wait -n
      running=$((running - 1))
    fi
  done <"$WORK/queue"
fi
wait

# 3. Compare every variant with the original.
distinct=$( [ -s "$WORK/queue" ] && wc -l <"$WORK/queue" || echo 0)
printf '\n| case | variant | build | smoke | verdict |\n|---|---|---|---|---|\n'
failed_cases=()
for name in "${cases[@]}"; do
  [ -f "$WORK/$name/original.hash" ] || continue
  src=$CASES_DIR/$name
  case_fail=0
  reference=""
  repaired_from=fix
  [ -f "$src/repaired-from" ] && repaired_from=$(tr -d ' \n' <"$src/repaired-from")
  comparing=1
  if [ -f "$src/expected" ]; then
    comparing=0
    reference=$WORK/$name/expected
    { cat "$src/expected"; echo "exit 0"; } >"$reference"
  fi
  for v in "${VARIANTS[@]}"; do
    [ "$v" = "$repaired_from" ] && comparing=1
    if [ "$(cat "$WORK/$name/$v.result" 2>/dev/null)" = error ]; then
      printf '| %s | %s | - | - | whittle failed |\n' "$name" "$v"
      case_fail=1
      continue
    fi
    hash=$(cat "$WORK/$name/$v.hash")
    b=$WORK/$name/build-$hash
    status=$(cat "$b/status" 2>/dev/null || echo "not-built")
    same="-"
    label=$v
    if [ "$v" != original ] && [ "$(cat "$WORK/$name/original.hash")" = "$hash" ]; then
      label="$v (unchanged)"
    fi
    if [ "$status" != built ]; then
      if [ "$v" = original ] && [ -n "$reference" ]; then
        verdict="original broken (expected output given)"
      elif [ "$comparing" = 0 ]; then
        verdict="not repaired before $repaired_from (allowed)"
      else
        verdict="FAIL: $status (log: $b)"
        case_fail=1
      fi
      printf '| %s | %s | %s | - | %s |\n' "$name" "$label" "$status" "$verdict"
      continue
    fi
    smoke_status=$(tail -n1 "$b/smoke.out")
    if [ "$v" = original ]; then
      if [ -z "$reference" ]; then
        reference=$b/smoke.out
        if [ "$smoke_status" != "exit 0" ]; then
          verdict="FAIL: the original's smoke command fails"
          case_fail=1
        else
          verdict="reference"
        fi
      else
        verdict="original (not compared: expected output given)"
      fi
    elif [ "$comparing" = 0 ]; then
      verdict="not compared before $repaired_from"
    elif [ -n "$reference" ] && cmp -s "$reference" "$b/smoke.out"; then
      verdict="same output"
    else
      verdict="FAIL: output differs from the original's"
      case_fail=1
      {
        echo "--- $name: $v output differs"
        diff "$reference" "$b/smoke.out" | head -20
      } >>"$WORK/diffs"
    fi
    printf '| %s | %s | built | %s | %s |\n' "$name" "$label" "$smoke_status" "$verdict"
  done
  if [ "$case_fail" = 1 ]; then
    failed_cases+=("$name")
    fail=1
  fi
done

if [ -s "$WORK/diffs" ]; then
  echo
  cat "$WORK/diffs"
fi
for name in "${failed_cases[@]}"; do
  for b in "$WORK/$name"/build-*; do
    [ "$(cat "$b/status" 2>/dev/null)" = built ] && continue
    echo
    echo "--- $name: last lines of $(basename "$b")'s build log"
    tail -n 15 "$b/build.log" 2>/dev/null
    [ -f "$b/child.log" ] && tail -n 15 "$b/child.log"
  done
done

elapsed=$(( $(date +%s) - started ))
echo
echo "fix-builds: ${#cases[@]} cases, $distinct distinct Dockerfiles built, ${#failed_cases[@]} failed, ${elapsed}s (jobs: $JOBS)"
if [ ${#failed_cases[@]} -gt 0 ]; then
  echo "fix-builds: failed: ${failed_cases[*]}"
fi
exit "$fail"
