FROM alpine
FOO bar baz
RUN echo fine
