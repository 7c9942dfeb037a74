#!/bin/sh
# minify-assets: bundle and minify the JavaScript and CSS entry points of a site with esbuild.
#
#   minify-assets SRC_DIR OUT_DIR     every *.js and *.css directly under SRC_DIR
#   minify-assets --self-test         minify a sample and check the result
#   minify-assets --version
set -eu

VERSION=1.1.0

minify() { # src out
  src=$1 out=$2
  mkdir -p "$out"
  found=0
  for f in "$src"/*.js "$src"/*.css; do
    [ -f "$f" ] || continue
    found=1
    esbuild "$f" --bundle --minify --log-level=warning --outfile="$out/$(basename "$f")"
  done
  [ "$found" = 1 ] || { echo "minify-assets: no .js or .css files in $src" >&2; exit 1; }
}

case "${1:-}" in
  --version)
    echo "minify-assets $VERSION (esbuild $(esbuild --version))"
    ;;
  --self-test)
    dir=$(mktemp -d)
    trap 'rm -rf "$dir"' EXIT
    mkdir "$dir/src"
    printf 'export function twice(value) {\n  return value * 2;\n}\n' >"$dir/src/lib.js"
    printf 'import { twice } from "./lib.js";\nconsole.log("answer", twice(21));\n' >"$dir/src/app.js"
    printf 'body {\n  margin: 0px;\n  color: #ff0000;\n}\n' >"$dir/src/site.css"
    minify "$dir/src" "$dir/out"
    grep -q 'console.log("answer",' "$dir/out/app.js"
    grep -q 'body{margin:0;color:red}' "$dir/out/site.css"
    echo "self-test ok"
    ;;
  ""|-h|--help)
    sed -n '2,7p' "$0"
    ;;
  *)
    minify "$1" "${2:-dist}"
    ;;
esac
