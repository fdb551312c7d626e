# Builds the plugin (frontend + Bun backend executable for the build platform) and the images docker-compose.yaml runs.
# GRAFANA_IMAGE:GRAFANA_VERSION-ubuntu (create-plugin's docker-compose-base.yaml takes the same two): the Ubuntu
# variant, since the Bun-built executable links against glibc. e2e.yml runs the lowest and the latest declared version.
ARG GRAFANA_IMAGE=grafana/grafana
ARG GRAFANA_VERSION=12.4.0

FROM node:20-bookworm AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build:frontend && node scripts/build-backend.mjs --host-only

# kici-sim: the KiCI simulator used as the demo's orchestrator cluster (never part of the plugin).
FROM node:20-bookworm-slim AS kici-sim
WORKDIR /src
COPY --from=build /src/node_modules ./node_modules
COPY package.json tsconfig.json ./
COPY src/datasource/query.ts ./src/datasource/query.ts
COPY dev ./dev
ENTRYPOINT ["node_modules/.bin/tsx", "dev/kici-sim/main.ts"]

FROM ${GRAFANA_IMAGE}:${GRAFANA_VERSION}-ubuntu AS grafana
COPY --from=build /src/dist /var/lib/grafana/plugins/kici-ops-app
ENV GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS=kici-ops-app,kici-ops-datasource
