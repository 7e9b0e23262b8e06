# syntax=docker/dockerfile:1
# Build stage: compiles TypeScript and better-sqlite3 (no prebuilt binaries are fetched).
FROM node:20.20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.base.json tsconfig.json tsconfig.build.json tsconfig.web.json vite.config.ts ./
COPY shared ./shared
COPY server ./server
COPY cli ./cli
COPY bench ./bench
COPY web ./web
COPY client ./client
# The trainer console bundles the shipped scenarios; the CLI reads them as files.
COPY scenarios ./scenarios
RUN npm run build && npm prune --omit=dev

# Runtime stage: only what the relay needs, as an unprivileged user.
FROM node:20.20-bookworm-slim
ENV NODE_ENV=production \
    HOTLINE_DATA_DIR=/data \
    HOTLINE_HOST=0.0.0.0 \
    HOTLINE_PORT=8080
WORKDIR /app
RUN groupadd --system hotline \
 && useradd --system --gid hotline --home-dir /app --shell /usr/sbin/nologin hotline \
 && mkdir -p /data /keys \
 && chown hotline:hotline /data /keys
COPY --from=build --chown=root:root /app/package.json ./
COPY --from=build --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist ./dist
COPY --from=build --chown=root:root /app/scenarios ./scenarios
USER hotline
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.HOTLINE_PORT||8080)+'/livez').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/cli/main.js", "serve"]
