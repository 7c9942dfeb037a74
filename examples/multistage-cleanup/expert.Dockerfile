# Hand-optimized: the docs stage copies the renderer before the content (a content change
# reuses everything above it); the serving stage is slim, installs nginx and curl without
# recommends and removes the apt lists in the same layer. nginx keeps its root master
# process (it drops the workers to www-data), as in the original.
FROM debian:bookworm-slim AS docs
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 python3-markdown \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /site
COPY build.py ./
COPY content ./content
RUN python3 build.py content /out

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl nginx \
 && rm -rf /var/lib/apt/lists/*
COPY site.conf /etc/nginx/sites-available/default
COPY --from=docs /out /var/www/html
EXPOSE 8080
HEALTHCHECK CMD curl -fsS http://localhost:8080/ || exit 1
CMD ["nginx", "-g", "daemon off;"]
