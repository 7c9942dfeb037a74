FROM alpine
ENV legacy value with spaces
ENV a=1 b="two words" c=three\ words
ENV nested="it's \"quoted\""
ENV multi=1 \
    other=2
ENV only
ENV x=1 y
ENV =v
LABEL org.opencontainers.image.title="whittle test" version=1
LABEL legacy label value
