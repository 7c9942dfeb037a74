#!/usr/bin/env bash
# image-report.sh: prove whittle's fixes on real image builds.
#
#   scripts/image-report.sh [EXAMPLE...]      # default: every examples/*/ directory
#
# For each example (a directory with Dockerfile, expert.Dockerfile, smoke and touch files):
#   1. copy it to a temp dir, build the original Dockerfile, run its smoke command;
#   2. run `whittle check --fix --unsafe-fixes Dockerfile` on a second copy, build that,
#      run the smoke command ("no fixes applied" when whittle changed nothing);
#   3. build expert.Dockerfile (the best hand-optimized version) and run the smoke command;
#   4. append a comment to the source file named in `touch` and time the rebuild of each
#      variant (the cost of an everyday code change);
# then print a Markdown table and the medians of the size reduction and of the share of the
# expert's savings reached, (original - fixed) / (original - expert).
#
# The smoke file holds one command. A plain word list runs as the container's entrypoint
# (so images without a shell, FROM scratch, can be checked); anything with shell syntax
# runs under /bin/sh -c. Exit 0 from the command is a pass.
#
# Exit status: 1 when any image fails to build or fails its smoke command, or when a fixed
# image is bigger than its original (a size regression); 0 otherwise. When Docker is not
# available it prints `SKIPPED: <reason>` and exits 0; with WHITTLE_IMAGE_REPORT_SETUP=1 it
# first tries to start one with the sandbox script (WHITTLE_DOCKER_SANDBOX, default
# ../shared/tools/docker-sandbox.sh next to the repository).
#
# Environment: WHITTLE (binary, default target/release/whittle, built when missing),
# DOCKER (client, default docker), WHITTLE_EXAMPLES_DIR (where the examples live, default
# examples/; point it at other projects laid out the same way), WHITTLE_IMAGE_REPORT_KEEP=1 (keep the temp dir with the
# build logs and the fixed copies). Images are tagged whittle-example/<name>:<variant>;
# builds always use --network=host.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1
DOCKER=${DOCKER:-docker}
WHITTLE=${WHITTLE:-target/release/whittle}
export DOCKER_BUILDKIT=1

note() { printf 'image-report: %s\n' "$*" >&2; }

# --- Docker ------------------------------------------------------------------------------
docker_ok() { command -v "$DOCKER" >/dev/null 2>&1 && "$DOCKER" info >/dev/null 2>&1; }
if ! docker_ok && [ "${WHITTLE_IMAGE_REPORT_SETUP:-0}" = 1 ]; then
  sandbox=${WHITTLE_DOCKER_SANDBOX:-}
  if [ -z "$sandbox" ]; then
    for candidate in "$ROOT/../shared/tools/docker-sandbox.sh" "$ROOT/../../shared/tools/docker-sandbox.sh"; do
      [ -f "$candidate" ] && { sandbox=$candidate; break; }
    done
  fi
  if [ -n "$sandbox" ] && [ -f "$sandbox" ]; then
    note "no Docker engine; running $sandbox"
    bash "$sandbox" >&2 || note "the sandbox script failed"
  else
    note "no Docker engine and no sandbox script found"
  fi
fi
if ! docker_ok; then
  if [ "${WHITTLE_IMAGE_REPORT_SETUP:-0}" = 1 ]; then
    echo "SKIPPED: image report: Docker could not be set up on this machine (\`$DOCKER info\` fails)"
  else
    echo "SKIPPED: image report: no Docker engine (\`$DOCKER info\` fails; set WHITTLE_IMAGE_REPORT_SETUP=1 to try the sandbox script)"
  fi
  exit 0
fi

# --- whittle -----------------------------------------------------------------------------
case "$WHITTLE" in /*) ;; *) WHITTLE="$ROOT/$WHITTLE" ;; esac
if [ ! -x "$WHITTLE" ]; then
  note "building whittle (cargo build --release)"
  cargo build --release --quiet >&2 || { echo "image-report: cargo build --release failed" >&2; exit 1; }
fi
[ -x "$WHITTLE" ] || { echo "image-report: no whittle binary at $WHITTLE" >&2; exit 1; }

# --- examples ----------------------------------------------------------------------------
EXAMPLES_DIR=${WHITTLE_EXAMPLES_DIR:-examples}
EXAMPLES_DIR=${EXAMPLES_DIR%/}
if [ $# -gt 0 ]; then
  examples=("$@")
else
  examples=()
  for d in "$EXAMPLES_DIR"/*/; do
    d=${d%/}
    [ -f "$d/Dockerfile" ] && examples+=("${d##*/}")
  done
fi
[ ${#examples[@]} -gt 0 ] || { echo "image-report: no examples found under $EXAMPLES_DIR/" >&2; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/whittle-image-report.XXXXXX")
if [ "${WHITTLE_IMAGE_REPORT_KEEP:-0}" = 1 ]; then
  note "keeping build logs and copies in $WORK"
else
  trap 'rm -rf "$WORK"' EXIT
fi
LOGS=$WORK/logs
mkdir -p "$LOGS"

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
mb() { awk -v s="$1" 'BEGIN { printf "%.1f MB", s / 1e6 }'; }

size_of() { "$DOCKER" image inspect -f '{{.Size}}' "$1" 2>/dev/null || echo 0; }
fmt_size() { if [ "$1" -gt 0 ]; then mb "$1"; else echo -; fi; }
pct() { if [ "$1" = - ]; then echo -; else echo "$1%"; fi; }
secs() { if [ "$1" = - ]; then echo -; else echo "$1s"; fi; }

# build CONTEXT DOCKERFILE TAG LOG: build and print the seconds it took; fails like the build
build() {
  local start end
  start=$(now)
  if "$DOCKER" build --network=host --progress=plain -f "$2" -t "$3" "$1" >"$4" 2>&1; then
    end=$(now)
    elapsed "$start" "$end"
  else
    return 1
  fi
}

# smoke TAG COMMAND LOG: run the smoke command in a fresh container without network
smoke() {
  local tag=$1 cmd=$2 log=$3
  if [[ "$cmd" =~ [\|\&\;\<\>\(\)\$\`\\\"\'\*\?\[\#~=%] ]]; then
    "$DOCKER" run --rm --network=none --entrypoint /bin/sh "$tag" -c "$cmd" >"$log" 2>&1
  else
    local -a words
    read -r -a words <<<"$cmd"
    "$DOCKER" run --rm --network=none --entrypoint "${words[0]}" "$tag" "${words[@]:1}" >"$log" 2>&1
  fi
}

# touch_source FILE: append a comment in the file's own syntax, so its content changes
touch_source() {
  local file=$1 stamp="whittle image-report rebuild $$-$RANDOM-$(date +%s%N)"
  case "$file" in
    *.go | *.ts | *.tsx | *.js | *.mjs | *.cjs | *.rs | *.java | *.kt) printf '\n// %s\n' "$stamp" >>"$file" ;;
    *.c | *.h | *.cc | *.cpp | *.hpp | *.css) printf '\n/* %s */\n' "$stamp" >>"$file" ;;
    *.md | *.html | *.htm | *.xml) printf '\n<!-- %s -->\n' "$stamp" >>"$file" ;;
    *) printf '\n# %s\n' "$stamp" >>"$file" ;;
  esac
}

fail=0
rows=()
reductions=()
shares=()
rebuild_ratios=()
any_fixes=0

for name in "${examples[@]}"; do
  src=$EXAMPLES_DIR/$name
  for required in Dockerfile expert.Dockerfile smoke touch; do
    if [ ! -f "$src/$required" ]; then
      echo "image-report: $src has no $required" >&2
      fail=1
      continue 2
    fi
  done
  note "== $name"
  smoke_cmd=$(head -n 1 "$src/smoke")
  touch_file=$(head -n 1 "$src/touch")
  orig=$WORK/$name/original
  fixed=$WORK/$name/fixed
  mkdir -p "$orig" "$fixed"
  cp -a "$src/." "$orig/"
  cp -a "$src/." "$fixed/"
  problems=()

  # original
  t_orig=whittle-example/$name:original
  s_orig=n/a
  if build "$orig" "$orig/Dockerfile" "$t_orig" "$LOGS/$name-original.log" >/dev/null; then
    if smoke "$t_orig" "$smoke_cmd" "$LOGS/$name-original.smoke"; then s_orig=pass; else s_orig=FAIL; fi
  else
    s_orig="no build"
  fi

  # fixed
  wstatus=0
  (cd "$fixed" && "$WHITTLE" check --fix --unsafe-fixes Dockerfile) >"$LOGS/$name-whittle.log" 2>&1 || wstatus=$?
  t_fixed=whittle-example/$name:fixed
  s_fixed=n/a
  if diff -r -q "$orig" "$fixed" >/dev/null 2>&1; then
    fix_note="no fixes applied"
    [ "$wstatus" -gt 1 ] && fix_note="no fixes applied (whittle exited $wstatus)"
    fixes_applied=0
  else
    any_fixes=1
    fixes_applied=1
    fix_note="fixed: $(diff -u "$orig/Dockerfile" "$fixed/Dockerfile" | grep -c '^[-+][^-+]') changed lines"
    [ "$wstatus" -gt 1 ] && fix_note="$fix_note (whittle exited $wstatus)"
  fi
  if [ "$wstatus" -gt 2 ]; then
    problems+=("whittle crashed (exit $wstatus): $(tail -n 3 "$LOGS/$name-whittle.log" | tr '\n' ' ')")
  fi
  if [ "$fixes_applied" = 1 ]; then
    if build "$fixed" "$fixed/Dockerfile" "$t_fixed" "$LOGS/$name-fixed.log" >/dev/null; then
      if smoke "$t_fixed" "$smoke_cmd" "$LOGS/$name-fixed.smoke"; then s_fixed=pass; else s_fixed=FAIL; fi
    else
      s_fixed="no build"
    fi
  elif [ "$s_orig" != "no build" ]; then
    "$DOCKER" tag "$t_orig" "$t_fixed"
    s_fixed=$s_orig
  else
    s_fixed="no build"
  fi

  # expert
  t_expert=whittle-example/$name:expert
  s_expert=n/a
  if build "$orig" "$orig/expert.Dockerfile" "$t_expert" "$LOGS/$name-expert.log" >/dev/null; then
    if smoke "$t_expert" "$smoke_cmd" "$LOGS/$name-expert.smoke"; then s_expert=pass; else s_expert=FAIL; fi
  else
    s_expert="no build"
  fi

  # rebuild after a source change (original and expert share the original context)
  r_orig=-; r_fixed=-; r_expert=-
  if [ -f "$orig/$touch_file" ] && [ -f "$fixed/$touch_file" ]; then
    touch_source "$orig/$touch_file"
    if [ "$s_orig" != "no build" ]; then
      r_orig=$(build "$orig" "$orig/Dockerfile" "$t_orig" "$LOGS/$name-original-rebuild.log") ||
        { r_orig=-; problems+=("original does not rebuild after a source change"); }
    fi
    if [ "$s_expert" != "no build" ]; then
      r_expert=$(build "$orig" "$orig/expert.Dockerfile" "$t_expert" "$LOGS/$name-expert-rebuild.log") ||
        { r_expert=-; problems+=("expert does not rebuild after a source change"); }
    fi
    if [ "$fixes_applied" = 1 ]; then
      touch_source "$fixed/$touch_file"
      if [ "$s_fixed" != "no build" ]; then
        r_fixed=$(build "$fixed" "$fixed/Dockerfile" "$t_fixed" "$LOGS/$name-fixed-rebuild.log") ||
          { r_fixed=-; problems+=("fixed does not rebuild after a source change"); }
      fi
    else
      r_fixed=$r_orig
      [ "$r_orig" != - ] && "$DOCKER" tag "$t_orig" "$t_fixed"
    fi
  else
    problems+=("touch file '$touch_file' not found")
  fi

  # sizes
  z_orig=0; z_fixed=0; z_expert=0
  [ "$s_orig" != "no build" ] && z_orig=$(size_of "$t_orig")
  [ "$s_fixed" != "no build" ] && z_fixed=$(size_of "$t_fixed")
  [ "$s_expert" != "no build" ] && z_expert=$(size_of "$t_expert")
  reduction=-; share=-
  if [ "$z_orig" -gt 0 ] && [ "$z_fixed" -gt 0 ]; then
    reduction=$(awk -v o="$z_orig" -v f="$z_fixed" 'BEGIN { r = (o - f) * 100 / o; printf "%.1f", (r > -0.05 && r < 0.05) ? 0 : r }')
    reductions+=("$reduction")
    if [ "$z_expert" -gt 0 ] && [ "$z_orig" -gt "$z_expert" ]; then
      share=$(awk -v o="$z_orig" -v f="$z_fixed" -v e="$z_expert" 'BEGIN { r = (o - f) * 100 / (o - e); printf "%.1f", (r > -0.05 && r < 0.05) ? 0 : r }')
      shares+=("$share")
    fi
    if [ "$z_fixed" -gt "$z_orig" ]; then
      problems+=("size regression: fixed $(mb "$z_fixed") > original $(mb "$z_orig")")
    fi
  fi

  for v in original fixed expert; do
    case $v in original) s=$s_orig ;; fixed) s=$s_fixed ;; expert) s=$s_expert ;; esac
    case $s in
      "no build") problems+=("$v does not build (see its log below)") ;;
      FAIL) problems+=("$v fails its smoke command: $(tail -n 3 "$LOGS/$name-$v.smoke" | tr '\n' ' ')") ;;
    esac
  done
  if [ ${#problems[@]} -gt 0 ]; then
    fail=1
    for p in "${problems[@]}"; do echo "FAIL: $name: $p" >&2; done
    for v in original fixed expert; do
      if [ -f "$LOGS/$name-$v.log" ] && grep -q 'ERROR' "$LOGS/$name-$v.log"; then
        echo "--- $name $v build log (tail)" >&2
        tail -n 25 "$LOGS/$name-$v.log" >&2
      fi
    done
    [ "$fixes_applied" = 1 ] && { echo "--- $name: whittle's rewrite" >&2; diff -u "$orig/Dockerfile" "$fixed/Dockerfile" >&2; }
  fi

  if [ "$r_fixed" != - ] && [ "$r_expert" != - ]; then
    rebuild_ratios+=("$(awk -v f="$r_fixed" -v e="$r_expert" 'BEGIN { printf "%.2f", (e > 0) ? f / e : 0 }')")
  fi
  rows+=("| $name | $(fmt_size "$z_orig") | $(fmt_size "$z_fixed") | $(fmt_size "$z_expert") | $(pct "$reduction") | $(pct "$share") | $(secs "$r_orig") / $(secs "$r_fixed") / $(secs "$r_expert") | $s_orig / $s_fixed / $s_expert | $fix_note |")
done

# median [-x] VALUE...: the median, as a percentage (or with -x as a ratio, "1.20x")
median() {
  local unit=%
  if [ "${1:-}" = -x ]; then unit=x; shift; fi
  if [ $# -eq 0 ]; then echo -; return; fi
  printf '%s\n' "$@" | sort -g | awk -v u="$unit" '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; if (u == "x") printf "%.2fx", m; else printf "%.1f%%", m }'
}

echo
echo "| example | original | fixed | expert | size reduction | share of expert savings | rebuild after source change (orig / fixed / expert) | smoke (orig / fixed / expert) | whittle |"
echo "|---|---:|---:|---:|---:|---:|---|---|---|"
printf '%s\n' "${rows[@]}"
echo
echo "Median size reduction (original to fixed): $(median "${reductions[@]}")"
echo "Median share of the expert's savings reached: $(median "${shares[@]}")"
echo "Median rebuild time after a source change, fixed / expert: $(median -x "${rebuild_ratios[@]}")"
[ "$any_fixes" = 0 ] && echo "Note: whittle applied no fixes to any example, so fixed = original."
echo "Sizes: \`docker image inspect -f '{{.Size}}'\` (uncompressed, 1 MB = 10^6 bytes); rebuild: wall time of \`docker build\` after appending a comment to the file named in each example's \`touch\`."

# dangling images left by re-tagging
"$DOCKER" image prune -f >/dev/null 2>&1 || true

if [ "$fail" != 0 ]; then
  echo "image-report: FAILED (see FAIL lines above)" >&2
  exit 1
fi
exit 0
