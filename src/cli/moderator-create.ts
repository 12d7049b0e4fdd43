import { parseArgs } from 'node:util';
import { deskKeyStatus } from '../accounts/desk-keys';
import { argon2ParamsFor } from '../accounts/keys';
import { createAccounts, type CommandLineResult } from '../accounts/service';
import { ROLES, type Role } from '../accounts/types';
import { loadConfig } from '../platform/config';
import { openDatabase } from '../platform/database';
import { loadSecrets } from '../platform/secrets';

// `npm run moderator:create -- --username NAME --role admin|moderator [--password-stdin]`
//
// Prints a one-time password (to be replaced at first sign-in), or takes the password from the first line
// of standard input with --password-stdin. The first admin also creates the desk key pair. Later accounts
// start without desk access: an admin grants it by resetting the account from the desk's Moderators page,
// which wraps the key from the admin's unlocked session (the command line never holds the desk key).

async function readStdinLine(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      username: { type: 'string' },
      role: { type: 'string' },
      'password-stdin': { type: 'boolean', default: false },
    },
  });
  if (!values.username || !ROLES.includes(values.role as Role)) {
    throw new Error(
      'usage: npm run moderator:create -- --username NAME --role admin|moderator [--password-stdin]',
    );
  }
  const config = loadConfig();
  const secrets = await loadSecrets(config);
  const database = await openDatabase(config);
  try {
    const accounts = createAccounts({
      db: database.db,
      sessionSecret: secrets.session,
      argon2: argon2ParamsFor(config.NODE_ENV),
      today: () => new Date(),
    });
    const previousKey = (await deskKeyStatus(database.db, secrets)).state !== 'missing';
    const password = values['password-stdin'] ? await readStdinLine() : undefined;
    const username = values.username.toLowerCase();
    const created = await accounts.createFromCommandLine({
      username,
      role: values.role as Role,
      ...(password !== undefined ? { password } : {}),
    });
    if (!created.ok) throw new Error(refusal(created.problem, username));
    const lines = [`created ${values.role} ${username}`];
    if (created.generated)
      lines.push(`one-time password (shown once; replaced at first sign-in): ${created.password}`);
    if (created.deskKey === 'created') {
      lines.push('created the desk key pair; its private half is stored only wrapped under this password');
      if (previousKey)
        lines.push(
          'note: an older desk key exists with no account holding it; text sealed to it stays unreadable',
        );
    } else {
      lines.push('no desk access yet: an admin grants it with "Reset" on the Moderators page of the desk');
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await database.close();
  }
}

/** The line the operator reads for a refused account. */
function refusal(problem: Extract<CommandLineResult, { ok: false }>['problem'], username: string): string {
  if (problem === 'username_invalid')
    return 'Usernames are 2–40 lower-case letters, digits, dots, dashes or underscores.';
  if (problem === 'username_taken') return `The username ${username} is taken.`;
  return `Password refused: ${problem.replace('_', ' ')}.`;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
