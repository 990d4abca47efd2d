# Runs the functions and the queue poller under serverless offline, as `npm start` does on a workstation.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=development
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
EXPOSE 8000
# Applies migrations (creating the database if missing), then serverless offline start.
CMD ["node", "--import", "tsx", "scripts/start.ts"]
