import { describe, expect, it } from 'vitest';
import { chromiumAvailable, SCREENSHOTS } from './browser.ts';
import { consoleSuite, postEvents } from './operator.ts';

describe.skipIf(!chromiumAvailable())('the public page in Chromium', () => {
  const suite = consoleSuite();

  it('shows anyone, signed in or not, the week\'s counts by day and by sector, small ones withheld, in French or English', { timeout: 60_000 }, async () => {
    // Two days ago: inside the seven whole days before today, whatever the hour.
    const time = new Date(Date.now() - 2 * 86_400_000).toISOString();
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
    expect(await card('incident').textContent()).toBe('6');
    expect(await card('accident').textContent()).toBe('<\u00a05');
    expect(await card('accident').getAttribute('title')).toBe('Entre 1 et 4\u00a0: masqué pour préserver l’anonymat');
    const first = page.getByTestId('public-zone').first();
    expect(await first.locator('th').textContent()).toBe('Vieux-Port');
    expect(await first.locator('td').first().textContent()).toBe('6');
    await page.screenshot({ path: `${SCREENSHOTS}public-1366.png` });
    await page.getByTestId('public-filter').fill('zzz');
    await page.getByText('Aucun secteur ne correspond.').waitFor();
    await page.getByTestId('lang-toggle').click();
    await page.getByRole('heading', { level: 1 }).getByText('Public indicators').waitFor();
    expect(await page.getByTestId('public-period').textContent()).toMatch(/^From \w+ \d+ \w+ to \w+ \d+ \w+ \d{4}: 7 whole days on Marseille’s clock\.$/);
    await page.close();
  });
});
