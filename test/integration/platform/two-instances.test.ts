import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import Redis from 'ioredis';
import request from 'supertest';
import { moveStagedSubmissions } from '../../../src/intake/move';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { createModerator, csrfFrom, totpCode, totpSecretOf, TEST_SESSION_SECRET } from '../../support/desk';
import { buildApprovedReport, insertTestReports } from '../../support/factories';
import { encode, receiptOf, tokenOf, validReport } from '../intake/support';
import { describeNeeding } from '../../support/requirements';

// "At scale" in the README: two real server processes on one PostgreSQL database and one Redis, behind a
// round-robin balancer on loopback that sends each request to the next instance in turn. Everything a
// reporter, a moderator or the public does must behave exactly as with one process: the rate limits
// count across both, a form token is used once wherever it is spent, a desk session opened on one
// instance works on the other, staged reports are seen by both, and a release published through one is
// served by the other. Needs the PostgreSQL server (each child connects to this file's database) and
// the machine's Redis; in embedded mode there is no database two processes could share.

const ROOT = path.resolve(__dirname, '../../..');
const REDIS = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const RECEIPT_SECRET = Buffer.alloc(32, 7);
const onServer = Boolean(process.env.DATABASE_URL);

interface Balancer {
  origin: string;
  /** Which instance (0 or 1) answered each request, with its method and path. */
  log: { method: string; path: string; instance: number }[];
  close(): Promise<void>;
}

/** A round-robin HTTP balancer: request n goes to instance n mod 2, whatever connection it came on. */
function startBalancer(ports: number[]): Promise<Balancer> {
  let next = 0;
  const log: Balancer['log'] = [];
  const server = http.createServer((req, res) => {
    const instance = next++ % ports.length;
    log.push({ method: req.method ?? '', path: (req.url ?? '').split('?')[0] ?? '', instance });
    const upstream = http.request(
      { host: '127.0.0.1', port: ports[instance], method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve({
        origin: `http://127.0.0.1:${port}`,
        log,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    }),
  );
}

function startInstance(databaseUrl: string, redisUrl: string): ChildProcess {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    PORT: '0',
    NODE_ENV: 'development',
    SEED_DEMO: 'false',
    LOG_LEVEL: 'info',
    RECEIPT_SECRET: RECEIPT_SECRET.toString('hex'),
    SESSION_SECRET: TEST_SESSION_SECRET.toString('hex'),
  };
  delete env.NODE_OPTIONS;
  return spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** The port a child says it listens on (its "listening" log line). */
function listeningPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`instance did not start: ${text}`)), 90_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const line = text.split('\n').find((l) => l.includes('"msg":"listening"'));
      if (line) {
        clearTimeout(timer);
        resolve((JSON.parse(line) as { port: number }).port);
      }
    });
    child.once('exit', (code) => reject(new Error(`instance exited with ${code}: ${text}`)));
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** An empty Redis database of this run's own (16 exist; another run may be using one). */
async function emptyRedisDatabase(): Promise<{ url: string; close(): Promise<void> } | undefined> {
  for (const index of [15, 14, 13, 12, 11, 10]) {
    const redis = new Redis(`${REDIS}/${index}`, { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await redis.connect();
    } catch {
      redis.disconnect();
      return undefined;
    }
    if ((await redis.dbsize()) === 0) {
      return {
        url: `${REDIS}/${index}`,
        async close() {
          await redis.flushdb();
          redis.disconnect();
        },
      };
    }
    redis.disconnect();
  }
  return undefined;
}

let database: TestDatabase;
let redis: Awaited<ReturnType<typeof emptyRedisDatabase>>;
let instances: ChildProcess[] = [];
let balancer: Balancer;
let admin: { id: number; username: string; password: string };
let accepted = 0;
const receipts: string[] = [];
const CANARY = `canary-${process.pid}-two-instances`;

beforeAll(async () => {
  if (!onServer) return;
  redis = await emptyRedisDatabase();
  if (!redis) throw new Error(`two-instances.test.ts needs Redis at ${REDIS} with an empty database 10-15`);
  database = await createTestDatabase();
  // The first admin brings the desk key intake seals to (authenticated under the shared SESSION_SECRET).
  admin = await createModerator(database.db, 'admin');
  instances = [startInstance(database.url, redis.url), startInstance(database.url, redis.url)];
  const ports = await Promise.all(instances.map(listeningPort));
  balancer = await startBalancer(ports);
}, 120_000);

afterAll(async () => {
  if (!onServer) return;
  await Promise.all(instances.map(stop));
  await balancer?.close();
  await redis?.close();
  await database?.destroy();
});

const site = () => request(balancer.origin);

/** GETs the form (one instance), POSTs it (the other), and returns the POST's response. */
async function submit(fields: Record<string, string> = {}): Promise<request.Response> {
  const form = await site().get('/report').expect(200);
  const sent = await site()
    .post('/report')
    .type('form')
    .send(encode({ ...validReport(fields), token: tokenOf(form.text) }));
  if (sent.status === 200) accepted += 1;
  return sent;
}

/** Signs the admin in through the balancer: password on one instance, second factor on the other. */
async function signInThroughBalancer(): Promise<ReturnType<typeof request.agent>> {
  const agent = request.agent(balancer.origin);
  const login = await agent.get('/moderate/login').expect(200);
  await agent
    .post('/moderate/login')
    .type('form')
    .send({ _csrf: csrfFrom(login.text), username: admin.username, password: admin.password })
    .expect(303);
  await database.db('moderators').where({ id: admin.id }).update({ totp_last_step: null });
  const codePage = await agent.get('/moderate/login/code').expect(200);
  await agent
    .post('/moderate/login/code')
    .type('form')
    .send({ _csrf: csrfFrom(codePage.text), code: totpCode(await totpSecretOf(database.db, admin.id)) })
    .expect(303);
  return agent;
}

function instancesThatAnswered(method: string, pathname: string): Set<number> {
  return new Set(
    balancer.log.filter((r) => r.method === method && r.path === pathname).map((r) => r.instance),
  );
}

const describeOnServer = describeNeeding(
  'server',
  onServer,
  'two processes need a database server to share (DATABASE_URL), and Redis',
);

describeOnServer('two instances behind a round-robin balancer, on one database and one Redis', () => {
  it('spends a form token once, whichever instance it is sent to', async () => {
    const form = await site().get('/report').expect(200);
    const body = encode({
      ...validReport({ narrative: `${CANARY} at the vigil` }),
      token: tokenOf(form.text),
    });
    const first = balancer.log.length;
    receipts.push(receiptOf((await site().post('/report').type('form').send(body).expect(200)).text));
    accepted += 1;
    const again = await site().post('/report').type('form').send(body).expect(422);
    expect(again.text).not.toContain('class="receipt"');
    // The token was spent on one instance and refused by the other.
    expect(new Set(balancer.log.slice(first).map((r) => r.instance))).toEqual(new Set([0, 1]));
  });

  it('limits a client to ten accepted reports across both instances together', async () => {
    let refused: request.Response | undefined;
    for (let i = 0; i < 14 && !refused; i++) {
      // One extra request every other time, so the POSTs alternate between the instances too.
      if (i % 2 === 1) await site().get('/healthz').expect(200);
      const sent = await submit();
      if (sent.status === 429) refused = sent;
      else expect(sent.status).toBe(200);
    }
    expect(refused?.status).toBe(429);
    expect(accepted).toBe(10);
    expect(instancesThatAnswered('POST', '/report')).toEqual(new Set([0, 1]));
    expect(refused?.headers).not.toHaveProperty('retry-after');
  });

  it('shows a staged report as received on both instances, and the move takes each report once', async () => {
    const staged = await database.db('intake_staged').count<{ count: string }[]>({ count: '*' });
    expect(staged).toEqual([{ count: String(accepted) }]);
    const first = balancer.log.length;
    for (let i = 0; i < 2; i++) {
      const status = await site().post('/status').type('form').send({ receipt: receipts[0] }).expect(200);
      expect(status.text).toContain('name="message"');
    }
    expect(new Set(balancer.log.slice(first).map((r) => r.instance))).toEqual(new Set([0, 1]));
    const moved = await moveStagedSubmissions(database.db, {
      receiptSecret: RECEIPT_SECRET,
      today: new Date(),
      all: true,
    });
    expect(moved.reports).toBe(accepted);
    expect(await database.db('reports').count<{ count: string }[]>({ count: '*' })).toEqual([
      { count: String(accepted) },
    ]);
  });

  it('keeps a desk session, and the desk key it carries, on both instances', async () => {
    const agent = await signInThroughBalancer();
    const report: { id: string } | undefined = await database
      .db('reports')
      .whereNotNull('narrative_sealed')
      .first('id');
    expect(report).toBeDefined();
    const first = balancer.log.length;
    for (let i = 0; i < 4; i++) {
      const page = await agent.get(`/moderate/reports/${report?.id}`).expect(200);
      // The narrative opens only with the desk key this session holds, sealed under the shared secret.
      expect(page.text).toContain(CANARY);
    }
    expect(new Set(balancer.log.slice(first).map((r) => r.instance))).toEqual(new Set([0, 1]));
  });
});

describeOnServer('a release published through one instance', () => {
  it('is served by both', async () => {
    await insertTestReports(
      database.db,
      Array.from({ length: 40 }, () =>
        buildApprovedReport('2025-06-10', { state: 'GA', fieldOffice: 'ATL', incidentMonth: '2025-02-01' }),
      ),
    );
    const agent = await signInThroughBalancer();
    // Before: neither instance knows the label.
    for (let i = 0; i < 2; i++) await site().get('/data/releases/2025-Q4').expect(404);
    const page = await agent.get('/moderate/releases').expect(200);
    const started = await agent
      .post('/moderate/releases')
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        cutoff: '2025-12-31',
        label: '2025-Q4',
        notes_en: 'A.',
        notes_es: 'A.',
      })
      .expect(303);
    const location = started.headers.location as string;
    let done = '';
    for (let i = 0; i < 600 && !done; i++) {
      // The job runs on the instance that took the POST; its page is read from both.
      const job = await agent.get(location).expect(200);
      if (!job.text.includes('http-equiv="refresh"')) done = job.text;
      else await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(done).toContain('href="/data/releases/2025-Q4"');
    // An instance re-reads the list for a label it does not know at most once a second (public/catalog.ts),
    // and both were just asked for this one: as with one process, the release appears within that second.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const first = balancer.log.length;
    for (let i = 0; i < 2; i++) {
      const release = await site().get('/data/releases/2025-Q4').expect(200);
      expect(release.text).toContain('2025-Q4');
      const csv = await site().get('/data/releases/2025-Q4/national_total.csv').expect(200);
      expect(csv.text).toContain('40');
    }
    expect(new Set(balancer.log.slice(first).map((r) => r.instance))).toEqual(new Set([0, 1]));
    // The latest release follows within the list's five-second cache, on both instances.
    const deadline = Date.now() + 15_000;
    const seen = new Set<number>();
    while (seen.size < 2 && Date.now() < deadline) {
      const instance = balancer.log.length % 2;
      const latest = await site().get('/data');
      if (latest.text.includes('2025-Q4')) seen.add(instance);
      else await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(seen).toEqual(new Set([0, 1]));
  }, 300_000);
});
