# Keyward's container image: what `npm start` runs, built once, as a user without privileges.
#
#   docker build -t keyward .
#   docker run -p 3000:3000 -v keyward-data:/data keyward                   (embedded database in /data)
#   docker run -p 3000:3000 -e DATABASE_URL=postgres://… -e AUTH_SECRET=… -e CRON_SECRET=… keyward
#
# The base image is a build argument: the official Node image of the supported version by default.
# Any Debian-like image with node and npm on the PATH (and useradd) will do.
ARG BASE_IMAGE=node:20-bookworm-slim

# Every dependency, for the build. The npm cache survives between builds (BuildKit, buildah).
FROM ${BASE_IMAGE} AS deps
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
# The postinstall step generates the Prisma client from the schema: it needs these three files.
COPY package.json package-lock.json prisma.config.ts ./
COPY scripts/prisma.mjs scripts/prisma.mjs
COPY prisma/schema.prisma prisma/schema.prisma
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund

# next build, without the build cache (it is large and only speeds up the next build).
FROM deps AS build
COPY . .
RUN npm run build && rm -rf .next/cache

# What the server loads, without what only installing and building use (about 300 MB less):
# - the Prisma CLI: it only generates the client (in the build stage, copied from there);
#   migrations run through @prisma/schema-engine-wasm, which stays;
# - Next's compiler (@next/swc-*): next build uses it, the server never loads it (the image test
#   serves pages without it).
FROM ${BASE_IMAGE} AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm uninstall --no-save --ignore-scripts --omit=dev prisma \
 && rm -rf node_modules/@next/swc-*

FROM ${BASE_IMAGE} AS runtime
WORKDIR /app
# HOST: listen on every interface of the container. KEYWARD_DATA_DIR: the embedded database and
# the secrets npm start generates live in the volume (used only when DATABASE_URL is unset).
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    HOST=0.0.0.0 \
    PORT=3000 \
    KEYWARD_DATA_DIR=/data
# A fixed uid/gid, so a host folder mounted at /data can be given to it (chown 10001:10001).
RUN groupadd --system --gid 10001 keyward \
 && useradd --system --uid 10001 --gid keyward --home-dir /home/keyward --create-home --shell /usr/sbin/nologin keyward \
 && install -d -o keyward -g keyward -m 0700 /data
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/.next ./.next
COPY --from=build /app/package.json /app/package-lock.json /app/next.config.mjs /app/tsconfig.json /app/postcss.config.mjs /app/prisma.config.ts /app/instrumentation.ts /app/proxy.ts ./
COPY --from=build /app/app ./app
COPY --from=build /app/components ./components
COPY --from=build /app/lib ./lib
COPY --from=build /app/prisma ./prisma
COPY --from=build /app/scripts ./scripts
COPY --from=build /app/server ./server
# npm start rebuilds when a source is newer than the build: here the build is newer by
# definition. Next may write its caches at run time (a read-only root file system mounts an
# empty, writable folder there).
RUN touch .next/BUILD_ID && install -d -o keyward -g keyward .next/cache
USER keyward
VOLUME ["/data"]
EXPOSE 3000
# Liveness: the process serves. (Readiness, which also asks the database, is /api/ready.)
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
STOPSIGNAL SIGTERM
# npm start's own process, without npm or a shell in between: the stop signal reaches it, and it
# stops the server (which finishes requests in flight and writes buffered usage counts), then
# closes the embedded database. It migrates and seeds before serving, like npm start.
CMD ["node", "--conditions=react-server", "--import", "tsx", "scripts/start.ts"]
