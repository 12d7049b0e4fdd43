import type { Server } from 'node:http';
import { connect, type AddressInfo, type Server as NetServer } from 'node:net';
import { listenForTor } from '../../../src/platform/proxy-protocol';
import type { TestDatabase } from '../../support/database';
import { buildIntakeApp, setUpIntake } from './support';

// The onion listener (TOR_PROXY_PORT): each Tor circuit is its own client for the rate limits, so one
// onion visitor cannot lock out the others, and X-Forwarded-For from an onion visitor is never believed.

let database: TestDatabase;
let http: Server;
let tor: NetServer;

beforeAll(async () => {
  ({ database } = await setUpIntake());
  const { app } = await buildIntakeApp(database.db, {
    env: { TRUST_PROXY_HOPS: '1' },
    intake: { rateLimits: { windowMs: 60_000, perClient: { report: 1, status: 1, messages: 1 } } },
  });
  http = app.listen(0, '127.0.0.1');
  tor = await listenForTor(http, 0);
});
afterAll(async () => {
  tor.close();
  await new Promise((resolve) => http.close(resolve));
  await database.destroy();
});

/** Sends raw bytes to the onion listener and returns the HTTP status (0 when the connection is dropped). */
function send(bytes: string): Promise<number> {
  const port = (tor.address() as AddressInfo).port;
  return new Promise((resolve, reject) => {
    // write, not end: Node's HTTP server aborts a request whose client half-closes before the answer.
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0)));
  });
}

function lookupFromCircuit(circuit: string, extraHeaders = ''): Promise<number> {
  const body = 'receipt=not+a+receipt';
  return send(
    `PROXY TCP6 fc00:dead:beef:4dad::${circuit} ::1 65535 42\r\n` +
      `POST /status HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n` +
      `${extraHeaders}Content-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
  );
}

describe('the onion listener', () => {
  it('limits each Tor circuit on its own, whatever X-Forwarded-For says', async () => {
    expect(await lookupFromCircuit('0:1')).toBe(422);
    expect(await lookupFromCircuit('0:1', 'X-Forwarded-For: 203.0.113.50\r\n')).toBe(429);
    expect(await lookupFromCircuit('0:2')).toBe(422);
    expect(await lookupFromCircuit('0:2')).toBe(429);
  });

  it('drops a connection without a valid PROXY header, answering nothing', async () => {
    expect(await send('GET /status HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n')).toBe(0);
    expect(await send(`PROXY TCP6 not-an-address ::1 1 2\r\nGET / HTTP/1.1\r\n\r\n`)).toBe(0);
    expect(await send(`PROXY TCP4 ${'1'.repeat(200)}`)).toBe(0);
  });
});
