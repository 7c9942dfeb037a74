ARG VERSION=1.0
FROM alpine:${VERSION}
ARG foo bar=baz
ARG quoted="a b" single='c d' esc=e\ f
ARG empty=
ARG =blank
ARG
