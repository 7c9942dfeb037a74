#!/bin/sh
# Print the total and the largest item of a JSON list of {name, size}.
set -e
jq -r '"total: \(map(.size) | add)", "largest: \(max_by(.size).name)"' "$1"
