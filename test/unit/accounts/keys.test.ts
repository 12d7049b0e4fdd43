import {
  argon2ParamsFor,
  decryptWith,
  encryptWith,
  serverKey,
  STRONG_ARGON2,
  TEST_ARGON2,
  unwrapDeskKey,
  wrapDeskKey,
} from '../../../src/accounts/keys';
import { generateOneTimePassword, passwordProblem } from '../../../src/accounts/passwords';
import { generateDeskKeyPair, open, seal } from '../../../src/reports/seal';

describe('wrapping the desk key', () => {
  it('opens with the password and with nothing else', async () => {
    const pair = await generateDeskKeyPair();
    const wrapped = await wrapDeskKey(pair.privateKey, 'correct horse battery', TEST_ARGON2);
    const opened = await unwrapDeskKey(wrapped, 'correct horse battery');
    expect(opened && Buffer.from(opened.privateKey).equals(Buffer.from(pair.privateKey))).toBe(true);
    expect(await unwrapDeskKey(wrapped, 'correct horse batterY')).toBeNull();
    const tampered = Buffer.from(wrapped);
    tampered[tampered.length - 1]! ^= 1;
    expect(await unwrapDeskKey(tampered, 'correct horse battery')).toBeNull();
    const sealed = await seal('a narrative', pair.publicKey);
    expect(await open(sealed, opened!)).toBe('a narrative');
  });

  it('carries its Argon2 cost, so a wrap made at one cost opens after the default changes', async () => {
    const pair = await generateDeskKeyPair();
    const wrapped = await wrapDeskKey(pair.privateKey, 'another long passphrase', {
      ...TEST_ARGON2,
      timeCost: 2,
    });
    expect(wrapped.readUInt32BE(5)).toBe(2);
    expect(await unwrapDeskKey(wrapped, 'another long passphrase')).not.toBeNull();
  });

  it('refuses a lowered Argon2 cost outside NODE_ENV=test', () => {
    expect(argon2ParamsFor('production')).toEqual(STRONG_ARGON2);
    expect(argon2ParamsFor('test', TEST_ARGON2)).toEqual(TEST_ARGON2);
    expect(() => argon2ParamsFor('production', TEST_ARGON2)).toThrow(/only with NODE_ENV=test/);
    expect(() => argon2ParamsFor('development', TEST_ARGON2)).toThrow(/only with NODE_ENV=test/);
  });
});

describe('session-bound encryption', () => {
  it('needs both the server secret and the session id', async () => {
    const secret = Buffer.alloc(32, 9);
    const sealed = await encryptWith(
      serverKey(secret, 'session-desk-key', 'sid-1'),
      Buffer.from('key'),
      'desk-key',
    );
    expect(
      Buffer.from(
        (await decryptWith(serverKey(secret, 'session-desk-key', 'sid-1'), sealed, 'desk-key'))!,
      ).toString(),
    ).toBe('key');
    expect(await decryptWith(serverKey(secret, 'session-desk-key', 'sid-2'), sealed, 'desk-key')).toBeNull();
    expect(
      await decryptWith(serverKey(Buffer.alloc(32, 8), 'session-desk-key', 'sid-1'), sealed, 'desk-key'),
    ).toBeNull();
    expect(await decryptWith(serverKey(secret, 'session-desk-key', 'sid-1'), sealed, 'other')).toBeNull();
  });
});

describe('password policy', () => {
  it.each([
    ['short pass', 'too_short'],
    ['qwerty123456', 'common'],
    ['1qaz2wsx3edc', 'common'],
    ['alice-is-my-password', 'contains_username'],
    ['x'.repeat(257), 'too_long'],
  ])('refuses %s as %s', (password, problem) => {
    expect(passwordProblem(password, 'alice')).toBe(problem);
  });

  it('accepts 12 characters of anything and passphrases of 64 and more, without composition rules', () => {
    expect(passwordProblem('twelve chars', 'alice')).toBeNull();
    expect(passwordProblem('a'.repeat(11) + 'é', 'alice')).toBeNull();
    expect(passwordProblem('word '.repeat(40), 'alice')).toBeNull();
  });

  it('generates one-time passwords that pass the policy', () => {
    const password = generateOneTimePassword();
    expect(password).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){4}$/);
    expect(passwordProblem(password, 'alice')).toBeNull();
  });
});
