# syntax=docker/dockerfile:1.4
FROM alpine:3.19
RUN <<EOF
set -e
apk add --no-cache python3 py3-pip
adduser -D worker
mkdir -p /opt/worker
EOF
COPY <<-'EOT' /opt/worker/run.sh
	#!/bin/sh
	exec python3 /opt/worker/main.py "$@"
	EOT
COPY <<PY /opt/worker/main.py
import os, sys
print("worker", os.getpid(), sys.argv[1:])
PY
RUN chmod +x /opt/worker/run.sh
RUN <<'SCRIPT' sh
for i in 1 2 3; do
  echo "step $i"
done
SCRIPT
USER worker
ENTRYPOINT ["/opt/worker/run.sh"]
