#!/usr/bin/env bash
# image-report.sh: prove whittle's fixes on real image builds, one `whittle measure` per example.
#
#   scripts/image-report.sh [EXAMPLE...]      # default: every examples/*/ directory
#
# Each example is a directory with Dockerfile, expert.Dockerfile (the best hand-optimized
# version), smoke (one command run in each image) and touch (the source file changed before
# timing a rebuild). For each one this runs
#
#   whittle measure --unsafe-fixes --extend-select image-size --reference expert.Dockerfile \
#     --touch <touch> --smoke <smoke>
#
# which builds the original, the `whittle check --fix --unsafe-fixes --extend-select image-size`
# result (every image-size rule, the off-by-default ones too) and the expert
# version in temporary copies, runs the smoke command in each, times a rebuild after a source
# change, and reads size, layers and wasted bytes; this script only collects the numbers into a
# Markdown table with the medians of the size reduction and of the share of the expert's savings
# reached, (original - fixed) / (original - expert).
#
# Exit status: 1 when any image fails to build or its smoke command, or a fixed image is bigger
# than its original (`whittle measure` exits 1); 0 otherwise. Without Docker it prints
# `SKIPPED: <reason>` and exits 0; with WHITTLE_IMAGE_REPORT_SETUP=1 it first tries to start
# an engine with the sandbox script (WHITTLE_DOCKER_SANDBOX, default
# ../shared/tools/docker-sandbox.sh next to the repository).
#
# Environment: WHITTLE (binary, default target/release/whittle, built when missing), DOCKER
# (client), WHITTLE_EXAMPLES_DIR (default examples/), WHITTLE_EXTEND_SELECT (the rules added to
# the default set for the fix, default image-size; empty: the default set alone),
# WHITTLE_IMAGE_REPORT_TAG (image name prefix, default whittle-image-example), and
# WHITTLE_IMAGE_REPORT_JSON (a directory that keeps each example's `whittle measure` JSON).
# Images are tagged <prefix>-<name>:{original,fixed,reference}.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1
DOCKER=${DOCKER:-docker}
export DOCKER
WHITTLE=${WHITTLE:-target/release/whittle}

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
  echo "SKIPPED: image report: no Docker engine could be started (\`$DOCKER info\` fails)"
  exit 0
fi

# --- whittle -----------------------------------------------------------------------------
case "$WHITTLE" in /*) ;; *) WHITTLE="$ROOT/$WHITTLE" ;; esac
if [ ! -x "$WHITTLE" ]; then
  note "building whittle (cargo build --release)"
  cargo build --release --quiet >&2 || { echo "image-report: cargo build --release failed" >&2; exit 1; }
fi

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
JSON_DIR=${WHITTLE_IMAGE_REPORT_JSON:-}
trap '[ -n "$JSON_DIR" ] && mkdir -p "$JSON_DIR" && cp "$WORK"/*.json "$JSON_DIR"/ 2>/dev/null; rm -rf "$WORK"' EXIT
TAG=${WHITTLE_IMAGE_REPORT_TAG:-whittle-image-example}
select_args=()
EXTEND=${WHITTLE_EXTEND_SELECT-image-size}
[ -n "$EXTEND" ] && select_args=(--extend-select "$EXTEND")

fail=0
rows=()
for name in "${examples[@]}"; do
  src=$EXAMPLES_DIR/$name
  missing=0
  for required in Dockerfile expert.Dockerfile smoke touch; do
    [ -f "$src/$required" ] || { echo "FAIL: $name: no $required" >&2; missing=1; }
  done
  [ "$missing" = 0 ] || { fail=1; continue; }
  note "== $name"
  started=$(date +%s)
  status=0
  "$WHITTLE" measure --unsafe-fixes "${select_args[@]}" --format json \
    --reference "$src/expert.Dockerfile" \
    --touch "$(head -n 1 "$src/touch")" \
    --smoke "$(head -n 1 "$src/smoke")" \
    --tag "$TAG-$name" \
    "$src/Dockerfile" >"$WORK/$name.json" 2>"$WORK/$name.err" || status=$?
  note "$name: $(( $(date +%s) - started )) s"
  if [ "$status" -gt 1 ] || [ ! -s "$WORK/$name.json" ]; then
    echo "FAIL: $name: whittle measure exited $status: $(tail -n 5 "$WORK/$name.err" | tr '\n' ' ')" >&2
    fail=1
    continue
  fi
  [ "$status" = 1 ] && fail=1
  rows+=("$(python3 - "$name" "$WORK/$name.json" <<'PY'
import json, sys
name, path = sys.argv[1], sys.argv[2]
d = json.load(open(path))
v = {x["name"]: x for x in d["variants"]}
o, f, e = v.get("original", {}), v.get("fixed", {}), v.get("reference", {})
def mb(x): return "-" if not x.get("size") else "%.1f MB" % (x["size"] / 1e6)
def secs(x): return "-" if x.get("rebuild_seconds") is None else "%.1fs" % x["rebuild_seconds"]
def smoke(x): return "no build" if not x.get("built") else {True: "pass", False: "FAIL", None: "n/a"}[x.get("smoke")]
zo, zf, ze = o.get("size") or 0, f.get("size") or 0, e.get("size") or 0
red = "%.1f" % ((zo - zf) * 100 / zo) if zo and zf else "-"
share = "%.1f" % ((zo - zf) * 100 / (zo - ze)) if zo and zf and ze and zo > ze else "-"
ratio = "%.2f" % (f["rebuild_seconds"] / e["rebuild_seconds"]) if f.get("rebuild_seconds") and e.get("rebuild_seconds") else "-"
changed = sum(1 for l in d["diff"].splitlines() if l[:1] in "+-" and l[:3] not in ("+++", "---"))
note = "fixed: %d changed lines" % changed if d["fixes_applied"] else "no fixes applied"
for p in d["problems"]:
    print("FAIL: %s: %s" % (name, p), file=sys.stderr)
def pct(x): return "-" if x == "-" else x + "%"
print("\t".join([red, share, ratio, "| %s | %s | %s | %s | %s | %s | %s / %s / %s | %s / %s / %s | %s |" % (
    name, mb(o), mb(f), mb(e), pct(red), pct(share), secs(o), secs(f), secs(e), smoke(o), smoke(f), smoke(e), note)]))
PY
)")
done

# median [-x] VALUE...: the median as a percentage (or with -x as a ratio, "1.20x")
median() {
  local unit=%
  if [ "${1:-}" = -x ]; then unit=x; shift; fi
  local values=()
  for v in "$@"; do [ "$v" != - ] && values+=("$v"); done
  if [ ${#values[@]} -eq 0 ]; then echo -; return; fi
  printf '%s\n' "${values[@]}" | sort -g | awk -v u="$unit" '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; if (u == "x") printf "%.2fx", m; else printf "%.1f%%", m }'
}

reductions=(); shares=(); ratios=()
echo
echo "| example | original | fixed | expert | size reduction | share of expert savings | rebuild after source change (orig / fixed / expert) | smoke (orig / fixed / expert) | whittle |"
echo "|---|---:|---:|---:|---:|---:|---|---|---|"
for r in "${rows[@]}"; do
  IFS=$'\t' read -r red share ratio line <<<"$r"
  reductions+=("$red"); shares+=("$share"); ratios+=("$ratio")
  echo "$line"
done
echo
echo "Median size reduction (original to fixed): $(median "${reductions[@]}")"
echo "Median share of the expert's savings reached: $(median "${shares[@]}")"
echo "Median rebuild time after a source change, fixed / expert: $(median -x "${ratios[@]}")"
echo "Sizes: \`docker image inspect -f '{{.Size}}'\` (uncompressed, 1 MB = 10^6 bytes); rebuild: wall time of \`docker build\` after appending a comment to the file named in each example's \`touch\`; every number from \`whittle measure\`."

if [ "$fail" != 0 ]; then
  echo "image-report: FAILED (see FAIL lines above)" >&2
  exit 1
fi
exit 0
