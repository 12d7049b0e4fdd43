import { parseArgs } from 'node:util';
import { confirmDeskKey, deskKeyStatus, openAccountDeskKey } from '../accounts/desk-keys';
import { loadConfig } from '../platform/config';
import { openDatabase } from '../platform/database';
import { loadSecrets } from '../platform/secrets';

// `npm run desk-key:confirm [-- --fingerprint "<fingerprint>" | --username NAME --password-stdin]`
//
// Intake seals only to an authenticated desk key (src/accounts/desk-keys.ts). Keys the app creates are
// authenticated as they are stored; a key stored before that existed (or one written to the database by
// anyone else) is not, and intake stays closed until the operator, who holds SESSION_SECRET, confirms it
// here after a check the database cannot fake:
//
// - --fingerprint: the fingerprint an admin reads on the desk's account page, which the desk computes
//   from the key the admin's own session holds (unwrapped with their password), not from desk_keys; or
// - --username with --password-stdin: the account's wrapped key is opened with its password, here, and
//   its public half must be the newest key.
//
// Without either, prints the newest key's fingerprint and state, and changes nothing.

async function readStdinLine(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      fingerprint: { type: 'string' },
      username: { type: 'string' },
      'password-stdin': { type: 'boolean', default: false },
    },
  });
  const config = loadConfig();
  const secrets = await loadSecrets(config);
  const database = await openDatabase(config);
  const out = (line: string) => process.stdout.write(`${line}\n`);
  try {
    const status = await deskKeyStatus(database.db, secrets);
    if (status.state === 'missing') {
      out('There is no desk key yet: `npm run moderator:create -- --role admin …` creates the first one.');
      return 1;
    }
    out(`newest desk key: #${status.key.id}, created ${status.key.createdOn}`);
    out(`fingerprint: ${status.key.fingerprint}`);
    out(`state: ${status.state}`);
    let evidence: Parameters<typeof confirmDeskKey>[2];
    if (values.fingerprint) {
      evidence = { fingerprint: values.fingerprint };
    } else if (values.username && values['password-stdin']) {
      const pair = await openAccountDeskKey(database.db, values.username.toLowerCase(), readStdinLine);
      if (!pair) {
        out('That account holds no desk key this password opens. Nothing changed.');
        return 1;
      }
      pair.privateKey.fill(0);
      evidence = { heldPublicKey: pair.publicKey, username: values.username.toLowerCase() };
    } else {
      if (status.state === 'unauthenticated') {
        out('Intake is closed until this key is confirmed. Compare the fingerprint above with the one an');
        out('admin sees under "Desk key" on the desk (/moderate/password), then run:');
        // Not the fingerprint above: the point is to type the one read on the desk, not to copy this one.
        out('  npm run desk-key:confirm -- --fingerprint "<the fingerprint the admin read>"');
        out('or let an admin who can read narratives confirm it with their password:');
        out('  npm run desk-key:confirm -- --username NAME --password-stdin');
      }
      return status.state === 'authenticated' ? 0 : 1;
    }
    const result = await confirmDeskKey(database.db, secrets, evidence);
    if (!result.ok) {
      out(
        result.problem === 'mismatch'
          ? 'That does not match the newest desk key. Nothing changed: find out who wrote this key.'
          : 'There is no desk key. Nothing changed.',
      );
      return 1;
    }
    out(result.already ? 'Already authenticated; nothing changed.' : 'Confirmed: intake seals to this key.');
    return 0;
  } finally {
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
