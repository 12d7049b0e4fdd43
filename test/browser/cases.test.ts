/// <reference lib="dom" />
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { seedDemoCases } from '../../seeds/demo-cases';
import { loadReference } from '../../src/reference/store';
import { hasChromium, useBrowserApp } from '../support/browser';
import { createModerator, totpCode } from '../support/desk';
import { insertTestRelease } from '../support/public-release';
import { describeNeeding } from '../support/requirements';

// The public record in a browser: a reader filters the list and opens a case with JavaScript off, the
// map page switches to the record's layer, every page (the desk's included) passes axe-core and fits
// a 320 px screen. axe runs with JavaScript on in its own context, bypassing the CSP only there.
const describeWithChromium = describeNeeding(
  'chromium',
  hasChromium,
  'Debian Chromium is not installed (apt-get install -y chromium)',
);

const AXE = path.resolve(__dirname, '../../node_modules/axe-core/axe.min.js');

async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run(
            context: Document,
            options: object,
          ): Promise<{ violations: { id: string; help: string; nodes: { target: string[] }[] }[] }>;
        };
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
      `${v.id}: ${v.help} at ${v.nodes
        .map((n) => n.target.join(' '))
        .slice(0, 3)
        .join(', ')}`,
  );
}

describeWithChromium('the public record in Chromium', () => {
  let admin: { id: number; username: string; password: string };
  let secret = '';
  const fixture = useBrowserApp({
    prepare: async (db) => {
      await seedDemoCases(db, { NODE_ENV: 'test' });
      await insertTestRelease(db, await loadReference(db), { label: '2026-Q3' });
      admin = await createModerator(db, 'admin');
    },
  });

  async function signedIn(context: BrowserContext): Promise<Page> {
    const page = await context.newPage();
    await page.goto(`${fixture.origin}/moderate/login`);
    await page.fill('#username', admin.username);
    await page.fill('#password', admin.password);
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/moderate/login/code'),
      page.click('button[type=submit]'),
    ]);
    // The secret is shown once, at enrolment; later sign-ins use it again (the same 30 s step too).
    if (await page.isVisible('code.totp-secret'))
      secret = (await page.textContent('code.totp-secret'))!.trim();
    await fixture.database.db('moderators').where({ id: admin.id }).update({ totp_last_step: null });
    await page.fill('#code', totpCode(secret));
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/moderate'),
      page.click('form[action="/moderate/login/code"] button[type=submit]'),
    ]);
    return page;
  }

  it('filters the list, opens a case and its twin, and reaches the map layer, JavaScript off', async () => {
    const context = await fixture.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    const external: string[] = [];
    page.on('request', (req) => {
      if (!req.url().startsWith(fixture.origin)) external.push(req.url());
    });
    await page.goto(`${fixture.origin}/`);
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/cases'),
      page.click('text=Browse documented public cases'),
    ]);
    await page.selectOption('#filter-action', 'arrest');
    await page.selectOption('#filter-year', '2024');
    await Promise.all([page.waitForNavigation(), page.click('.case-filters button[type=submit]')]);
    expect(await page.textContent('#case-list-heading')).toBe('Arrest · 2024: 2 cases');
    await Promise.all([page.waitForNavigation(), page.click('.case__heading a >> nth=0')]);
    expect(new URL(page.url()).pathname).toBe('/cases/2');
    expect(await page.getAttribute('.case-sources a', 'rel')).toBe('noopener noreferrer nofollow');
    await Promise.all([page.waitForNavigation(), page.click('a.lang-switch')]);
    expect(new URL(page.url()).pathname).toBe('/es/cases/2');
    expect(await page.textContent('h1')).toBe('Texas, noviembre de 2024');

    await page.goto(`${fixture.origin}/map`);
    await Promise.all([
      page.waitForNavigation(),
      page.click('.layer-switch >> text=Public record (documented cases)'),
    ]);
    expect(new URL(page.url()).pathname).toBe('/cases/map');
    expect(await page.locator('.map-figure svg use title').count()).toBeGreaterThan(20);
    expect(external).toEqual([]);
    expect(await context.cookies()).toEqual([]);
    await context.close();
  });

  it('adds a case at the desk with JavaScript off, and shows it on the public list', async () => {
    const context = await fixture.browser.newContext({ javaScriptEnabled: false });
    const page = await signedIn(context);
    await page.goto(`${fixture.origin}/moderate/cases/new`);
    await page.fill('#case-month', '2025-06');
    await page.selectOption('#case-state', 'GA');
    await page.check('#case-action_type-arrest');
    await page.check('#case-activism_type-protest');
    await page.selectOption('#case-target-role', 'student');
    await page.fill('#case-summary-en', 'Synthetic example: a student arrested after a campus protest.');
    await page.fill('#source-0-url', 'https://example.org/news/student');
    await page.fill('#source-0-title', 'Example Campus News: student arrested');
    await Promise.all([page.waitForNavigation(), page.click('.case-form button[type=submit]')]);
    expect(await page.textContent('.note[role=status]')).toBe('The case was added.');
    await page.goto(`${fixture.origin}/cases?state=GA`);
    expect(await page.textContent('.case__summary')).toBe(
      'Synthetic example: a student arrested after a campus protest.',
    );
    await context.close();
  });

  const PUBLIC_PAGES = [
    '/cases',
    '/es/cases?state=CA',
    '/cases/1',
    '/es/cases/6',
    '/cases/map',
    '/es/cases/map?view=field_office',
    '/map',
    '/methodology',
  ];
  it.each(PUBLIC_PAGES)('%s has no axe-core violations', async (route) => {
    const context = await fixture.browser.newContext({ javaScriptEnabled: true, bypassCSP: true });
    const page = await context.newPage();
    const response = await page.goto(`${fixture.origin}${route}`);
    expect(response?.status()).toBe(200);
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  });

  it('has no axe-core violations on the desk pages, a refused form included', async () => {
    const context = await fixture.browser.newContext({ javaScriptEnabled: true, bypassCSP: true });
    const page = await signedIn(context);
    for (const route of [
      '/moderate/cases',
      '/moderate/cases/new',
      '/moderate/cases/1',
      '/es/moderate/cases/6',
    ]) {
      await page.goto(`${fixture.origin}${route}`);
      expect({ route, violations: await axeViolations(page) }).toEqual({ route, violations: [] });
    }
    await page.goto(`${fixture.origin}/moderate/cases/new`);
    await page.fill('#source-0-url', 'http://example.org/insecure');
    // The browser's own checks would stop the form; the server's answer is what is under test.
    await page.evaluate(() => document.querySelector('form.case-form')?.setAttribute('novalidate', ''));
    await Promise.all([page.waitForNavigation(), page.click('.case-form button[type=submit]')]);
    expect(await page.isVisible('.desk-error')).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  });

  it.each(['/cases', '/es/cases/1', '/cases/map?view=field_office', '/moderate/login'])(
    '%s fits a 320 px screen without sideways scrolling',
    async (route) => {
      const context = await fixture.browser.newContext({
        javaScriptEnabled: false,
        viewport: { width: 320, height: 640 },
      });
      const page = await context.newPage();
      await page.goto(`${fixture.origin}${route}`);
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow).toBeLessThanOrEqual(0);
      await context.close();
    },
  );
});
