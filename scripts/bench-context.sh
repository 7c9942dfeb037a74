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
# Each case: the median wall time of RUNS (default 30) fresh `whittle check` processes.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
runs=${RUNS:-30}
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

median_ms() { # command...
  python3 - "$runs" "$@" <<'PY'
import subprocess, sys, time
runs = int(sys.argv[1]); cmd = sys.argv[2:]
times = []
for _ in range(runs):
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    times.append((time.perf_counter() - t) * 1000)
times.sort()
print(f"{times[len(times) // 2]:.1f}")
PY
}

echo "whittle: $("$WHITTLE" --version)   runs per case: $runs   $(nproc) cores"
printf '%-10s %12s %12s\n' context copy-src copy-all
for ctx in small excluded included; do
  a=$(median_ms "$WHITTLE" check "$tmp/$ctx/copy-src.Dockerfile")
  b=$(median_ms "$WHITTLE" check "$tmp/$ctx/copy-all.Dockerfile")
  printf '%-10s %9s ms %9s ms\n' "$ctx" "$a" "$b"
done
