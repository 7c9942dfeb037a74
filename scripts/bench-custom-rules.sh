#!/usr/bin/env bash
# What twenty custom rules add to a run (a benchmark, not a test): run it, read the numbers,
# put them in docs/custom-rules.md.
#
#   scripts/bench-custom-rules.sh DIRECTORY-OF-DOCKERFILES [RUNS]
#   WHITTLE=path/to/whittle scripts/bench-custom-rules.sh ...   # measure that binary
#
# Times `whittle check --format json DIR` in one process over the whole directory with two
# configurations that differ only in `custom-rules:`: none, and the twenty realistic rules below
# (every matcher: `from` globs, `run` commands with missing-flag / has-flag / args-regex,
# `missing`, `instruction` + regex; three of them with fixes). Once with the default rules, once
# with `--select ALL`, and once with `--statistics` (the rules run, the findings are counted
# instead of written: what checking costs without the report). The two configurations alternate
# run by run (RUNS each, default 15) so that a noisy machine slows both alike; the medians of
# wall and CPU time and their ratios are printed, and how many findings the custom rules made
# (they must fire to be measured).
set -euo pipefail

corpus=${1:?usage: scripts/bench-custom-rules.sh DIRECTORY-OF-DOCKERFILES [RUNS]}
runs=${2:-15}
repo=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# WHITTLE: a binary to measure instead of building this checkout's release binary.
whittle=${WHITTLE:-}
if [ -z "$whittle" ]; then
  (cd "$repo" && cargo build --release --locked --quiet)
  whittle=$repo/target/release/whittle
fi

printf 'fail-level: none\n' > "$tmp/base.yaml"
cp "$tmp/base.yaml" "$tmp/custom.yaml"
cat >> "$tmp/custom.yaml" <<'YAML'
custom-rules:
  - id: ACME001
    name: unapproved-base-image
    severity: error
    message: "base image `{image}` is not from an approved registry"
    when:
      from:
        not-image: ["registry.acme.io/**", "docker.io/library/*"]
  - id: ACME002
    name: latest-base-image
    message: "`{image}` floats with `latest`"
    when:
      from:
        image: ["**:latest", "docker.io/**:latest"]
  - id: ACME003
    name: build-stage-off-mirror
    message: "build stage {stage} pulls `{resolved}` from {registry}"
    when:
      stage: build
      from:
        not-image: "registry.acme.io/**"
  - id: ACME004
    name: curl-without-fail
    message: "curl without --fail"
    when:
      run:
        command: curl
        missing-flag: ["-f", "--fail", "--fail-with-body"]
    fix:
      add-flag: "--fail"
      applicability: safe
  - id: ACME005
    name: insecure-download
    severity: error
    message: "`{command} {flag}` skips certificate checks"
    when:
      run:
        command: [curl, wget]
        has-flag: ["-k", "--insecure", "--no-check-certificate"]
  - id: ACME006
    name: package-upgrade
    message: "`{command} {0}` makes the image depend on the day it was built"
    when:
      run:
        command: [apt-get, apt, apk, dnf, yum]
        args-regex: '\b(dist-upgrade|full-upgrade|upgrade)\b'
  - id: ACME007
    name: no-sudo
    message: "`{command}` in a Dockerfile: use USER"
    when:
      run:
        command: [sudo, su]
  - id: ACME008
    name: pip-cache
    message: "pip install without --no-cache-dir"
    when:
      run:
        command: [pip, pip3]
        args-regex: '^install\b'
        missing-flag: ["--no-cache-dir"]
    fix:
      add-flag: "--no-cache-dir"
  - id: ACME009
    name: npm-install-in-image
    message: "`npm install` in an image: use `npm ci`"
    when:
      run:
        command: npm
        args-regex: '^(install|i)\b'
  - id: ACME010
    name: world-writable
    severity: error
    message: "chmod {0}"
    when:
      run:
        command: chmod
        args-regex: '\b0?777\b'
  - id: ACME011
    name: git-clone-plain-http
    message: "git clone over plain http"
    when:
      run:
        command: git
        args-regex: 'clone\s+(\S+\s+)*http://'
  - id: ACME012
    name: missing-source-label
    message: "no org.opencontainers.image.source label"
    when:
      stage: final
      missing:
        instruction: LABEL
        regex: 'org\.opencontainers\.image\.source='
  - id: ACME013
    name: missing-vendor-label
    message: "no vendor label"
    when:
      stage: final
      missing:
        instruction: LABEL
        regex: 'org\.opencontainers\.image\.vendor='
    fix:
      add-line: 'LABEL org.opencontainers.image.vendor="ACME Corp"'
      applicability: safe
  - id: ACME014
    name: missing-user
    message: "the image runs as root"
    when:
      stage: final
      missing:
        instruction: USER
  - id: ACME015
    name: image-without-healthcheck
    severity: info
    message: "no HEALTHCHECK"
    when:
      stage: final
      missing:
        instruction: HEALTHCHECK
  - id: ACME016
    name: debug-env
    message: "{1} is switched on"
    when:
      instruction: ENV
      regex: '\b(DEBUG|FLASK_DEBUG|NODE_ENV)=(1|true|yes|development)\b'
  - id: ACME017
    name: secret-in-build-arg
    severity: error
    message: "`{1}` looks like a secret"
    when:
      instruction: [ARG, ENV]
      regex: '\b(\w*(?:PASSWORD|TOKEN|SECRET|API_KEY)\w*)='
  - id: ACME018
    name: add-from-url
    message: "ADD fetches {0}"
    when:
      instruction: ADD
      regex: 'https?://\S+'
  - id: ACME019
    name: ssh-port
    message: "the image exposes SSH"
    when:
      instruction: EXPOSE
      regex: '\b22(/tcp)?\b'
  - id: ACME020
    name: maintainer
    severity: style
    message: "MAINTAINER is deprecated: {args}"
    when:
      instruction: MAINTAINER
YAML

# The rules must load (a configuration error would make every run a fast failure).
"$whittle" rules --config "$tmp/custom.yaml" >/dev/null
# The files `whittle check DIR` lints (its discovery patterns).
files=$(find "$corpus" -type f \( -name Dockerfile -o -name 'Dockerfile.*' -o -name '*.Dockerfile' \
  -o -name '*.dockerfile' -o -name Containerfile -o -name 'Containerfile.*' \) | wc -l)
echo "machine: $(nproc) cores, $(uname -sr); whittle $("$whittle" --version | awk '{print $2}'); corpus: $files Dockerfiles in $corpus; $runs runs of each configuration, alternating"

# Both configurations, alternating run by run after one warm-up each; medians of wall time and
# of CPU time (user + system, all threads: steadier than wall time when the machine is busy).
measure() { # label, selection ("" or --select ALL), output arguments...
  local label=$1 selection=$2; shift 2
  local found
  # shellcheck disable=SC2086
  found=$("$whittle" check --config "$tmp/custom.yaml" $selection --statistics --format json "$corpus" 2>/dev/null \
    | python3 -c 'import json,sys; print(sum(r["count"] for r in json.load(sys.stdin) if r["rule"].startswith("ACME")))')
  # shellcheck disable=SC2086
  python3 - "$label" "$runs" "$files" "$found" "$whittle" "$tmp/base.yaml" "$tmp/custom.yaml" "$corpus" $selection "$@" <<'PY'
import resource, statistics, subprocess, sys, time
label, runs, files, found, whittle, base, custom, corpus, *extra = sys.argv[1:]
runs, files = int(runs), int(files)

def once(config):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([whittle, "check", "--config", config, *extra, corpus],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu

once(base); once(custom)
times = {base: [], custom: []}
for _ in range(runs):
    for config in (base, custom):
        times[config].append(once(config))
(bw, bc), (cw, cc) = ([statistics.median(t[i] for t in times[c]) for i in (0, 1)] for c in (base, custom))
print(f"{label}: without custom rules {bw*1000:.0f} ms wall, {bc*1000:.0f} ms CPU ({files/bw:,.0f} files/s); "
      f"with 20 custom rules {cw*1000:.0f} ms wall, {cc*1000:.0f} ms CPU: "
      f"+{(cw/bw-1)*100:.1f}% wall, +{(cc/bc-1)*100:.1f}% CPU ({found} custom findings)")
PY
}

measure "default rules, --format json           " "" --format json
measure "--select ALL, --format json            " "--select ALL" --format json
measure "default rules, --statistics (no report)" "" --statistics --format json
