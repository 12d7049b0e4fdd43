/// <reference lib="dom" />
import { hasChromium, useBrowserApp } from '../support/browser';
import { describeNeeding } from '../support/requirements';

// As a reporter on Tor Browser at "Safest" would meet the site: JavaScript off.
const describeWithChromium = describeNeeding(
  'chromium',
  hasChromium,
  'Debian Chromium is not installed (apt-get install -y chromium)',
);

describeWithChromium('the portal in Chromium with JavaScript disabled', () => {
  const fixture = useBrowserApp();

  it('opens the English home page, follows the language switch to Spanish and back', async () => {
    const context = await fixture.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    const external: string[] = [];
    page.on('request', (req) => {
      if (!req.url().startsWith(fixture.origin)) external.push(req.url());
    });
    await page.goto(`${fixture.origin}/`);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.textContent('h1')).toContain('counted');

    await page.click('a.lang-switch');
    expect(new URL(page.url()).pathname).toBe('/es/');
    expect(await page.getAttribute('html', 'lang')).toBe('es');
    expect(await page.textContent('h1')).toContain('contadas');

    await page.click('a.lang-switch');
    expect(new URL(page.url()).pathname).toBe('/');
    // Promise 2: the stylesheet loaded (from this origin) and nothing came from anywhere else.
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe('rgb(253, 252, 250)');
    expect(external).toEqual([]);
    expect(await context.cookies()).toEqual([]);
    await context.close();
  });

  it('fits a 320 px wide phone screen without sideways scrolling', async () => {
    const context = await fixture.browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 320, height: 640 },
    });
    const page = await context.newPage();
    await page.goto(`${fixture.origin}/es/`);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: '.cache/home-es-320.png', fullPage: false });
    await context.close();
  });
});
