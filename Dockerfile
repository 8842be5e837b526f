# syntax=docker/dockerfile:1
# Tessera: build once, run `node dist/server.js` as a non-root user with the database on a volume.
# (Written here without a Docker engine to build it: see docs/deploy.md.)

FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 compiles its native addon from source.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production PORT=3000 HOST=0.0.0.0 DATABASE_PATH=/data/tessera.db
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT || 3000}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM (docker stop) lets requests in flight finish within SHUTDOWN_TIMEOUT_MS (10 s): give
# docker stop a few seconds more than that (docker stop -t 15, compose's stop_grace_period). Run
# it with --init (compose: init: true): Node as PID 1 ignores a SIGTERM that comes before the
# server's handlers (during the migrations at start-up).
STOPSIGNAL SIGTERM
CMD ["node", "dist/server.js"]
