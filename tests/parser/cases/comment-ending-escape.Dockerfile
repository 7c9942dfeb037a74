FROM alpine
# a comment ending in an escape \
RUN echo not-joined
ONBUILD RUN echo on-build
RUN ["echo", "exec"]
RUN echo shell
