/// <reference lib="dom" />
import path from 'node:path';
import type { Page } from 'playwright-core';
import { loadReference } from '../../src/reference/store';
import { hasChromium, useBrowserApp } from '../support/browser';
import { insertTestRelease } from '../support/public-release';
import { addDeskKey } from '../integration/intake/support';
import { describeNeeding } from '../support/requirements';

// Researchers and journalists on the public site, with JavaScript off as on Tor Browser at "Safest";
// axe-core runs in a separate context with JavaScript on (it is a script), bypassing our CSP only there.
const describeWithChromium = describeNeeding(
  'chromium',
  hasChromium,
  'Debian Chromium is not installed (apt-get install -y chromium)',
);

const AXE = path.resolve(__dirname, '../../node_modules/axe-core/axe.min.js');

interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  nodes: { target: string[] }[];
}

async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run(context: Document, options: object): Promise<{ violations: AxeViolation[] }> };
      }
    ).axe;
    const result = await axe.run(document, {
      runOnly: {
        type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'],
      },
    });
    return result.violations;
  });
  return violations.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help} at ${v.nodes
        .map((n) => n.target.join(' '))
        .slice(0, 3)
        .join(', ')}`,
  );
}

describeWithChromium('the public site in Chromium', () => {
  const fixture = useBrowserApp({
    prepare: async (db) => {
      await addDeskKey(db);
      const reference = await loadReference(db);
      await insertTestRelease(db, reference, { label: '2025-Q4', cutoff: '2025-12-31' });
      await insertTestRelease(db, reference, { label: '2026-Q3' });
    },
  });

  it('goes from the home page to a filtered field-office map with the form, JavaScript off', async () => {
    const context = await fixture.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    const external: string[] = [];
    page.on('request', (req) => {
      if (!req.url().startsWith(fixture.origin)) external.push(req.url());
    });
    await page.goto(`${fixture.origin}/`);
    expect(await page.textContent('#latest-heading')).toContain('2026-Q3');
    await page.click('text=Explore the maps');
    expect(new URL(page.url()).pathname).toBe('/map');

    await page.selectOption('#map-release', '2025-Q4');
    await page.selectOption('#map-view', 'field_office');
    await page.selectOption('#map-filter', 'year:2024');
    await Promise.all([page.waitForNavigation(), page.click('.map-form button[type=submit]')]);
    const url = new URL(page.url());
    expect(url.pathname + url.search).toBe('/map?release=2025-Q4&view=field_office&year=2024');
    expect(await page.textContent('h1')).toBe('Reports by ICE field office, 2024');
    expect(await page.locator('.map-figure svg use title').count()).toBeGreaterThan(20);
    expect(await page.locator('#map-table-caption').textContent()).toBe('Reports by ICE field office, 2024');

    await page.click('a.lang-switch');
    const twin = new URL(page.url());
    expect(twin.pathname + twin.search).toBe('/es/map?release=2025-Q4&view=field_office&year=2024');
    expect(await page.textContent('h1')).toBe('Reportes por oficina de campo de ICE, 2024');
    expect(external).toEqual([]);
    expect(await context.cookies()).toEqual([]);
    await context.close();
  });

  it.each(['/', '/map', '/es/map?view=field_office'])(
    "%s paints every shape it draws from the shape file, under the site's CSP",
    async (route) => {
      // JavaScript on only to measure the drawing; the CSP stays on, as every visitor gets it.
      const context = await fixture.browser.newContext();
      const page = await context.newPage();
      const complaints: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') complaints.push(message.text());
      });
      const shapeFiles: number[] = [];
      page.on('response', (response) => {
        if (new URL(response.url()).pathname === '/map/shapes.svg') shapeFiles.push(response.status());
      });
      await page.goto(`${fixture.origin}${route}`, { waitUntil: 'load' });
      const sizes = await page.evaluate(() =>
        [...document.querySelectorAll<SVGGraphicsElement>('svg.choropleth use')].map((use) => {
          const box = use.getBBox();
          return box.width * box.height;
        }),
      );
      expect(sizes.length).toBeGreaterThan(20);
      expect(sizes.filter((area) => area === 0)).toEqual([]);
      // One file for all the shapes on the page, fetched once.
      expect(shapeFiles).toEqual([200]);
      expect(complaints).toEqual([]);
      await context.close();
    },
  );

  it('reads the JSON-LD block of a release page under the CSP without reporting a violation', async () => {
    // JavaScript on, CSP on: the data block must be neither run nor refused. The listener is installed
    // before any page script, and a positive control proves it hears a real violation.
    const context = await fixture.browser.newContext();
    await context.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { cspViolations: string[] }).cspViolations = seen;
      document.addEventListener('securitypolicyviolation', (e) =>
        seen.push(`${e.violatedDirective} ${e.blockedURI}`),
      );
    });
    const page = await context.newPage();
    const complaints: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') complaints.push(message.text());
    });
    await page.goto(`${fixture.origin}/data/releases/2026-Q3`, { waitUntil: 'load' });
    const dataset = await page.evaluate(
      () =>
        JSON.parse(document.querySelector('script[type="application/ld+json"]')!.textContent) as {
          version: string;
        },
    );
    expect(dataset.version).toBe('2026-Q3');
    const violations = () =>
      page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
    expect(await violations()).toEqual([]);
    expect(complaints).toEqual([]);
    await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.ran = true';
      document.body.append(script);
    });
    await page.waitForFunction(
      () => (window as unknown as { cspViolations: string[] }).cspViolations.length > 0,
    );
    expect((await violations())[0]).toMatch(/^script-src/);
    await context.close();
  });

  it('shows the standalone map as an image another page can embed', async () => {
    const context = await fixture.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${fixture.origin}/map/states.svg`);
    expect(await page.locator('svg title').first().textContent()).toBe('Reports by state');
    await context.close();
  });

  it.each([
    '/',
    '/map?view=field_office',
    '/data',
    '/data/releases/2025-Q4',
    '/data/releases/2026-Q3/changes',
    '/map?compare=previous',
    '/codebook',
    '/methodology',
    '/es/map',
  ])('%s fits a 320 px screen without sideways scrolling', async (route) => {
    const context = await fixture.browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 320, height: 640 },
    });
    const page = await context.newPage();
    await page.goto(`${fixture.origin}${route}`);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    // What sticks out, for a readable failure: boxes outside a scrolling table, and unbreakable text.
    const wide = await page.evaluate(() => {
      const limit = document.documentElement.clientWidth + 0.5;
      const boxes = [...document.querySelectorAll('body *')]
        .filter((e) => !e.parentElement?.closest('.table-wrap'))
        .filter((e) => e.getBoundingClientRect().right > limit)
        .map((e) => `${e.tagName}.${e.className}`);
      const texts: string[] = [];
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        if (n.parentElement?.closest('.table-wrap, .visually-hidden')) continue;
        const range = document.createRange();
        range.selectNodeContents(n);
        if (range.getBoundingClientRect().right > limit) texts.push(`text: ${n.textContent?.slice(0, 40)}`);
      }
      return [...boxes, ...texts].slice(0, 8);
    });
    expect(wide).toEqual([]);
    expect(overflow).toBeLessThanOrEqual(0);
    if (route === '/data') await page.screenshot({ path: '.cache/public-data-320.png', fullPage: false });
    await context.close();
  });

  const AXE_PAGES = [
    '/',
    '/map',
    '/map?view=field_office&action=arrest',
    '/data',
    '/data/releases',
    '/data/releases/2025-Q4',
    '/data/releases/2026-Q3/changes',
    '/es/data/releases/2026-Q3/changes',
    '/map?view=field_office&compare=previous',
    '/codebook',
    '/methodology',
    '/es/',
    '/es/map',
    '/es/data',
    '/report',
    '/status',
  ];
  it.each(AXE_PAGES)('%s has no axe-core violations', async (route) => {
    const context = await fixture.browser.newContext({ javaScriptEnabled: true, bypassCSP: true });
    const page = await context.newPage();
    const response = await page.goto(`${fixture.origin}${route}`);
    expect(response?.status()).toBe(200);
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  });
});
