import fc from 'fast-check';
import { clientOf, MAX_HEADER_BYTES, parseProxyHeader } from '../../../src/platform/proxy-protocol';

// The onion listener's PROXY v1 parser reads bytes anyone connecting to it could send: it must never
// throw, accept only well-formed headers, and key Tor visitors by circuit.

describe('parseProxyHeader', () => {
  it('reads the header Tor sends with HiddenServiceExportCircuitID haproxy, keyed by circuit', () => {
    const header = parseProxyHeader('PROXY TCP6 fc00:dead:beef:4dad::ab:cdef ::1 65535 42');
    expect(header).toEqual({
      family: 'TCP6',
      source: 'fc00:dead:beef:4dad::ab:cdef',
      destination: '::1',
      sourcePort: 65535,
      destinationPort: 42,
    });
    expect(clientOf(header!)).toBe('tor-circuit:00ab:cdef');
    // The upper 96 bits do not matter: the same circuit is the same client.
    expect(clientOf(parseProxyHeader('PROXY TCP6 fc00::1:ab:cdef ::1 1 2')!)).toBe('tor-circuit:00ab:cdef');
    expect(clientOf(parseProxyHeader('PROXY TCP6 fc00:dead:beef:4dad::1:2 ::1 1 2')!)).not.toBe(
      'tor-circuit:00ab:cdef',
    );
    expect(clientOf(parseProxyHeader('PROXY TCP6 ::ffff:1.2.3.4 ::1 1 2')!)).toBe('tor-circuit:0102:0304');
  });

  it('reads TCP4 and UNKNOWN headers', () => {
    expect(clientOf(parseProxyHeader('PROXY TCP4 192.0.2.7 127.0.0.1 5000 80')!)).toBe('192.0.2.7');
    expect(parseProxyHeader('PROXY UNKNOWN')).toEqual({ family: 'UNKNOWN' });
    expect(clientOf({ family: 'UNKNOWN' })).toBeNull();
  });

  it.each([
    '',
    'PROXY',
    'PROXY TCP6 fc00::1 ::1 1',
    'PROXY TCP6 fc00::1 ::1 1 2 3',
    'PROXY TCP4 fc00::1 ::1 1 2',
    'PROXY TCP6 192.0.2.1 127.0.0.1 1 2',
    'PROXY TCP4 192.0.2.1 127.0.0.1 65536 80',
    'PROXY TCP4 192.0.2.1 127.0.0.1 080 80',
    'PROXY TCP4 192.0.2.1  127.0.0.1 1 80',
    'proxy TCP4 192.0.2.1 127.0.0.1 1 80',
    'PROXY TCP6 fe80::1%eth0 ::1 1 2',
    'PROXY UDP4 192.0.2.1 127.0.0.1 1 80',
    `PROXY TCP4 192.0.2.1 127.0.0.1 1 80${' '.repeat(MAX_HEADER_BYTES)}`,
  ])('refuses %j', (line) => {
    expect(parseProxyHeader(line)).toBeNull();
  });

  it('never throws on any input, and whatever it accepts names a client or is UNKNOWN', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 120 })),
        (line) => {
          const header = parseProxyHeader(line);
          if (header === null) return;
          expect(line.startsWith('PROXY ')).toBe(true);
          const client = clientOf(header);
          if (header.family === 'UNKNOWN') expect(client).toBeNull();
          else expect(client).toEqual(expect.any(String));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('accepts every well-formed header and gives each distinct circuit its own key', () => {
    fc.assert(
      fc.property(
        fc.ipV6(),
        fc.ipV6(),
        fc.integer({ min: 0, max: 65535 }),
        fc.integer({ min: 0, max: 65535 }),
        fc.integer({ min: 0, max: 0xffffffff }),
        (source, destination, sourcePort, destinationPort, circuit) => {
          const header = parseProxyHeader(
            `PROXY TCP6 ${source} ${destination} ${sourcePort} ${destinationPort}`,
          );
          expect(header).not.toBeNull();
          const hex = circuit.toString(16).padStart(8, '0');
          const tor = parseProxyHeader(
            `PROXY TCP6 fc00:dead:beef:4dad::${hex.slice(0, 4)}:${hex.slice(4)} ::1 65535 42`,
          );
          expect(clientOf(tor!)).toBe(`tor-circuit:${hex.slice(0, 4)}:${hex.slice(4)}`);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
