import { ByteLru, byteSize } from '../../../src/platform/byte-cache';

describe('ByteLru', () => {
  it('evicts the least recently used entries beyond its byte budget', () => {
    const lru = new ByteLru<string>(10, byteSize);
    lru.set('a', '1234');
    lru.set('b', '1234');
    expect(lru.get('a')).toBe('1234');
    lru.set('c', '1234');
    expect(lru.get('b')).toBeUndefined();
    expect(lru.get('a')).toBe('1234');
    expect(lru.get('c')).toBe('1234');
    expect(lru.size).toBe(8);
  });

  it('does not keep a value larger than the whole budget', () => {
    const lru = new ByteLru<string>(3, byteSize);
    expect(lru.set('a', '1234')).toBe('1234');
    expect(lru.get('a')).toBeUndefined();
  });

  it('builds a value once for concurrent requests', async () => {
    const lru = new ByteLru<string>(100, byteSize);
    let builds = 0;
    const build = async () => {
      builds++;
      await new Promise((r) => setTimeout(r, 5));
      return 'x';
    };
    const results = await Promise.all([1, 2, 3].map(() => lru.getOrBuild('k', build)));
    expect(results).toEqual(['x', 'x', 'x']);
    expect(builds).toBe(1);
    await lru.getOrBuild('k', build);
    expect(builds).toBe(1);
  });

  it('forgets a failed build so the next request tries again', async () => {
    const lru = new ByteLru<string>(100, byteSize);
    await expect(lru.getOrBuild('k', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(lru.getOrBuild('k', () => 'ok')).resolves.toBe('ok');
  });
});
