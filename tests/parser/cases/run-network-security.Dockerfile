FROM alpine
RUN --network=bogus true
RUN --network=host --security=weird true
RUN --network=none --security=insecure true
COPY --chwon=1 a /b
