/// <reference lib="dom" />
import path from 'node:path';
import type { Page } from 'playwright-core';
import { wordlist as portuguese } from '@scure/bip39/wordlists/portuguese.js';
import { seedDemoCases } from '../../seeds/demo-cases';
import { loadReference } from '../../src/reference/store';
import { hasChromium, useBrowserApp } from '../support/browser';
import { insertTestRelease } from '../support/public-release';
import { addDeskKey, buildIntakeApp, moveStaged, reportIdOf } from '../integration/intake/support';
import { describeNeeding } from '../support/requirements';

// A Portuguese-speaking reporter on Tor Browser at "Safest": JavaScript off, on a phone-sized screen, gets
// a receipt in Portuguese words. Every Portuguese page passes axe-core and fits a 320 px screen with the
// language switch listing every language. axe runs with JavaScript on in its own context only.
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
  return violations.map((v) => `${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

describeWithChromium('the Portuguese site in Chromium', () => {
  const fixture = useBrowserApp({
    prepare: async (db) => {
      await addDeskKey(db);
      await seedDemoCases(db, { NODE_ENV: 'test' });
      await insertTestRelease(db, await loadReference(db), { label: '2026-Q3' });
    },
    buildApp: buildIntakeApp,
  });

  it('fills the Portuguese form with JavaScript off, gets Portuguese words and opens the status with them', async () => {
    const context = await fixture.browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 320, height: 640 },
    });
    const page = await context.newPage();
    await page.goto(`${fixture.origin}/pt/report`);
    expect(await page.getAttribute('html', 'lang')).toBe('pt');

    await page.getByLabel('Mês').selectOption({ label: 'março' });
    await page.getByLabel('Ano', { exact: true }).selectOption('2025');
    await page.getByLabel('Vigilância ou monitoramento').check();
    await page.getByRole('button', { name: 'Enviar o relato' }).click();
    expect(await page.textContent('#state-error')).toContain('Escolha o estado ou território');
    expect(await page.isChecked('#action-surveillance')).toBe(true);

    await page.getByLabel('Estado ou território').selectOption({ label: 'Texas' });
    await page
      .getByLabel('Condado (só Texas, Califórnia e Nova York; opcional)')
      .selectOption({ label: 'Harris' });
    await page.getByLabel('Organização comunitária ou trabalhista').check();
    await page.getByLabel('Jornalista', { exact: true }).check();
    await page.getByLabel('Relato pessoal').check();
    await page.getByLabel('O que aconteceu').fill('Fomos vigiados depois da passeata.');
    await page.getByLabel('Concordo que estas respostas sejam contadas nos números publicados.').check();
    await page.screenshot({ path: '.cache/intake-form-pt-320.png', fullPage: true });
    await page.getByRole('button', { name: 'Enviar o relato' }).click();

    expect(await page.textContent('h1')).toContain('Seu comprovante');
    expect(await page.getAttribute('.receipt', 'lang')).toBe('pt');
    const receipt = (await page.textContent('.receipt'))?.trim() ?? '';
    const words = new Set(portuguese);
    expect(receipt.split('-').filter((word) => words.has(word))).toHaveLength(8);

    await page.getByRole('link', { name: 'Consultar um relato' }).first().click();
    await page.getByLabel('Comprovante').fill(receipt.toUpperCase().replaceAll('-', ' '));
    await page.getByRole('button', { name: 'Abrir o relato' }).click();
    expect(await page.textContent('#status-heading')).toContain('Recebido');
    await page.getByLabel('Responder a uma pergunta ou acrescentar detalhes').fill('Mais um detalhe.');
    await page.getByRole('button', { name: 'Enviar a mensagem' }).click();
    expect(await page.textContent('.intake-notice')).toContain('Sua mensagem foi enviada.');
    await moveStaged(fixture.database.db);
    const id = await reportIdOf(fixture.database.db, receipt);
    expect((await fixture.database.db('reports').where({ id }).first()).field_office).toBe('HOU');
    expect(await context.cookies()).toEqual([]);
    await context.close();
  });

  it('follows the language switch from Portuguese to every other language by its own name', async () => {
    const context = await fixture.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${fixture.origin}/pt/methodology`);
    const names = await page.$$eval('.site-header a.lang-switch', (links) =>
      links.map((a) => `${a.getAttribute('lang')}:${a.textContent?.trim()}`),
    );
    expect(names).toEqual(['en:English', 'es:Español']);
    await Promise.all([page.waitForNavigation(), page.click('.site-header a.lang-switch[lang="es"]')]);
    expect(new URL(page.url()).pathname).toBe('/es/methodology');
    await context.close();
  });

  it.each([
    '/pt/',
    '/pt/report',
    '/pt/status',
    '/pt/data',
    '/pt/map',
    '/pt/codebook',
    '/pt/methodology',
    '/pt/cases/1',
  ])('%s has no axe-core violations and fits a 320 px screen', async (route) => {
    const context = await fixture.browser.newContext({ javaScriptEnabled: true, bypassCSP: true });
    const page = await context.newPage();
    const response = await page.goto(`${fixture.origin}${route}`);
    expect(response?.status()).toBe(200);
    expect(await axeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 320, height: 640 });
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await context.close();
  });
});
