import { LANGS } from '../../../src/platform/i18n';
import { execFile, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { publicStatus } from '../../../src/public/csv';
import request from 'supertest';
import { loadReference } from '../../../src/reference/store';
import { loadReleaseCells } from '../../../src/releases/store';
import { buildTestApp, type TestApp } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { insertTestRelease, type TestRelease } from '../../support/public-release';
import { describeNeeding } from '../../support/requirements';

// The pandas snippet of "How to cite and reuse", copied from the page as a reader would and run by
// Debian's python3-pandas against the app: it must load the table with every count right and every
// withheld cell missing, never zero.

// Debian's interpreter, where apt installs python3-pandas (a python3 earlier in PATH may be another one).
const PYTHON = process.env.PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
const hasPandas = spawnSync(PYTHON, ['-c', 'import pandas'], { stdio: 'ignore' }).status === 0;
const describeWithPandas = describeNeeding(
  'pandas',
  hasPandas,
  `${PYTHON} has no pandas (apt-get install -y python3-pandas)`,
);

const run = promisify(execFile);

// Text of an element as the browser shows it: Handlebars escapes these five.
function unescapeHtml(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&#x3D;/g, '=')
    .replace(/&#x60;/g, '`')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

describeWithPandas('the pandas snippet on /data', () => {
  let database: TestDatabase;
  let testApp: TestApp;
  let release: TestRelease;
  let server: Server;
  let origin: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    release = await insertTestRelease(database.db, await loadReference(database.db), { label: '2026-Q3' });
    // The app must know its own address, which the page writes into the snippet: listen first.
    let handler: RequestListener = (_req, res) => res.end();
    server = createServer((req, res) => handler(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    testApp = await buildTestApp(database.db, { PUBLIC_ORIGIN: origin });
    handler = testApp.app;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await database.destroy();
  });

  it('loads by_state with every published count and every withheld cell as missing', async () => {
    const page = await request(testApp.app).get('/data').expect(200);
    const code = /<code class="snippet-pandas">([^<]*)<\/code>/.exec(page.text)?.[1];
    expect(code).toBeDefined();
    const snippet = unescapeHtml(code!);
    expect(snippet.split('\n')).toHaveLength(2);
    expect(snippet).toContain(`${origin}/data/releases/2026-Q3/by_state.csv`);
    const script = [
      snippet,
      'import json',
      'rows = [[s, None if pd.isna(c) else int(c), t] for s, c, t in zip(by_state["state"], by_state["count"], by_state["status"])]',
      'print(json.dumps({"columns": list(by_state.columns), "dtype": str(by_state["count"].dtype), "rows": rows}))',
    ].join('\n');
    const { stdout } = await run(PYTHON, ['-c', script], { timeout: 60_000 });
    const result = JSON.parse(stdout) as {
      columns: string[];
      dtype: string;
      rows: [string, number | null, string][];
    };
    expect(result.columns).toEqual([
      'state',
      ...LANGS.map((lang) => `state_label_${lang}`),
      'count',
      'status',
    ]);
    expect(result.dtype).toBe('Int64');
    const stored = await loadReleaseCells(database.db, release.record.id, 'by_state');
    const expected = stored.map((c) => [
      c.keys.state,
      c.status === 'published' ? c.value : null,
      publicStatus(c.status),
    ]);
    expect(new Set(result.rows.map((r) => JSON.stringify(r)))).toEqual(
      new Set(expected.map((r) => JSON.stringify(r))),
    );
    expect(result.rows.some(([, count]) => count === null)).toBe(true);
  });

  it('has an R twin of two lines that reads the same address', async () => {
    const page = await request(testApp.app).get('/es/data').expect(200);
    const code = unescapeHtml(/<code class="snippet-r">([^<]*)<\/code>/.exec(page.text)?.[1] ?? '');
    expect(code.split('\n')).toHaveLength(2);
    expect(code).toContain(`"${origin}/data/releases/2026-Q3/by_state.csv"`);
    expect(code).toContain('na.strings = ""');
  });
});
