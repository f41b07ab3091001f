# botctl: built once, then installed the way it ships, exactly as
# test/install/production-install.test.ts installs it: `npm pack` and the tarball unpacked with
# only its runtime dependencies (scripts/pack-install.sh) into /app. test/install/dockerfile.test.ts
# keeps this file and that layout in step.
# trixie (Debian 13): its postgresql-client is 17, so pg_dump is at least as new as the
# postgres:17 the compose template runs (pg_dump refuses a newer server).
FROM node:24-trixie-slim AS build
WORKDIR /src
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY bin ./bin
COPY src ./src
COPY panel ./panel
COPY migrations ./migrations
COPY templates ./templates
COPY scripts/pack-install.sh ./scripts/
RUN npm run build && scripts/pack-install.sh /app

FROM node:24-trixie-slim
# ffmpeg: spoken answers (OGG/Opus); postgresql-client: pg_dump/pg_restore for Postgres backups.
RUN apt-get update -qq \
  && apt-get install -y -qq --no-install-recommends ffmpeg postgresql-client tini \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production BOTCTL_DATA_DIR=/data BOTCTL_HTTP_HOST=0.0.0.0 BOTCTL_HTTP_PORT=8080
COPY --from=build /app /app
RUN mkdir -p /data && chown node:node /data && chmod 0700 /data
USER node
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s CMD node -e "fetch('http://127.0.0.1:'+(process.env.BOTCTL_HTTP_PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["/usr/bin/tini", "--", "node", "/app/bin/run.js"]
CMD ["start", "--auto-migrate"]
