# Builds the plugin (frontend + Bun backend executable for the build platform) and the images docker-compose.yaml runs.
ARG GRAFANA_IMAGE=grafana/grafana:12.4.0-ubuntu

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

FROM ${GRAFANA_IMAGE} AS grafana
COPY --from=build /src/dist /var/lib/grafana/plugins/kici-ops-app
ENV GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS=kici-ops-app,kici-ops-datasource
