# Hand-optimized: curl and the download live only in a fetch stage; the image is the slim
# base with esbuild's binary and the script (copied last, with its mode set by the COPY),
# run as an unprivileged user.
FROM debian:bookworm-slim AS fetch
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl \
 && rm -rf /var/lib/apt/lists/*
RUN curl -fsSL https://registry.npmjs.org/@esbuild/linux-x64/-/linux-x64-0.21.5.tgz \
  | tar -xz -C /tmp package/bin/esbuild

FROM debian:bookworm-slim
COPY --from=fetch /tmp/package/bin/esbuild /usr/local/bin/esbuild
COPY --chmod=755 minify-assets.sh /usr/local/bin/minify-assets
USER 65534:65534
WORKDIR /site
ENTRYPOINT ["minify-assets"]
