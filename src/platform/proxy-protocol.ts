import { createServer, isIPv4, isIPv6, type Server, type Socket } from 'node:net';
import type { Server as HttpServer } from 'node:http';

// The onion service's own listener. Behind Tor every visitor arrives from 127.0.0.1, so a per-address
// limit would be one limit for every Tor reporter together: one visitor could lock out all the others.
// With `HiddenServiceExportCircuitID haproxy`, Tor opens each stream with a PROXY protocol v1 header
// whose source address carries the circuit's id in its low 32 bits (Tor spec, "haproxy-proxy"), so the
// rate limits can key on the circuit instead. The header is read here, on a second port, and the socket
// is handed to the same HTTP server as the public port.
//
// Privacy: the circuit id is never logged or stored; it goes only into the same rotating keyed hash as
// addresses (security.ts createClientKeyer). Safety: this port trusts the header completely (whoever can
// connect could claim any circuit), so it listens on loopback only, for the local Tor.
//
// Hand-written rather than a library: v1 is one ASCII line, and a strict parser of it is shorter than the
// glue to any of the packages (which also take v2 and lenient input we do not want). It is a parser of
// untrusted bytes, so it is property-tested (test/unit/platform/proxy-protocol.test.ts).

/** The longest v1 header, CRLF included (the protocol's own bound). */
export const MAX_HEADER_BYTES = 107;
const HEADER_TIMEOUT_MS = 10_000;

export type ProxyHeader =
  | {
      family: 'TCP4' | 'TCP6';
      source: string;
      destination: string;
      sourcePort: number;
      destinationPort: number;
    }
  | { family: 'UNKNOWN' };

const PORT = /^(0|[1-9][0-9]{0,4})$/;

/** Parses one v1 header line without its CRLF; null for anything that is not exactly one. Never throws. */
export function parseProxyHeader(line: string): ProxyHeader | null {
  if (line.length > MAX_HEADER_BYTES - 2 || !/^[\x20-\x7e]*$/.test(line)) return null;
  const parts = line.split(' ');
  if (parts[0] !== 'PROXY') return null;
  // UNKNOWN may carry anything after it; the receiver must ignore it (spec section 2.1).
  if (parts[1] === 'UNKNOWN') return { family: 'UNKNOWN' };
  if (parts.length !== 6) return null;
  const [, family, source = '', destination = '', sourcePort = '', destinationPort = ''] = parts;
  const isAddress = family === 'TCP4' ? isIPv4 : family === 'TCP6' ? isIPv6 : null;
  if (!isAddress || !isAddress(source) || !isAddress(destination)) return null;
  if (family === 'TCP6' && (source.includes('%') || destination.includes('%'))) return null;
  if (!PORT.test(sourcePort) || !PORT.test(destinationPort)) return null;
  const ports = [Number(sourcePort), Number(destinationPort)];
  if (ports.some((port) => port > 65535)) return null;
  return {
    family: family as 'TCP4' | 'TCP6',
    source,
    destination,
    sourcePort: ports[0] ?? 0,
    destinationPort: ports[1] ?? 0,
  };
}

/**
 * What identifies the client for rate limiting: the Tor circuit (the low 32 bits of a TCP6 source, as
 * Tor encodes it) or, from any other PROXY sender, the source address. Null for UNKNOWN.
 */
export function clientOf(header: ProxyHeader): string | null {
  if (header.family === 'UNKNOWN') return null;
  if (header.family === 'TCP4') return header.source;
  const groups = expandIPv6(header.source);
  return `tor-circuit:${groups.slice(6).join(':')}`;
}

// Eight 4-digit groups of a valid IPv6 address (an embedded IPv4 tail becomes the last two).
function expandIPv6(address: string): string[] {
  let text = address.toLowerCase();
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    const hex = (high: number, low: number) => ((high << 8) | low).toString(16);
    text = `${text.slice(0, v4.index)}${hex(a, b)}:${hex(c, d)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const missing = tail === undefined ? 0 : 8 - left.length - right.length;
  return [...left, ...Array<string>(missing).fill('0'), ...right].map((group) => group.padStart(4, '0'));
}

const clients = new WeakMap<Socket, string | null>();

/** The client a PROXY header named for this connection; undefined for connections of the public port. */
export function proxiedClient(socket: Socket): string | null | undefined {
  return clients.get(socket);
}

/** Reads the header of a new connection, then hands the socket to the HTTP server; drops bad ones. */
export function acceptProxied(socket: Socket, http: HttpServer): void {
  let buffered = Buffer.alloc(0);
  socket.setTimeout(HEADER_TIMEOUT_MS, () => socket.destroy());
  socket.on('error', () => socket.destroy());
  const onData = (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    const end = buffered.indexOf('\r\n');
    if (end === -1 && buffered.length < MAX_HEADER_BYTES) return;
    socket.off('data', onData);
    socket.pause();
    const header =
      end === -1 || end + 2 > MAX_HEADER_BYTES
        ? null
        : parseProxyHeader(buffered.subarray(0, end).toString('latin1'));
    if (!header) {
      socket.destroy();
      return;
    }
    socket.setTimeout(0);
    clients.set(socket, clientOf(header));
    const rest = buffered.subarray(end + 2);
    if (rest.length > 0) socket.unshift(rest);
    http.emit('connection', socket);
    socket.resume();
  };
  socket.on('data', onData);
}

/** Listens on 127.0.0.1:port for Tor's PROXY-protocol connections, serving them with `http`. */
export async function listenForTor(http: HttpServer, port: number): Promise<Server> {
  // Half-open like Node's own HTTP server: a client that ends its side after the request still gets
  // the response.
  const server = createServer({ allowHalfOpen: true }, (socket) => acceptProxied(socket, http));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return server;
}
