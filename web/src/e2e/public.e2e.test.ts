import { describe, expect, it } from 'vitest';
import type { PublicIndicators } from '@vigie/rules';
import { chromiumAvailable, SCREENSHOTS } from './browser.ts';
import { consoleSuite, postEvents } from './operator.ts';

describe.skipIf(!chromiumAvailable())('the public page in Chromium', () => {
  const suite = consoleSuite();

  it('shows anyone, signed in or not, the published week by day and by sector, on a map and in tables, in French or English', { timeout: 60_000 }, async () => {
    // Today's events are not in the week published (the last whole one): the page shows what the API says, whatever it is.
    await postEvents(suite.node.url, [{ id: 'public-today', source: 'csu', type: 'incident.theft', time: new Date().toISOString(), location: { lat: 43.2951, lon: 5.374 } }]);
    const api = (await (await fetch(`${suite.node.url}/api/v1/public/indicators`)).json()) as PublicIndicators;
    const page = await suite.browser.newPage({ viewport: { width: 1366, height: 768 } });
    // The figures not coming at first: said, in the page's language, with a way to ask again.
    await page.route('**/api/v1/public/indicators', (route) => route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'VIGIE_UNAVAILABLE', message: 'database: down' } }) }));
    await page.goto(`${suite.node.url}/login`);
    await page.getByTestId('login-public').click();
    await page.locator('[data-testid="public-page"][data-state="failed"]').waitFor({ timeout: 20_000 });
    expect(await page.getByRole('alert').textContent()).toMatch(/^Les indicateurs ne sont pas disponibles pour l’instant\u00a0: .+ Réessayer$/);
    await page.unroute('**/api/v1/public/indicators');
    await page.getByRole('button', { name: 'Réessayer' }).click();
    await page.locator('[data-testid="public-page"][data-state="ready"]').waitFor({ timeout: 20_000 });
    expect(page.url()).toMatch(/\/public$/); // no sign-in asked
    for (const c of api.categories) {
      const total = page.locator(`[data-testid="public-card"][data-category="${c}"] .total`);
      expect(await total.textContent()).toBe(api.totals[c].toLocaleString('fr-FR'));
    }
    const top = [...api.zones].filter((z) => z.kind === api.zones[0]!.kind).sort((a, b) => b.counts.incident - a.counts.incident || a.name.localeCompare(b.name, 'fr'))[0]!;
    const first = page.getByTestId('public-zone').first();
    expect(await first.locator('th').textContent()).toBe(top.name);
    expect(await first.locator('td').first().getAttribute('title')).toMatch(/^Arrondi au hasard\u00a0: de \d+ à \d+$/);
    // The map draws the sectors of the division shown, coloured by the category picked on a card.
    const zonesShown = api.zones.filter((z) => z.kind === top.kind).length;
    await page.locator(`[data-testid="public-map"][data-category="incident"][data-zones="${zonesShown}"]`).waitFor();
    await page.locator('[data-testid="public-card"][data-category="accident"]').click();
    await page.locator('[data-testid="public-map"][data-category="accident"]').waitFor();
    expect(await page.getByTestId('public-map').locator('path.leaflet-interactive').count()).toBe(zonesShown);
    await page.screenshot({ path: `${SCREENSHOTS}public-1366.png`, fullPage: true });
    await page.getByTestId('public-filter').fill('zzz');
    await page.getByText('Aucun secteur ne correspond.').waitFor();
    await page.getByTestId('lang-toggle').click();
    await page.getByRole('heading', { level: 1 }).getByText('Public indicators').waitFor();
    expect(await page.getByTestId('public-period').textContent()).toMatch(/^Week of Monday \d+ \w+ to Sunday \d+ \w+ \d{4}, on Marseille’s clock; published the Monday after at 6 am\.$/);
    expect(await page.getByTestId('public-period').textContent()).toContain(api.to.slice(0, 4));
    await page.close();
  });
});
