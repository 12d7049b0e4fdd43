import { ConfigError, loadConfig } from '../../../src/platform/config';

const SECRET = 'ab'.repeat(32);

describe('loadConfig', () => {
  it('fills the documented defaults from an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 3000,
      HOST: '127.0.0.1',
      DATA_DIR: './data',
      NODE_ENV: 'development',
      DISCLOSURE_THRESHOLD: 11,
      TRUST_PROXY_HOPS: 0,
      origin: 'http://localhost:3000',
      seedDemo: true,
    });
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it('names every bad key at once', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', DISCLOSURE_THRESHOLD: '1', DATABASE_URL: 'mysql://x', REDIS_URL: 'nope' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const key of ['PORT', 'DISCLOSURE_THRESHOLD', 'DATABASE_URL', 'REDIS_URL'])
      expect(problems).toContain(key);
  });

  it('refuses TRUST_PROXY_HOPS=true, which would trust any client-supplied address', () => {
    expect(() => loadConfig({ TRUST_PROXY_HOPS: 'true' })).toThrow(/TRUST_PROXY_HOPS/);
  });

  it('requires the secrets, the public origin and a database server in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /RECEIPT_SECRET[\s\S]*SESSION_SECRET[\s\S]*PUBLIC_ORIGIN[\s\S]*DATABASE_URL/,
    );
    const config = loadConfig({
      NODE_ENV: 'production',
      RECEIPT_SECRET: SECRET,
      SESSION_SECRET: SECRET,
      PUBLIC_ORIGIN: 'https://represalia.example.org/',
      DATABASE_URL: 'postgres://represalia_app@db:5432/represalia',
    });
    expect(config.origin).toBe('https://represalia.example.org');
    expect(config.seedDemo).toBe(false);
  });

  it('refuses the embedded database in production and says why', () => {
    let error: unknown;
    try {
      loadConfig({
        NODE_ENV: 'production',
        RECEIPT_SECRET: SECRET,
        SESSION_SECRET: SECRET,
        PUBLIC_ORIGIN: 'https://represalia.example.org',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      expect.stringMatching(
        /^DATABASE_URL: required when NODE_ENV=production \(the embedded database is for/,
      ),
    ]);
  });

  it('listens on loopback unless HOST says otherwise, and refuses a host name that is not an address', () => {
    expect(loadConfig({ HOST: '0.0.0.0' }).HOST).toBe('0.0.0.0');
    expect(loadConfig({ HOST: '::1' }).HOST).toBe('::1');
    expect(() => loadConfig({ HOST: 'example.org' })).toThrow(/HOST/);
  });

  it('rejects secrets that are not 32 random bytes in hex', () => {
    expect(() => loadConfig({ RECEIPT_SECRET: 'short' })).toThrow(/RECEIPT_SECRET/);
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '' }).PORT).toBe(3000);
  });
});
