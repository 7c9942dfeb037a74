FROM --platform=linux/amd64 --bogus alpine
COPY --from=a --from=b x y
COPY --chown x y
ADD --link=maybe x y
ADD --link= x y
RUN --mount=type=cache,target=/a --mount=type=tmpfs,target=/b --network=none --security=insecure --device=/dev/fuse echo
RUN --network
ENV --x=1 a=b
STOPSIGNAL --whatever SIGTERM
COPY --exclude=*.md --exclude=*.txt --parents --chmod=755 src/ /dst/
ADD --checksum=sha256:abc --keep-git-dir=true --unpack=false --exclude=x https://example.com/a.tar /a
