# syntax=docker/dockerfile:1
# One image for the migrate one-shot, the worker and the API. Not built here (no Docker engine on
# our machines); see docs/deployment.md.
FROM node:20.20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm install --no-save tsx@4

FROM deps AS bundle
COPY tsconfig.json ./
COPY src ./src
COPY scripts/bundle-workflows.ts ./scripts/
RUN npm install --no-save @temporalio/worker && npx tsx scripts/bundle-workflows.ts dist/workflow-bundle.js

FROM node:20.20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production WORKFLOW_BUNDLE_PATH=/app/dist/workflow-bundle.js
COPY --from=deps /app/node_modules ./node_modules
COPY --from=bundle /app/dist ./dist
COPY package.json tsconfig.json ./
COPY src ./src
USER node
CMD ["npx", "tsx", "src/worker.ts"]
