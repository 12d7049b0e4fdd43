import Redis from 'ioredis';
import { composeServices } from '../../../src/compose';
import { loadConfig } from '../../../src/platform/config';
import { createLogger } from '../../../src/platform/logger';
import { loadReference } from '../../../src/reference/store';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { describeNeeding, reachable } from '../../support/requirements';

// The composition root builds the one Redis client of a process and closes it: a server that stops must
// leave no connection behind in the Redis that every instance shares.

const REDIS = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const describeWithRedis = describeNeeding('redis', reachable(REDIS, 6379), `no Redis answers at ${REDIS}`);

describeWithRedis('composeServices', () => {
  let observer: Redis;
  let database: TestDatabase;

  beforeAll(async () => {
    observer = new Redis(REDIS);
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.destroy();
    await observer.quit();
  });

  /** How many connections this process's app holds open in Redis right now (compose names them). */
  async function appConnections(): Promise<number> {
    const list = (await observer.client('LIST')) as string;
    return list.split('\n').filter((line) => line.includes(` name=represalia-${process.pid} `)).length;
  }

  it('opens one Redis connection when REDIS_URL is set and closes it on close()', async () => {
    const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: '/nonexistent', REDIS_URL: REDIS });
    expect(await appConnections()).toBe(0);
    const services = composeServices({
      config,
      db: database.db,
      reference: await loadReference(database.db),
      secrets: { receipt: Buffer.alloc(32, 1), session: Buffer.alloc(32, 2) },
      logger: createLogger({ level: 'silent' }),
    });
    await waitFor(async () => (await appConnections()) === 1);
    await services.close();
    await waitFor(async () => (await appConnections()) === 0);
  });
});

async function waitFor(condition: () => Promise<boolean>): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('the condition never held');
}
