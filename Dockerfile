# botctl: the same build and entry point the tests run (npm ci, npm run build, bin/run.js).
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY bin ./bin
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM node:24-bookworm-slim
# ffmpeg: spoken answers (OGG/Opus); postgresql-client: pg_dump/pg_restore for Postgres backups.
RUN apt-get update -qq \
  && apt-get install -y -qq --no-install-recommends ffmpeg postgresql-client tini \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production BOTCTL_DATA_DIR=/data BOTCTL_HTTP_HOST=0.0.0.0 BOTCTL_HTTP_PORT=8080
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/oclif.manifest.json ./
COPY bin ./bin
COPY migrations ./migrations
COPY templates ./templates
RUN mkdir -p /data && chown node:node /data && chmod 0700 /data
USER node
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s CMD node -e "fetch('http://127.0.0.1:'+(process.env.BOTCTL_HTTP_PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["/usr/bin/tini", "--", "node", "/app/bin/run.js"]
CMD ["start", "--auto-migrate"]
