# The portal as a production image: built in one stage, run from the built tree in the next, with
# production dependencies only (no esbuild, no tsx, no TypeScript), as an unprivileged user, on a
# read-only file system (docker-compose.yml). Nothing is ever written to the code directory.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY --from=build /app/scripts/ensure-build.mjs ./scripts/ensure-build.mjs
COPY views ./views
COPY locales ./locales
COPY public ./public
COPY reference ./reference
# The disclosure rule is served as a page (/methodology/disclosure) from the same file.
COPY docs/disclosure.md ./docs/disclosure.md
COPY src/maps/geometry.prebuilt.json ./src/maps/geometry.prebuilt.json
USER node
EXPOSE 3000
CMD ["node", "--enable-source-maps", "--max-old-space-size=192", "--max-semi-space-size=4", "dist/src/server.js"]
