# Hand-optimized: slim base, one layer for apt with no recommends and no lists left behind,
# the script copied last (it changes most often) with its mode set in the COPY, non-root user.
FROM debian:bookworm-slim

RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl git jq \
 && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 10001 app
USER app
WORKDIR /home/app

COPY --chmod=755 repo-summary.sh /usr/local/bin/repo-summary
ENTRYPOINT ["/usr/local/bin/repo-summary"]
