import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

// No Docker engine runs here, so the compose file and the Dockerfile are checked as data: Postgres 17 on
// a named volume with health checks; migrations by the schema's owner, the app as a role with rows only
// (deploy/postgres/roles.psql, itself run against a real server by database-roles.test.ts); no default
// password anywhere; a production image without build tools that never writes to its code.

interface Service {
  image?: string;
  build?: string;
  command?: string[];
  environment?: Record<string, string>;
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  volumes?: string[];
  read_only?: boolean;
  ports?: string[];
}

const ROOT = path.resolve(__dirname, '../../..');
const text = readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8');
const compose = parse(text, { merge: true }) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};

describe('docker-compose.yml', () => {
  it('runs postgres:17 on a named volume with a health check, and creates the roles at initialization', () => {
    const db = compose.services.db!;
    expect(db.image).toBe('postgres:17');
    expect(db.volumes).toContain('pgdata:/var/lib/postgresql/data');
    expect(db.volumes).toContain('./deploy/postgres:/docker-entrypoint-initdb.d:ro');
    expect(Object.keys(compose.volumes)).toContain('pgdata');
    expect(db.healthcheck?.test.join(' ')).toContain('pg_isready');
  });

  it('migrates as the schema owner, then runs the app as the row-only role', () => {
    const migrate = compose.services.migrate!;
    expect(migrate.environment?.DATABASE_URL).toMatch(/^postgres:\/\/represalia_owner:[^@]+@db:5432\//);
    expect(migrate.command).toEqual(['node', 'dist/src/cli/migrate.js']);
    expect(migrate.depends_on?.db?.condition).toBe('service_healthy');
    const app = compose.services.app!;
    expect(app.environment?.DATABASE_URL).toMatch(/^postgres:\/\/represalia_app:[^@]+@db:5432\//);
    expect(app.environment?.NODE_ENV).toBe('production');
    expect(app.depends_on?.migrate?.condition).toBe('service_completed_successfully');
    expect(app.healthcheck?.test.join(' ')).toContain('/healthz');
  });

  it('listens on all interfaces inside its container only, publishing the port on the host loopback', () => {
    const app = compose.services.app!;
    expect(app.environment?.HOST).toBe('0.0.0.0');
    expect(app.ports).toEqual(['127.0.0.1:3000:3000']);
  });

  it('runs the built image on a read-only file system', () => {
    for (const name of ['app', 'migrate']) {
      expect(compose.services[name]!.build).toBe('.');
      expect(compose.services[name]!.read_only).toBe(true);
    }
  });

  it('has no default for any secret or password', () => {
    for (const line of text.split('\n').filter((l) => /(PASSWORD|SECRET)\b[^:]*:\s*\$\{/.test(l))) {
      expect(line).toMatch(/\$\{[A-Z_]+:\?[^}]+\}/);
    }
    expect(text).not.toMatch(/(PASSWORD|SECRET)[A-Z_]*:-/);
  });
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
  const finalStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));

  it('builds in one stage and runs the built tree with production dependencies only, as an unprivileged user', () => {
    expect(dockerfile).toMatch(/AS build[\s\S]*RUN npm ci --no-audit --no-fund[\s\S]*RUN npm run build/);
    expect(finalStage).toContain('ENV NODE_ENV=production');
    expect(finalStage).toContain('RUN npm ci --omit=dev');
    expect(finalStage).toContain('COPY --from=build /app/dist ./dist');
    expect(finalStage).toContain('USER node');
    expect(finalStage).toMatch(/CMD \["node", .*"dist\/src\/server\.js"\]/);
    expect(finalStage).not.toMatch(/esbuild|tsx|npm run build|npm start/);
  });
});
