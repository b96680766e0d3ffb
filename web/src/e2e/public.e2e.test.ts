import { describe, expect, it } from 'vitest';
import { chromiumAvailable, SCREENSHOTS } from './browser.ts';
import { publicWeek } from '../../../server/src/public/indicators.ts';
import { consoleSuite, postEvents } from './operator.ts';

describe.skipIf(!chromiumAvailable())('the public page in Chromium', () => {
  const suite = consoleSuite();

  it('shows anyone, signed in or not, the week\'s counts by day and by sector on a map and in tables, small ones withheld, in French or English', { timeout: 60_000 }, async () => {
    // Noon on the Wednesday of the week published now, on the city clock (±1 h of offset keeps the date).
    const time = `${publicWeek(Date.now(), 'Europe/Paris').dates[2]}T12:00:00+01:00`;
    const at = { lat: 43.2951, lon: 5.374 }; // the Vieux-Port
    await postEvents(suite.node.url, [
      ...Array.from({ length: 6 }, (_, i) => ({ id: `public-theft-${i}`, source: 'csu', type: 'incident.theft', time, location: at })),
      ...Array.from({ length: 2 }, (_, i) => ({ id: `public-bike-${i}`, source: 'csu', type: 'accident.bike', time, location: at })),
    ]);
    const page = await suite.browser.newPage({ viewport: { width: 1366, height: 768 } });
    await page.goto(`${suite.node.url}/login`);
    await page.getByTestId('login-public').click();
    await page.locator('[data-testid="public-page"][data-state="ready"]').waitFor({ timeout: 20_000 });
    expect(page.url()).toMatch(/\/public$/); // no sign-in asked
    const card = (c: string) => page.locator(`[data-testid="public-card"][data-category="${c}"] .total`);
    expect(await card('incident').textContent()).toBe('5'); // 6, rounded
    expect(await card('accident').textContent()).toBe('<\u00a05');
    expect(await card('accident').getAttribute('title')).toBe('Entre 1 et 4\u00a0: masqué pour préserver l’anonymat');
    const first = page.getByTestId('public-zone').first();
    expect(await first.locator('th').textContent()).toBe('Vieux-Port');
    expect(await first.locator('td').first().textContent()).toBe('5');
    await page.locator('[data-testid="public-map"][data-category="incident"]:not([data-zones="0"])').waitFor();
    await page.locator('[data-testid="public-card"][data-category="accident"]').click();
    await page.locator('[data-testid="public-map"][data-category="accident"]').waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}public-1366.png` });
    await page.getByTestId('public-filter').fill('zzz');
    await page.getByText('Aucun secteur ne correspond.').waitFor();
    await page.getByTestId('lang-toggle').click();
    await page.getByRole('heading', { level: 1 }).getByText('Public indicators').waitFor();
    expect(await page.getByTestId('public-period').textContent()).toMatch(/^Week of Monday \d+ \w+ to Sunday \d+ \w+ \d{4}, on Marseille’s clock; published the Monday after at 6 am\.$/);
    await page.close();
  });
});
