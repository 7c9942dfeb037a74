#!/usr/bin/env bash
# Compare `whittle ignore --list` with what a real `docker build` sends.
#
# For each case, build a context in a temporary directory with a tricky .dockerignore, build
#   FROM debian:bookworm-slim; COPY . /ctx; RUN find /ctx ...
# and export the file list with `--output type=local` (no image is tagged). The list must equal
# `whittle ignore --list` exactly. Needs a running Docker engine (BuildKit) and a built whittle:
#   WHITTLE=target/debug/whittle scripts/dockerignore-sandbox.sh
# Exit status: 0 when every case agrees, 1 otherwise, 2 when Docker is not available.
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
whittle="${WHITTLE:-$here/target/debug/whittle}"
if ! docker info >/dev/null 2>&1; then
    echo "docker is not available" >&2
    exit 2
fi
if [ ! -x "$whittle" ]; then
    (cd "$here" && cargo build --quiet)
fi

work="$(mktemp -d)"
trap 'chmod -R u+rwx "$work" 2>/dev/null; rm -rf "$work"' EXIT
pass=0
fail=0

# Files to create are given as arguments (a trailing / makes a directory); the ignore file
# comes on stdin.
mkcase() {
    local name="$1"
    shift
    local dir="$work/$name/ctx"
    mkdir -p "$dir"
    for f in "$@"; do
        case "$f" in
        */) mkdir -p "$dir/$f" ;;
        *)
            mkdir -p "$(dirname "$dir/$f")"
            printf '%s\n' "$f" >"$dir/$f"
            ;;
        esac
    done
    cat >"$dir/.dockerignore"
}

# run NAME [whittle -f args...]: build with the Dockerfile outside the context unless -f given.
run() {
    local name="$1"
    shift
    local dir="$work/$name/ctx"
    local dockerfile="$work/$name/sandbox.Dockerfile"
    if [ "$#" -gt 0 ]; then
        dockerfile="$2"
    fi
    cat >"$dockerfile" <<'EOF'
FROM debian:bookworm-slim AS list
COPY . /ctx
RUN find /ctx -mindepth 1 \( -type f -o -type l \) -printf '%P\n' | LC_ALL=C sort > /files.txt
FROM scratch
COPY --from=list /files.txt /
EOF
    local out="$work/$name/out"
    if ! docker build --network=host -q -f "$dockerfile" --output "type=local,dest=$out" "$dir" \
        >"$work/$name/build.log" 2>&1; then
        echo "FAIL $name: docker build failed"
        sed 's/^/    /' "$work/$name/build.log" | tail -5
        fail=$((fail + 1))
        return
    fi
    local -a fargs=()
    if [ "$#" -gt 0 ]; then
        fargs=(-f "$2")
    fi
    "$whittle" ignore "$dir" "${fargs[@]}" --list >"$work/$name/whittle.txt"
    if diff -u "$out/files.txt" "$work/$name/whittle.txt" >"$work/$name/diff.txt"; then
        echo "ok   $name ($(wc -l <"$out/files.txt") files)"
        pass=$((pass + 1))
    else
        echo "FAIL $name (--- docker, +++ whittle)"
        sed 's/^/    /' "$work/$name/diff.txt"
        fail=$((fail + 1))
    fi
}

# Docker 26 walk: an exception matching only the parent directory re-includes nothing.
mkcase docker26-walk tmp/a/f tmp/b logs/x.log logs/y.txt a.log sub/c.log keep <<'EOF'
tmp/**
!tmp
**/*.log
!logs
EOF
run docker26-walk

# Re-inclusion under an excluded directory (fsutil TestWalkerExclude).
mkcase reinclude foo/bar1 foo/bar2 foobar fo other/foo <<'EOF'
foo*
!foo/bar2
EOF
run reinclude

# Alternating exclusions and exceptions (fsutil TestFilteredOpenInvert).
mkcase alternating foo/a foo/bar/b foo/bar/baz/c foo/bar/baz/x/d foo/bar/baz/y <<'EOF'
foo
!foo/bar
foo/bar/baz
!foo/bar/baz/x
EOF
run alternating

# Classes are RE2 classes ([!a] is literal), the **foo suffix quirk, escapes, ? and *.
mkcase classes abc '!bc' xbc zoo dir/zoo boo/x 'a*c' a-c ab/c aXc q.txt qqtxt <<'EOF'
[!a]bc
**oo
a\*c
a?c
q.txt
EOF
run classes

# Regex punctuation is literal.
mkcase punctuation 'a+(b)' 'ab' 'c{1}' 'c' 'd$' 'e|f' 'e' <<'EOF'
a+(b)
c{1}
d$
e|f
EOF
run punctuation

# Not gitignore: anchored at the root, trailing / dropped, ./ and .. cleaned, column-0 comments.
mkcase not-gitignore foo a/foo x.log a/y.log d/f dfile clean1 z '#x' ' #y' '#c' lead <<'EOF'
foo
*.log
d/
./clean1
y/../z
 #x
#c
/lead
EOF
run not-gitignore

# ** excludes everything, an exception brings a deep directory back.
mkcase doublestar util/docker/web/foo util/docker/web/sub/bar util/docker/other util/x top <<'EOF'
**
!util/docker/web
EOF
run doublestar

# Wildcard exceptions force the walk into excluded directories.
mkcase wildcard-exception dir/a.keep dir/b.txt dir/sub/c.keep other.keep <<'EOF'
dir
!dir/*.keep
!**/sub/*.keep
EOF
run wildcard-exception

# node_modules at any depth, with an exception inside.
mkcase node-modules node_modules/a/index.js app/node_modules/b/i.js app/node_modules/keep.js app/src/x.js <<'EOF'
**/node_modules
!**/node_modules/keep.js
EOF
run node-modules

# Symlinks are sent as links, never followed (a dangling one too).
mkcase symlinks real/file ignored/secret <<'EOF'
ignored
EOF
ln -s real "$work/symlinks/ctx/link-to-dir"
ln -s missing "$work/symlinks/ctx/dangling"
ln -s ignored "$work/symlinks/ctx/link-to-ignored"
run symlinks

# BOM and CRLF line endings.
mkcase bom-crlf a b c/d <<'EOF'
EOF
printf '\xef\xbb\xbfa\r\n# comment\r\nc\r\n' >"$work/bom-crlf/ctx/.dockerignore"
run bom-crlf

# <Dockerfile>.dockerignore next to the Dockerfile wins over the context's .dockerignore.
mkcase override a b c <<'EOF'
a
EOF
printf 'b\n' >"$work/override/app.Dockerfile.dockerignore"
run override -f "$work/override/app.Dockerfile"

# Go regex escapes and POSIX classes inside patterns, spaces, non-ASCII names, `..` cleaning.
mkcase go-regex f7 fx 1abc abc 'a b' ab 'ü' 'üx' b/c <<'EOF'
f\d
[[:digit:]]*
a\ b
?x
a/../b
../outside
EOF
run go-regex

# `dir/**` then exceptions: the directory itself is never excluded.
mkcase dir-doublestar dir/keep dir/drop dir/sub/keep dir/sub/other <<'EOF'
dir/**
!dir/keep
!dir/sub
EOF
run dir-doublestar

# Invalid ignore files: Docker fails the build, whittle exits 2 naming the line.
for bad in '!' 'ok[' '[z-a]'; do
    name="invalid-$(printf '%s' "$bad" | tr -c 'a-z' 'x')"
    mkcase "$name" a <<EOF
a
$bad
EOF
    printf 'FROM debian:bookworm-slim\nCOPY . /ctx\n' >"$work/$name/sandbox.Dockerfile"
    docker_rc=0
    docker build --network=host -q -f "$work/$name/sandbox.Dockerfile" \
        --output "type=local,dest=$work/$name/out" "$work/$name/ctx" >/dev/null 2>&1 || docker_rc=$?
    whittle_rc=0
    "$whittle" ignore "$work/$name/ctx" --list >/dev/null 2>"$work/$name/err" || whittle_rc=$?
    if [ "$docker_rc" -ne 0 ] && [ "$whittle_rc" -eq 2 ] && grep -q 'line 2' "$work/$name/err"; then
        echo "ok   $name (both reject: $(cat "$work/$name/err"))"
        pass=$((pass + 1))
    else
        echo "FAIL $name: docker exit $docker_rc, whittle exit $whittle_rc"
        fail=$((fail + 1))
    fi
done

# The file whittle generates, on a small node + python project with secrets.
mkcase generated package.json src/index.js node_modules/x/i.js .env .git/HEAD \
    app/__pycache__/m.pyc app/main.py requirements.txt npm-debug.log build/out.txt <<'EOF'
EOF
rm "$work/generated/ctx/.dockerignore"
printf 'FROM node\nCOPY package.json ./\nCOPY src ./src\nCOPY build/ ./build\n' \
    >"$work/generated/ctx/Dockerfile"
"$whittle" ignore "$work/generated/ctx" --write 2>/dev/null
run generated

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
