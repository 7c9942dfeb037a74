#!/bin/sh
# Concatenate the pages of a site into its index.
set -e
site=$1
for page in "$site"/pages/*.txt; do
  printf '== %s\n' "$(basename "$page" .txt)"
  cat "$page"
done > "$site/index.txt"
