# Hand-optimized: node and npm are installed before anything is copied; the manifests come
# before the sources, so a code change re-runs only `tsc`. Production dependencies come from
# their own stage, the compiled output from the build stage; the runtime is slim with node
# alone (no npm, no TypeScript, no npm cache; ca-certificates because Debian's node uses the
# system's CA store) and runs `node` directly as an unprivileged user.
FROM debian:bookworm-slim AS npm
WORKDIR /srv/inventory
RUN apt-get update && apt-get install --no-install-recommends -y nodejs npm ca-certificates && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./

FROM npm AS prod-deps
RUN npm ci --omit=dev --no-audit --no-fund

FROM npm AS build
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
RUN npm run build

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends nodejs ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /srv/inventory
ENV NODE_ENV=production
COPY package.json ./
COPY --from=prod-deps /srv/inventory/node_modules ./node_modules
COPY --from=build /srv/inventory/build ./build
USER 65534:65534
EXPOSE 8080
CMD ["node", "build/server.js"]
