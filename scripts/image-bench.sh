#!/usr/bin/env bash
# image-bench.sh: how fast `whittle image` reads a large image, next to the time it takes only to
# decompress and list its layers (the physical limit).
#
#   scripts/image-bench.sh [RUNS]        # default 3 runs each, the best is reported
#
# Builds scripts/image-bench.Dockerfile (over 1 GB) as whittle-image-bench, exports it with
# `docker save`, and lays it out three times as an OCI directory: layers uncompressed (as
# docker save writes them), gzip (`gzip -6`) and zstd (`zstd -3`). For each layout it times
#   - whittle image --no-dockerfile --format json LAYOUT (all layers, in parallel);
#   - the baseline: every layer through `gzip -dc | tar -tv` (or `zstd -dc`, or `tar -tv` alone)
#     one after the other, and the same with two layers at a time (xargs -P 2), the machine's
#     core count here;
# and prints a Markdown table. Environment: WHITTLE (default target/release/whittle, built
# when missing), DOCKER, WHITTLE_BENCH_DIR (work directory, kept, and its layouts reused by the
# next run; default a temp dir, removed).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
DOCKER=${DOCKER:-docker}
WHITTLE=${WHITTLE:-target/release/whittle}
RUNS=${1:-3}
case "$WHITTLE" in /*) ;; *) WHITTLE="$ROOT/$WHITTLE" ;; esac
[ -x "$WHITTLE" ] || cargo build --release --quiet
for tool in gzip zstd tar python3 xargs /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "image-bench: $tool is needed" >&2; exit 2; }
done
"$DOCKER" info >/dev/null 2>&1 || { echo "image-bench: no Docker engine" >&2; exit 2; }

WORK=${WHITTLE_BENCH_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/whittle-image-bench.XXXXXX")}
[ -n "${WHITTLE_BENCH_DIR:-}" ] || trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK"

if [ ! -f "$WORK/zstd/layers.txt" ]; then
"$DOCKER" build --network=host -q -t whittle-image-bench -f scripts/image-bench.Dockerfile scripts >/dev/null
"$DOCKER" image save -o "$WORK/image.tar" whittle-image-bench
mkdir -p "$WORK/saved"
tar -xf "$WORK/image.tar" -C "$WORK/saved"

# OCI layouts with uncompressed, gzip and zstd layers (blobs named by their sha256).
python3 - "$WORK" <<'PY'
import hashlib, json, os, subprocess, sys
work = sys.argv[1]
saved = os.path.join(work, "saved")
manifest = json.load(open(os.path.join(saved, "manifest.json")))[0]
config = open(os.path.join(saved, manifest["Config"]), "rb").read()
for comp, cmd, media in [("none", None, "tar"), ("gzip", ["gzip", "-6", "-c"], "tar+gzip"), ("zstd", ["zstd", "-3", "-q", "-c"], "tar+zstd")]:
    out = os.path.join(work, comp)
    blobs = os.path.join(out, "blobs", "sha256")
    os.makedirs(blobs, exist_ok=True)
    def put(data):
        d = hashlib.sha256(data).hexdigest()
        open(os.path.join(blobs, d), "wb").write(data)
        return "sha256:" + d, len(data)
    layers = []
    for path in manifest["Layers"]:
        src = os.path.join(saved, path)
        data = open(src, "rb").read() if cmd is None else subprocess.run(cmd + [src], check=True, capture_output=True).stdout
        digest, size = put(data)
        layers.append({"mediaType": "application/vnd.oci.image.layer.v1." + media, "digest": digest, "size": size})
    cdigest, csize = put(config)
    m = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                    "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": cdigest, "size": csize},
                    "layers": layers}).encode()
    mdigest, msize = put(m)
    json.dump({"schemaVersion": 2, "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": mdigest, "size": msize}]},
              open(os.path.join(out, "index.json"), "w"))
    open(os.path.join(out, "oci-layout"), "w").write('{"imageLayoutVersion":"1.0.0"}')
    open(os.path.join(out, "layers.txt"), "w").write("".join(os.path.join(blobs, l["digest"][7:]) + "\n" for l in layers))
PY
fi

best() { # best CMD...: "WALL CPU", the shortest wall time and the least CPU time (user + system,
  # children included) of RUNS runs, in seconds
  local bw="" bc="" w c
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f "%e %U %S" -o "$WORK/time.txt" "$@" >/dev/null 2>&1
    read -r w u sy <"$WORK/time.txt"
    c=$(awk -v u="$u" -v s="$sy" 'BEGIN { printf "%.2f", u + s }')
    if [ -z "$bw" ] || awk -v t="$w" -v b="$bw" 'BEGIN { exit !(t < b) }'; then bw=$w; fi
    if [ -z "$bc" ] || awk -v t="$c" -v b="$bc" 'BEGIN { exit !(t < b) }'; then bc=$c; fi
  done
  echo "$bw $bc"
}
list_one() { case "$1" in none) tar -tvf "$2" ;; gzip) gzip -dc "$2" | tar -tvf - ;; zstd) zstd -dcq "$2" | tar -tvf - ;; esac; }
export -f list_one
sequential() { while read -r blob; do list_one "$1" "$blob"; done <"$WORK/$1/layers.txt"; }
parallel() { xargs -P 2 -I{} bash -c 'list_one "$0" {}' "$1" <"$WORK/$1/layers.txt"; }

size=$(du -sb "$WORK/none/blobs" | cut -f1)
layers=$(wc -l <"$WORK/none/layers.txt")
echo "Image: whittle-image-bench, $layers layers, $(awk -v s="$size" 'BEGIN { printf "%.2f GB", s / 1e9 }') uncompressed; best of $RUNS runs; $(nproc) cores"
echo
echo "| layers | stored | whittle image: wall / CPU | decompress + list, one layer at a time: wall / CPU | two at a time: wall | wall ratio | CPU ratio |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for comp in none gzip zstd; do
  stored=$(du -sb "$WORK/$comp/blobs" | cut -f1)
  read -r ww wc <<<"$(best "$WHITTLE" image --no-dockerfile --format json "$WORK/$comp")"
  read -r sw sc <<<"$(best bash -c "$(declare -f list_one sequential); WORK='$WORK' sequential $comp")"
  read -r pw _ <<<"$(best bash -c "$(declare -f list_one parallel); export -f list_one; WORK='$WORK' parallel $comp")"
  ratio=$(awk -v w="$ww" -v s="$sw" -v p="$pw" 'BEGIN { b = (s < p) ? s : p; printf "%.2fx", w / b }')
  cratio=$(awk -v w="$wc" -v s="$sc" 'BEGIN { printf "%.2fx", (s > 0) ? w / s : 0 }')
  echo "| $comp | $(awk -v s="$stored" 'BEGIN { printf "%.2f GB", s / 1e9 }') | ${ww}s / ${wc}s | ${sw}s / ${sc}s | ${pw}s | $ratio | $cratio |"
done
echo
echo "Wall ratio: whittle's wall time / the faster baseline's; CPU ratio: whittle's CPU time / the one-at-a-time baseline's (gzip or zstd and tar together). Load average when done: $(cut -d' ' -f1-3 /proc/loadavg)"
