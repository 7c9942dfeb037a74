#!/usr/bin/env bash
# Build-context speed, measured (a benchmark, not a test): how much a big build context costs
# `whittle check` on one Dockerfile, as pre-commit runs it at the root of a monorepo.
#
#   scripts/bench-context.sh            # builds target/release/whittle if WHITTLE is not set
#
# Three contexts, each with the same small Node.js project beside its Dockerfile:
#   small     the project alone (a dozen files)
#   excluded  plus 100,000 files under node_modules/, which .dockerignore excludes
#   included  plus 20,000 files under lib/, which the build context sends
# and two Dockerfiles: `copy-src` copies package.json and src/ (the usual shape), `copy-all`
# copies the whole context (`COPY . .`: the secret check has to read every sent name).
# Each case: the median wall time / mean CPU time (user + system; the kernel counts it in ticks,
# so only a mean is meaningful) of RUNS (default 30) fresh `whittle check` processes, in ms (on a
# busy machine the CPU time is the steadier). hadolint
# (HADOLINT, default: the hadolint on PATH; none: left out) is timed on the same Dockerfiles in
# the same run for comparison; it does not read the build context.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
runs=${RUNS:-30}
hadolint=${HADOLINT:-$(command -v hadolint || true)}
[ "$hadolint" = none ] && hadolint=
if [ -z "${WHITTLE:-}" ]; then
  (cd "$repo" && cargo build --release --locked --quiet)
  WHITTLE=$repo/target/release/whittle
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

python3 - "$tmp" <<'PY'
import os, sys
tmp = sys.argv[1]
def write(path, text="x\n"):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
for name in ["small", "excluded", "included"]:
    root = os.path.join(tmp, name)
    write(f"{root}/package.json", '{"name": "app"}\n')
    write(f"{root}/package-lock.json", "{}\n")
    for i in range(8):
        write(f"{root}/src/module{i}.js")
    write(f"{root}/.dockerignore", "node_modules\n.git\n")
    write(f"{root}/copy-src.Dockerfile",
          "FROM node:20-slim\nWORKDIR /app\nCOPY package.json package-lock.json ./\n"
          "RUN npm ci --omit=dev\nCOPY src/ ./src/\nUSER node\nCMD [\"node\", \"src/module0.js\"]\n")
    write(f"{root}/copy-all.Dockerfile",
          "FROM node:20-slim\nWORKDIR /app\nCOPY package.json package-lock.json ./\n"
          "RUN npm ci --omit=dev\nCOPY . .\nUSER node\nCMD [\"node\", \"src/module0.js\"]\n")
for d in range(1000):
    for f in range(100):
        write(f"{tmp}/excluded/node_modules/pkg{d}/file{f}.js")
for d in range(200):
    for f in range(100):
        write(f"{tmp}/included/lib/part{d}/file{f}.js")
PY

median_ms() { # command... -> "wall/cpu": median wall time and mean CPU time (user + system)
  python3 - "$runs" "$@" <<'PY'
import os, subprocess, sys, time
runs = int(sys.argv[1]); cmd = sys.argv[2:]
walls, cpus = [], []
for _ in range(runs):
    t = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(p.pid, 0)
    walls.append((time.perf_counter() - t) * 1000)
    cpus.append((usage.ru_utime + usage.ru_stime) * 1000)
walls.sort(); cpus.sort()
print(f"{walls[len(walls) // 2]:.1f}/{sum(cpus) / len(cpus):.1f}")
PY
}

echo "whittle: $("$WHITTLE" --version)   runs per case: $runs   $(nproc) cores"
[ -n "$hadolint" ] && echo "hadolint: $("$hadolint" --version | head -1)"
echo "each cell: median wall ms / mean CPU ms"
printf '%-10s %14s %14s' context copy-src copy-all
[ -n "$hadolint" ] && printf ' %20s %20s' "hadolint copy-src" "hadolint copy-all"
echo
for ctx in small excluded included; do
  a=$(median_ms "$WHITTLE" check "$tmp/$ctx/copy-src.Dockerfile")
  b=$(median_ms "$WHITTLE" check "$tmp/$ctx/copy-all.Dockerfile")
  printf '%-10s %14s %14s' "$ctx" "$a" "$b"
  if [ -n "$hadolint" ]; then
    c=$(median_ms "$hadolint" "$tmp/$ctx/copy-src.Dockerfile")
    d=$(median_ms "$hadolint" "$tmp/$ctx/copy-all.Dockerfile")
    printf ' %20s %20s' "$c" "$d"
  fi
  echo
done
