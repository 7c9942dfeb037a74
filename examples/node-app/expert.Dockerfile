# Hand-optimized: production dependencies and the TypeScript build come from two stages
# that share one npm layer; both depend only on the manifests until the build copies the
# source, so a code change re-runs only `tsc`. The runtime is slim with node alone (no npm,
# no dev dependencies, no npm cache) and runs as an unprivileged user.
FROM debian:bookworm-slim AS npm
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates nodejs npm \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /usr/src/app
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
 && apt-get install -y --no-install-recommends nodejs \
 && rm -rf /var/lib/apt/lists/*
RUN useradd --uid 10001 --no-create-home app
WORKDIR /usr/src/app
ENV NODE_ENV=production
COPY package.json ./
COPY --from=prod-deps /usr/src/app/node_modules ./node_modules
COPY --from=build /usr/src/app/dist ./dist
USER app
EXPOSE 3000
CMD ["node", "dist/index.js"]
