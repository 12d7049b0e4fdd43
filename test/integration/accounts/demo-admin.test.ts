/* eslint-disable @typescript-eslint/no-unsafe-argument -- knex rows are untyped in tests */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEMO_ADMIN_USERNAME, retirePublishedDemoPassword, seedDemoAdmin } from '../../../src/accounts/demo';
import { deskKeyStatus } from '../../../src/accounts/desk-keys';
import {
  hashPassword,
  TEST_ARGON2,
  unwrapDeskKey,
  verifyPassword,
  wrapDeskKey,
} from '../../../src/accounts/keys';
import { generateDeskKeyPair } from '../../../src/reports/seal';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { TEST_SESSION_SECRET } from '../../support/desk';

// Issue 10, item 7: no shared credentials. The demo admin's password is random per install and shown
// once; an install that still has the password the README once published gets a random one.

const RETIRED = 'try the desk, not in production';
const ROOT = path.resolve(__dirname, '../../..');
let first: TestDatabase;
let second: TestDatabase;

beforeAll(async () => {
  [first, second] = await Promise.all([createTestDatabase(), createTestDatabase()]);
});
afterAll(() => Promise.all([first.destroy(), second.destroy()]));

const demoRow = (database: TestDatabase) =>
  database.db('moderators').where({ username: DEMO_ADMIN_USERNAME }).first();
const options = { argon2: TEST_ARGON2 };

describe('the demo admin', () => {
  it('gets a random one-time password per install, and an authenticated desk key it can open', async () => {
    const one = await seedDemoAdmin(first.db, { NODE_ENV: 'development' }, TEST_SESSION_SECRET, options);
    const two = await seedDemoAdmin(second.db, { NODE_ENV: 'development' }, TEST_SESSION_SECRET, options);
    expect(one).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){4}$/);
    expect(two).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){4}$/);
    expect(one).not.toBe(two);

    const row = await demoRow(first);
    expect(await verifyPassword(row.password_hash, one!)).toBe(true);
    expect(await verifyPassword(row.password_hash, RETIRED)).toBe(false);
    expect(row.must_change_password).toBe(true);
    const status = await deskKeyStatus(first.db, { session: TEST_SESSION_SECRET });
    expect(status.state).toBe('authenticated');
    const pair = await unwrapDeskKey(row.wrapped_desk_key, one!);
    expect(status.state !== 'missing' && Buffer.from(pair!.publicKey).equals(status.key.publicKey)).toBe(
      true,
    );
  });

  it('is created once: a second start returns no password and changes nothing', async () => {
    const before = await demoRow(first);
    expect(
      await seedDemoAdmin(first.db, { NODE_ENV: 'development' }, TEST_SESSION_SECRET, options),
    ).toBeNull();
    expect(await demoRow(first)).toEqual(before);
  });

  it('is never created in production', async () => {
    await expect(
      seedDemoAdmin(second.db, { NODE_ENV: 'production' }, TEST_SESSION_SECRET, options),
    ).rejects.toThrow(/production/);
  });
});

describe('an install that still has the once-published demo password', () => {
  it('gets a random one-time password that opens the same desk key, and its sessions end', async () => {
    await second.db('audit_events').del();
    await second.db('moderators').del();
    const pair = await generateDeskKeyPair();
    const [key] = await second
      .db('desk_keys')
      .insert({ public_key: Buffer.from(pair.publicKey), created_on: '2026-01-01' })
      .returning('id');
    const [account] = await second
      .db('moderators')
      .insert({
        username: DEMO_ADMIN_USERNAME,
        role: 'admin',
        password_hash: await hashPassword(RETIRED, TEST_ARGON2),
        must_change_password: false,
        wrapped_desk_key: await wrapDeskKey(pair.privateKey, RETIRED, TEST_ARGON2),
        desk_key_id: key.id,
        created_on: '2026-01-01',
      })
      .returning('id');
    await second.db('sessions').insert({
      sid_hash: 'a'.repeat(64),
      moderator_id: account.id,
      data: '{}',
      // Session times are kept to the minute (migrations/20261129000300).
      idle_expires_at: new Date(Math.ceil(Date.now() / 60_000) * 60_000 + 60_000),
      absolute_expires_at: new Date(Math.ceil(Date.now() / 60_000) * 60_000 + 60_000),
    });

    const replaced = await retirePublishedDemoPassword(second.db, options);
    expect(replaced).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){4}$/);
    const row = await demoRow(second);
    expect(await verifyPassword(row.password_hash, RETIRED)).toBe(false);
    expect(await verifyPassword(row.password_hash, replaced!)).toBe(true);
    expect(row.must_change_password).toBe(true);
    const opened = await unwrapDeskKey(row.wrapped_desk_key, replaced!);
    expect(Buffer.from(opened!.publicKey).equals(Buffer.from(pair.publicKey))).toBe(true);
    expect(await unwrapDeskKey(row.wrapped_desk_key, RETIRED)).toBeNull();
    expect(await second.db('sessions').where({ moderator_id: account.id })).toHaveLength(0);
    expect(await second.db('audit_events').where({ action: 'moderator_reset' })).toHaveLength(1);
    // Done once: the next start finds nothing to replace.
    expect(await retirePublishedDemoPassword(second.db, options)).toBeNull();
  });
});

describe('the documentation and deployment files', () => {
  it('publish no password: not the demo admin’s, and no default for the database roles', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    expect(readme).not.toContain(RETIRED);
    expect(readme).not.toMatch(/demo-admin[^\n]*password[^\n]*`[^`]{8,}`/i);
    const compose = readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8');
    // Every password comes from the operator's environment, with no fallback value.
    expect(compose).not.toMatch(/PASSWORD[^\n]*:-/);
  });
});
