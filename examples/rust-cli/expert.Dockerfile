# Hand-optimized: build with Debian's cargo in a build stage (the manifests and sources copied
# by name, so editing anything else reuses the build), and ship only the stripped binary on the
# slim base, run as an unprivileged user.
FROM debian:bookworm-slim AS build
RUN apt-get update && apt-get install --no-install-recommends -y cargo && rm -rf /var/lib/apt/lists/*
WORKDIR /usr/src/logtally
COPY Cargo.toml Cargo.lock ./
COPY src ./src
RUN cargo build --release --locked \
 && strip target/release/logtally

FROM debian:bookworm-slim
COPY --from=build /usr/src/logtally/target/release/logtally /usr/local/bin/logtally
USER 65534:65534
CMD ["logtally", "--version"]
