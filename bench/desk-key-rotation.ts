// How long a desk key rotation's background job takes to re-seal stored text: `DATABASE_URL=postgres://…
// npx tsx bench/desk-key-rotation.ts` (NARRATIVES, default 5000). Creates a scratch database, stores
// NARRATIVES narratives of about 1,000 characters sealed to the desk key, rotates the key through the
// rotation service and its real job, and prints rows re-sealed per second until the old key is destroyed.
import { randomBytes, randomUUID } from 'node:crypto';
import { TEST_ARGON2 } from '../src/accounts/keys';
import { createAccounts } from '../src/accounts/service';
import { createDeskRotation } from '../src/accounts/rotation';
import { createResealJob } from '../src/accounts/rotation-job';
import { stagedResealer } from '../src/intake/reseal';
import { migrateToLatest, openDb } from '../src/platform/db';
import { createLogger } from '../src/platform/logger';
import { messageResealer, narrativeResealer } from '../src/reports/reseal';
import { seal } from '../src/reports/seal';
import { insertReports } from '../src/reports/store';

const NARRATIVES = Number(process.env.NARRATIVES ?? 5000);

async function main(serverUrl: string): Promise<void> {
  const name = `represalia_rotation_${randomBytes(4).toString('hex')}`;
  const admin = openDb(serverUrl, { maxConnections: 1 });
  await admin.raw('create database ??', [name]);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const db = openDb(url.toString(), { maxConnections: 4 });
  try {
    await migrateToLatest(db);
    const sessionSecret = randomBytes(32);
    // The first admin creates the desk key, as `npm run moderator:create` does (a cheap Argon2 cost: the
    // bench measures re-sealing, not passwords).
    const today = () => new Date('2026-11-27T00:00:00Z');
    const accounts = createAccounts({ db, sessionSecret, argon2: TEST_ARGON2, today });
    const password = 'a long bench passphrase 42';
    const admin = await accounts.createFromCommandLine({ username: 'bench-admin', role: 'admin', password });
    const signedIn = await accounts.checkPassword('bench-admin', password);
    if (!admin.ok || !signedIn.ok || !signedIn.desk) throw new Error('could not create the bench admin');
    const desk = signedIn.desk;
    const old = desk.pair;
    const oldId = desk.id;
    const text = 'Followed home after the vigil, twice, by the same car. '.repeat(18);
    for (let start = 0; start < NARRATIVES; start += 500) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(500, NARRATIVES - start) }, async () => ({
          id: randomUUID(),
          state: 'VT',
          fieldOffice: 'BOS',
          incidentMonth: '2026-03-01',
          targetRole: 'organizer',
          actionTypes: ['surveillance'],
          activismTypes: ['organizing'],
          evidenceTypes: ['none'],
          consentToCount: true,
          receivedOn: '2026-03-04',
          narrativeSealed: await seal(text, old.publicKey),
          narrativeKeyId: oldId,
        })),
      );
      await insertReports(db, batch);
    }
    const job = createResealJob({
      db,
      logger: createLogger({ level: 'silent' }),
      today,
      resealers: [narrativeResealer, messageResealer, stagedResealer(randomBytes(32))],
    });
    const rotation = createDeskRotation({
      db,
      sessionSecret,
      today: () => new Date('2026-11-27T00:00:00Z'),
      job,
    });
    const started = process.hrtime.bigint();
    const outcome = await rotation.rotate(admin.id, 'none', { id: oldId, pair: { ...old } });
    const committed = process.hrtime.bigint();
    if (!outcome.ok) throw new Error(`rotation refused: ${outcome.problem}`);
    await job.settled();
    const done = process.hrtime.bigint();
    const row = (await db('desk_key_rotations').first()) as { resealed: number; finished_on: unknown };
    const seconds = Number(done - committed) / 1e9;
    console.log(
      JSON.stringify({
        narratives: NARRATIVES,
        resealed: row.resealed,
        destroyed: row.finished_on !== null,
        rotateRequestMs: Math.round(Number(committed - started) / 1e6),
        resealSeconds: Number(seconds.toFixed(2)),
        rowsPerSecond: Math.round(row.resealed / seconds),
      }),
    );
  } finally {
    await db.destroy();
    await admin.raw('drop database if exists ?? with (force)', [name]);
    await admin.destroy();
  }
}

const serverUrl = process.env.DATABASE_URL;
if (!serverUrl) {
  console.error('Set DATABASE_URL to a PostgreSQL server the bench may create a scratch database on.');
  process.exit(1);
}
void main(serverUrl);
