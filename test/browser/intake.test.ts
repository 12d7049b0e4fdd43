/// <reference lib="dom" />
import { hasChromium, useBrowserApp } from '../support/browser';
import { addDeskKey, buildIntakeApp, moveStaged, reportIdOf } from '../integration/intake/support';
import { describeNeeding } from '../support/requirements';

// A reporter on Tor Browser at "Safest": JavaScript off, in Spanish, on a phone-sized screen.
const describeWithChromium = describeNeeding(
  'chromium',
  hasChromium,
  'Debian Chromium is not installed (apt-get install -y chromium)',
);

describeWithChromium('reporting in Chromium with JavaScript disabled', () => {
  const fixture = useBrowserApp({
    prepare: async (db) => {
      await addDeskKey(db);
    },
    buildApp: buildIntakeApp,
  });

  it('fills the Spanish form, reads the receipt, and opens the status with it', async () => {
    const context = await fixture.browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 320, height: 640 },
    });
    const page = await context.newPage();
    const external: string[] = [];
    page.on('request', (req) => {
      if (!req.url().startsWith(fixture.origin)) external.push(req.url());
    });
    await page.goto(`${fixture.origin}/es/report`);
    expect(await page.getAttribute('html', 'lang')).toBe('es');
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);

    // First a mistake: no state. The form comes back with the error and the answers kept.
    await page.getByLabel('Mes').selectOption({ label: 'marzo' });
    await page.getByLabel('Año').selectOption('2025');
    await page.getByLabel('Vigilancia o monitoreo').check();
    await page.getByRole('button', { name: 'Enviar el reporte' }).click();
    expect(await page.textContent('#state-error')).toContain('Elija el estado o territorio');
    expect(await page.isChecked('#action-surveillance')).toBe(true);

    await page.getByLabel('Estado o territorio').selectOption({ label: 'Texas' });
    await page
      .getByLabel('Condado (solo Texas, California y Nueva York, opcional)')
      .selectOption({ label: 'Harris' });
    await page.getByLabel('Organización comunitaria o laboral').check();
    await page.getByLabel('Periodista', { exact: true }).check();
    await page.getByLabel('Relato personal').check();
    await page.getByLabel('Qué pasó').fill('Nos vigilaron después de la marcha.');
    await page.getByLabel('Acepto que estas respuestas se cuenten en las cifras publicadas.').check();
    await page.screenshot({ path: '.cache/intake-form-es-320.png', fullPage: true });
    await page.getByRole('button', { name: 'Enviar el reporte' }).click();

    expect(await page.textContent('h1')).toContain('Su comprobante');
    const receipt = (await page.textContent('.receipt'))?.trim() ?? '';
    expect(receipt.split('-')).toHaveLength(8);

    await page.getByRole('link', { name: 'Consultar un reporte' }).first().click();
    await page.getByLabel('Comprobante').fill(receipt.toUpperCase().replaceAll('-', ' '));
    await page.getByRole('button', { name: 'Abrir el reporte' }).click();
    expect(await page.textContent('#status-heading')).toContain('Recibido');
    await page.getByLabel('Responder una pregunta o agregar detalles').fill('Un detalle más.');
    await page.getByRole('button', { name: 'Enviar el mensaje' }).click();
    expect(await page.textContent('.intake-notice')).toContain('Su mensaje se envió.');
    // The daily move brings the report and its message into the tables.
    await moveStaged(fixture.database.db);
    const id = await reportIdOf(fixture.database.db, receipt);
    expect((await fixture.database.db('reports').where({ id }).first()).field_office).toBe('HOU');
    expect(await fixture.database.db('report_messages').where({ report_id: id })).toHaveLength(1);

    expect(external).toEqual([]);
    expect(await context.cookies()).toEqual([]);
    await context.close();
  });

  it('lays the form out without sideways scrolling on a desktop screen', async () => {
    const context = await fixture.browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 1280, height: 900 },
    });
    const page = await context.newPage();
    await page.goto(`${fixture.origin}/report`);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    // The honeypot stays out of sight and out of the tab order.
    const box = await page.locator('#website').boundingBox();
    expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThan(0);
    expect(await page.getAttribute('#website', 'tabindex')).toBe('-1');
    await page.screenshot({ path: '.cache/intake-form-en-1280.png', fullPage: false });
    await context.close();
  });
});
