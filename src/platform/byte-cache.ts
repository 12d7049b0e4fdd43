// A memory cache bounded by the bytes it holds. Frozen things (a release's pages and files, the public
// record at one revision) are built once and sent again byte for byte; the bound keeps the process within
// its memory budget whatever the number of pages asked for.

/** A least-recently-used map bounded by the total size of its values; async builds are shared. */
export class ByteLru<V> {
  private readonly entries = new Map<string, { value: V; size: number }>();
  private readonly pending = new Map<string, Promise<V>>();
  private bytes = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly sizeOf: (value: V) => number,
  ) {}

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: V): V {
    const size = this.sizeOf(value);
    const old = this.entries.get(key);
    if (old) {
      this.bytes -= old.size;
      this.entries.delete(key);
    }
    if (size > this.maxBytes) return value;
    this.entries.set(key, { value, size });
    this.bytes += size;
    for (const [oldest, entry] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= entry.size;
    }
    return value;
  }

  /** The cached value, or builds it once however many requests ask for it at the same time. */
  async getOrBuild(key: string, build: () => V | Promise<V>): Promise<V> {
    const hit = this.get(key);
    if (hit !== undefined) return hit;
    let running = this.pending.get(key);
    if (!running) {
      running = Promise.resolve()
        .then(build)
        .then((value) => this.set(key, value))
        .finally(() => this.pending.delete(key));
      this.pending.set(key, running);
    }
    return running;
  }

  get size(): number {
    return this.bytes;
  }
}

/** Byte size of a string or buffer value, for ByteLru. */
export function byteSize(value: string | Uint8Array): number {
  return typeof value === 'string' ? Buffer.byteLength(value) : value.byteLength;
}
