# fsx-dr-scheduler: copies Amazon FSx backups to other AWS Regions on a schedule.
#
#   docker build -t fsx-dr-scheduler .                            # the service (default target: production)
#   docker build --target simulator -t fsx-dr-simulator .         # the service image plus the FSx simulator (demo)
#   docker run --rm -v "$PWD/config:/etc/fsx-dr:ro" fsx-dr-scheduler validate --config /etc/fsx-dr/demo.yaml
#
# Stages: `build` compiles TypeScript with every dependency; `prod-deps` installs production dependencies only;
# `runtime` is what production runs (no compiler, no test code); `simulator` adds the FSx simulator to it for the
# demo profile of docker-compose.yml; `production` (last, so the default) is `runtime` unchanged.
# Node 22 LTS in every stage; the code itself stays compatible with Node 20.19 (package.json `engines`).

FROM node:22-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY bin ./bin
COPY src ./src
COPY workers ./workers
COPY simulator/main.ts ./simulator/main.ts
COPY simulator/src ./simulator/src
RUN npm run build

FROM node:22-slim AS prod-deps
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:22-slim AS runtime
ARG VERSION=0.1.0
ARG REVISION=unknown
LABEL org.opencontainers.image.title="fsx-dr-scheduler" \
      org.opencontainers.image.description="Copies Amazon FSx backups to other AWS Regions on a schedule, for disaster recovery" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.base.name="docker.io/library/node:22-slim"
ENV NODE_ENV=production \
    FSXDR_HTTP_PORT=8080
WORKDIR /app
# Files stay owned by root and read-only to the service's user: the process cannot rewrite its own code.
COPY package.json package-lock.json ./
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist/bin ./dist/bin
COPY --from=build /app/dist/src ./dist/src
COPY --from=build /app/dist/workers ./dist/workers
COPY config/policies.example.yaml config/policy.schema.json config/demo.yaml config/demo-simulator.json ./config/
# The `node` user of the base image, by number so that Kubernetes' runAsNonRoot can verify it.
USER 1000:1000
EXPOSE 8080
STOPSIGNAL SIGTERM
# /healthz answers 200 while the process is alive. No curl in slim images: node itself asks. With
# FSXDR_HTTP_PORT=off there is no endpoint to ask, and the check passes while the container runs.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "const p=process.env.FSXDR_HTTP_PORT||'8080';if(p==='off')process.exit(0);fetch('http://127.0.0.1:'+p+'/healthz',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.status===200?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node", "dist/bin/fsx-dr.js"]
CMD ["run", "--config", "/etc/fsx-dr"]

# The FSx simulator (not production code: it speaks the FSx API on 127.0.0.1 only) on top of the runtime, for the demo.
FROM runtime AS simulator
COPY --from=build /app/dist/simulator ./dist/simulator
EXPOSE 4566
HEALTHCHECK --interval=10s --timeout=5s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:4566/__sim/state',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.status===200?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node", "dist/simulator/main.js"]
CMD ["--port", "4566", "--seed-file", "config/demo-simulator.json"]

# Last stage, so a plain `docker build .` gives the production image.
FROM runtime AS production
