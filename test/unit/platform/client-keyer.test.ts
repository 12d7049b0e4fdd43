import type { Request } from 'express';
import { createClientKeyer } from '../../../src/platform/security';

// The rate-limit keyer: a keyed hash of the address, the same within a period, another after rotation.

const requestFrom = (ip: string) => ({ ip, socket: {} }) as unknown as Request;

describe('createClientKeyer', () => {
  it('keys one address alike within a period and differently after the secret rotates', async () => {
    let time = 10_000;
    const keyer = createClientKeyer({ rotateMs: 1000, now: () => time });
    const first = await keyer.key(requestFrom('203.0.113.9'));
    expect(first).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(first).not.toContain('203');
    time = 10_999;
    expect(await keyer.key(requestFrom('203.0.113.9'))).toBe(first);
    expect(await keyer.key(requestFrom('203.0.113.10'))).not.toBe(first);
    time = 11_000;
    expect(await keyer.key(requestFrom('203.0.113.9'))).not.toBe(first);
  });

  it('gives two processes without Redis different keys for one address', async () => {
    const [a, b] = [createClientKeyer(), createClientKeyer()];
    expect(await a.key(requestFrom('203.0.113.9'))).not.toBe(await b.key(requestFrom('203.0.113.9')));
  });

  it('gives two instances with one shared secret the same key, and another after rotation', async () => {
    let time = 10_000;
    const shared = Buffer.alloc(32, 7);
    const [a, b] = [0, 1].map(() => createClientKeyer({ shared, rotateMs: 1000, now: () => time }));
    const first = await a!.key(requestFrom('203.0.113.9'));
    expect(await b!.key(requestFrom('203.0.113.9'))).toBe(first);
    expect(await b!.key(requestFrom('203.0.113.10'))).not.toBe(first);
    time = 11_000;
    expect(await a!.key(requestFrom('203.0.113.9'))).not.toBe(first);
    expect(await b!.key(requestFrom('203.0.113.9'))).toBe(await a!.key(requestFrom('203.0.113.9')));
  });
});
