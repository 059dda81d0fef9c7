# One image for the web app and the worker (deploy/docker-compose.yml picks
# the command). Build: docker build -t ringflow .
FROM node:20-bookworm-slim AS build
# better-sqlite3 compiles its native addon when no prebuilt binary downloads.
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends python3 make g++ ca-certificates \
  && rm -rf /var/lib/apt/lists/* && npm install -g pnpm@10.34.9
WORKDIR /app
ENV TURBO_TELEMETRY_DISABLED=1 NEXT_TELEMETRY_DISABLED=1 npm_config_nodedir=/usr/local
COPY . .
RUN pnpm install --frozen-lockfile && pnpm build

FROM node:20-bookworm-slim
RUN npm install -g pnpm@10.34.9
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1
COPY --from=build /app /app
EXPOSE 3000 8084 9464
CMD ["pnpm", "--filter", "@ringflow/web", "start"]
