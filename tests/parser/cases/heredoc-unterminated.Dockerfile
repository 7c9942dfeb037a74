FROM alpine
RUN <<EOF
echo never ends
RUN echo swallowed
