FROM --platform=$BUILDPLATFORM golang:1.22@sha256:0123 AS build
FROM build as Second
FROM alpine AS 1bad
FROM alpine extra
FROM
FROM a AS b c
FROM registry.example.com:5000/team/app:tag
