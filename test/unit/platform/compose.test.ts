import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

// No Docker engine runs here, so the compose file is checked as data: it must parse and wire the app to
// Postgres 17 with health checks and a named volume.

interface Service {
  image: string;
  environment?: Record<string, string>;
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  volumes?: string[];
}

describe('docker-compose.yml', () => {
  const compose = parse(readFileSync(path.resolve(__dirname, '../../../docker-compose.yml'), 'utf8')) as {
    services: Record<string, Service>;
    volumes: Record<string, unknown>;
  };

  it('runs postgres:17 on a named volume with a health check', () => {
    const db = compose.services.db!;
    expect(db.image).toBe('postgres:17');
    expect(db.volumes).toContain('pgdata:/var/lib/postgresql/data');
    expect(Object.keys(compose.volumes)).toContain('pgdata');
    expect(db.healthcheck?.test.join(' ')).toContain('pg_isready');
  });

  it('wires the app to the database by DATABASE_URL and waits for it to be healthy', () => {
    const app = compose.services.app!;
    expect(app.environment?.DATABASE_URL).toMatch(/^postgres:\/\/[^@]+@db:5432\//);
    expect(app.environment?.NODE_ENV).toBe('production');
    expect(app.depends_on?.db?.condition).toBe('service_healthy');
    expect(app.healthcheck?.test.join(' ')).toContain('/healthz');
  });
});
