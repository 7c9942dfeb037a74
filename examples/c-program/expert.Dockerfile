# Hand-optimized: compile in a build stage with only the compiler, libc headers, make and
# zlib's headers; the runtime stage is the slim base (which already ships zlib1g, the only
# library the binary links against) plus the binary, run as an unprivileged user.
FROM debian:bookworm-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends gcc libc6-dev make zlib1g-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Makefile zsquash.c ./
RUN make CFLAGS="-O2 -Wall -Wextra" LDFLAGS="-s" && make install DESTDIR=/out

FROM debian:bookworm-slim
COPY --from=build /out/usr/local/bin/zsquash /usr/local/bin/zsquash
USER 65534:65534
CMD ["zsquash", "--version"]
