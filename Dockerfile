# Runs the functions and the queue poller under serverless offline, as `npm start` does on a workstation. Node 24,
# the major Lambda runs (serverless.yml); two stages, so the image holds no npm cache and no build tooling of its own.

# --- Dependencies: everything `npm start` uses (serverless offline is a development tool, hence the dev ones) ---
FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund && npm cache clean --force

# --- Runtime: the sources and their modules, owned by root and run by the unprivileged `node` user ---
FROM node:24-bookworm-slim
ENV NODE_ENV=development \
    HTTP_HOST=0.0.0.0 \
    HTTP_PORT=8000
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY . .
# The service writes one thing: the build serverless offline compiles at start into .offline-build, which it removes
# and re-creates (plugins/offline-build), so `node` owns the folder /app itself; the files in it stay root's.
RUN chown node:node /app
USER node
EXPOSE 8000
# Liveness only (no dependency is checked): compose and orchestrators restart a process that stops answering.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=5 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.HTTP_PORT || 8000) + '/health/live').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Applies migrations (creating the database if missing), then serverless offline start.
CMD ["node", "--import", "tsx", "scripts/start.ts"]
