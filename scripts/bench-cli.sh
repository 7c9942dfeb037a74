#!/usr/bin/env bash
# CLI speed, measured (a benchmark, not a test): run it, read the numbers, put them in docs/benchmarks.md.
#
#   scripts/bench-cli.sh DIR     # any directory of real Dockerfiles
#
# (a) one typical Dockerfile (26 lines, the corpus median; written below) linted by a fresh
#     process, as pre-commit does per file: wall time (hyperfine, else a loop) and peak RSS
#     (/usr/bin/time -v). Targets: <= 2 ms, <= 10 MB.
# (b) the whole directory in one process, every rule on (--select ALL), --format json.
#     Target: >= 15,000 files/s on 2 cores.
# (c) hadolint on the same inputs in the same run, and the ratios. HADOLINT (default: the
#     hadolint on PATH); HADOLINT_FILES=N limits (c)'s corpus run to the first N files (the rate
#     is what is compared).
# The machine may be shared and noisy: compare the ratios, and rerun before trusting a number.
set -euo pipefail

corpus=${1:?usage: scripts/bench-cli.sh DIRECTORY-OF-DOCKERFILES}
repo=$(cd "$(dirname "$0")/.." && pwd)
hadolint=${HADOLINT:-$(command -v hadolint || true)}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# WHITTLE: the binary to measure (default: target/release/whittle, built first).
if [ -n "${WHITTLE:-}" ]; then
  whittle=$WHITTLE
else
  (cd "$repo" && cargo build --release --locked --quiet)
  whittle=$repo/target/release/whittle
fi

cat > "$tmp/Dockerfile" <<'DOCKERFILE'
# syntax=docker/dockerfile:1
ARG PYTHON_VERSION=3.12
FROM python:${PYTHON_VERSION}-slim AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential libpq-dev \
 && rm -rf /var/lib/apt/lists/*
COPY requirements.txt .
RUN pip wheel --wheel-dir /wheels -r requirements.txt
COPY . .
RUN python -m compileall -q app

FROM python:${PYTHON_VERSION}-slim
LABEL org.opencontainers.image.title="web" maintainer="team@example.com"
RUN apt-get update && apt-get install -y libpq5 curl
RUN useradd --create-home --uid 10001 app
WORKDIR /home/app
COPY --from=build /wheels /wheels
RUN pip install /wheels/* && rm -rf /wheels
COPY --from=build --chown=app:app /src/app ./app
USER app
EXPOSE 8000
HEALTHCHECK CMD curl -fsS http://localhost:8000/health || exit 1
CMD ["gunicorn", "-b", "0.0.0.0:8000", "app.wsgi:application"]
DOCKERFILE
file=$tmp/Dockerfile
mapfile -t files < <(find "$corpus" -type f | sort)
n=${#files[@]}
echo "machine: $(nproc) cores, $(uname -sr); whittle $("$whittle" --version | awk '{print $2}'); corpus: $n files in $corpus"
[ -n "$hadolint" ] && echo "hadolint: $hadolint ($("$hadolint" --version 2>/dev/null | head -1))"

# Peak RSS in MB of one command (/usr/bin/time -v).
peak_rss_mb() {
  /usr/bin/time -v "$@" >/dev/null 2>"$tmp/time" || true
  awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2 / 1024}' "$tmp/time"
}
# Mean wall seconds of a command, many runs.
mean_seconds() { # runs warmup cmd...
  local runs=$1 warmup=$2; shift 2
  if command -v hyperfine >/dev/null; then
    hyperfine --style none --shell=none --ignore-failure --warmup "$warmup" --runs "$runs" \
      --export-json "$tmp/h.json" -- "$(printf '%q ' "$@")" >/dev/null 2>&1
    python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("%.6f %.6f %.6f" % (r["mean"], r["median"], r["stddev"] or 0))' "$tmp/h.json"
  else
    local start end
    for _ in $(seq "$warmup"); do "$@" >/dev/null 2>&1 || true; done
    start=$(date +%s.%N)
    for _ in $(seq "$runs"); do "$@" >/dev/null 2>&1 || true; done
    end=$(date +%s.%N)
    python3 -c "import sys; m=($end-$start)/$runs; print('%.6f %.6f 0' % (m, m))"
  fi
}
ms() { python3 -c "print('%.2f' % ($1 * 1000))"; }

echo
echo "(a) one typical Dockerfile (26 lines), fresh process each time"
read -r w_mean w_median w_sd < <(mean_seconds 300 30 "$whittle" check "$file")
w_rss=$(peak_rss_mb "$whittle" check "$file")
echo "  whittle check FILE:             mean $(ms "$w_mean") ms, median $(ms "$w_median") ms (sd $(ms "$w_sd")), peak RSS $w_rss MB"
read -r w2_mean _ _ < <(mean_seconds 300 30 "$whittle" check --select ALL --format json "$file")
echo "  whittle check --select ALL --format json FILE: mean $(ms "$w2_mean") ms"
if [ -n "$hadolint" ]; then
  read -r h_mean h_median h_sd < <(mean_seconds 30 3 "$hadolint" "$file")
  h_rss=$(peak_rss_mb "$hadolint" "$file")
  echo "  hadolint FILE:                  mean $(ms "$h_mean") ms, median $(ms "$h_median") ms (sd $(ms "$h_sd")), peak RSS $h_rss MB"
  python3 -c "print('  ratio hadolint/whittle: %.0fx wall, %.1fx peak RSS' % ($h_mean/$w_mean, $h_rss/$w_rss))"
fi

echo
echo "(b) the whole corpus in one process: whittle check --select ALL --format json DIR"
read -r c_mean c_median _ < <(mean_seconds 5 1 "$whittle" check --select ALL --format json "$corpus")
c_rss=$(peak_rss_mb "$whittle" check --select ALL --format json "$corpus")
python3 -c "print('  whittle: %d files in %.3f s (median of 5 runs %.3f s): %.0f files/s, peak RSS %s MB' % ($n, $c_mean, $c_median, $n/$c_median, '$c_rss'))"
read -r s_mean _ _ < <(mean_seconds 3 1 env RAYON_NUM_THREADS=1 "$whittle" check --select ALL --format json "$corpus")
python3 -c "print('  whittle, one thread (RAYON_NUM_THREADS=1): %.0f files/s' % ($n/$s_mean))"

if [ -n "$hadolint" ]; then
  echo
  hn=${HADOLINT_FILES:-$n}
  printf '%s\0' "${files[@]:0:$hn}" > "$tmp/list"
  echo "(c) hadolint --format json on $hn of the files (xargs, one process per batch; 2 in parallel)"
  start=$(date +%s.%N)
  xargs -0 -P 2 -n 200 "$hadolint" --format json < "$tmp/list" >/dev/null 2>&1 || true
  end=$(date +%s.%N)
  python3 -c "
h=$hn/($end-$start); w=$n/$c_median
print('  hadolint: %d files in %.1f s: %.0f files/s' % ($hn, $end-$start, h))
print('  ratio whittle/hadolint: %.0fx files/s' % (w/h))"
fi
