#!/bin/sh
# List the unpacked assets with their first line.
for f in /opt/assets/*; do
  printf '%s: %s\n' "$(basename "$f")" "$(head -n 1 "$f")"
done
