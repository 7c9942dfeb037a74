FROM alpine
HEALTHCHECK NONE
HEALTHCHECK CMD curl -f http://localhost/ || exit 1
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --start-interval=2s --retries=3 \
  CMD ["curl", "-f", "http://localhost/"]
HEALTHCHECK
HEALTHCHECK NONE extra
HEALTHCHECK PING x
HEALTHCHECK CMD
HEALTHCHECK --interval=10 --retries=-1 --timeout=1us CMD true
