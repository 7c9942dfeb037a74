# Hand-optimized: build a static binary in a build stage (Go build cache in a cache mount,
# go.mod copied first so dependency downloads would be cached), ship only the binary and
# the CA bundle on an empty base, as an unprivileged user.
FROM debian:bookworm-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates golang-go \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY go.mod ./
RUN go mod download
COPY *.go ./
RUN --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/shorty .

FROM scratch
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /out/shorty /usr/local/bin/shorty
USER 65534:65534
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/shorty"]
