# The image `scripts/image-bench.sh` measures `whittle image` on: over 1 GB in many files
# (compilers and a JDK from Debian) plus one large file of random bytes.
FROM debian:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends gcc g++ golang-go clang default-jdk-headless
RUN head -c 200000000 /dev/urandom > /opt/random.bin && rm -rf /var/lib/apt/lists/*
