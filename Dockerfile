# The logitlab CLI with the native backend (oneDNN + OpenBLAS), for `logitlab explain --dataset` shards
# on Kubernetes (deploy/explain-job.yaml). Not built or run in this repository's CI: no container
# runtime runs there; the Job's command is tested as local processes instead (apps/trainer/test/explain-dataset.test.ts).
FROM node:20-bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends g++ make python3 libdnnl-dev libopenblas-dev fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/* \
 && npm install -g pnpm@12.4.2
WORKDIR /logitlab
COPY . .
RUN pnpm install --frozen-lockfile && pnpm build
ENTRYPOINT ["node", "apps/trainer/dist/cli.js"]
