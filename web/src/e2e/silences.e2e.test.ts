import { describe, expect, it } from 'vitest';
import { chromiumAvailable, SCREENSHOTS } from './browser.ts';
import { alertIdFor, assault, consoleSuite, postEvents, openArea, signedIn } from './operator.ts';

describe.skipIf(!chromiumAvailable())('the silences page in Chromium', () => {
  const suite = consoleSuite({}, 60_000);

  it('a supervisor goes from an alert\'s detail to its rule', { timeout: 60_000 }, async () => {
    const event = assault();
    await postEvents(suite.node.url, [event]);
    const alertId = await alertIdFor(suite.node.url, event.id);
    const page = await signedIn(suite.browser, suite.node.url, 'supervisor');
    await page.locator(`[data-testid="alert-row"][data-alert-id="${alertId}"]`).click();
    await page.getByTestId('alert-detail').getByTestId('detail-rule-link').click();
    await page.waitForURL(/\/rules\/assault-injured$/);
    await page.getByTestId('rule-in-force').waitFor();
  });

  it('a supervisor reaches it from the console, silences a rule with a reason, and ends it', { timeout: 60_000 }, async () => {
    const page = await signedIn(suite.browser, suite.node.url, 'supervisor');
    await openArea(page, 'rules');
    await page.getByTestId('rules-nav').getByText('Silences').click();
    await page.getByTestId('silences-empty').waitFor();
    const form = page.getByTestId('silence-new');
    await form.locator('input').first().fill('incident-cluster');
    await form.locator('input').last().fill('Exercice au Vieux-Port');
    await form.getByRole('button').click();
    const row = page.getByTestId('silence-row');
    await row.waitFor();
    expect(await row.textContent()).toContain('Exercice au Vieux-Port');
    await page.screenshot({ path: `${SCREENSHOTS}silences-1920.png` });
    await row.getByRole('button').click();
    await page.getByTestId('silences-empty').waitFor();
  });

  it('a new silence holds back the alerts already active that it covers, and says how many', { timeout: 60_000 }, async () => {
    const event = assault();
    await postEvents(suite.node.url, [event]);
    const alertId = await alertIdFor(suite.node.url, event.id);
    const page = await signedIn(suite.browser, suite.node.url, 'supervisor');
    await page.goto(`${suite.node.url}/silences`);
    const form = page.getByTestId('silence-new');
    // The rule by the name the console shows it by (its id works too)
    await page.waitForFunction(() => document.querySelectorAll('#silence-rules option').length > 0);
    await form.locator('input').first().fill('agression avec blessé');
    await form.locator('input').last().fill('Manifestation déclarée');
    await form.getByRole('button').click();
    expect(await page.getByTestId('silence-saved').textContent()).toMatch(/^Silence enregistré\u00a0: \d+ alertes? actives? mises? de côté, et les nouvelles concernées le seront\.$/);
    const alert = await page.evaluate(async (id) => (await (await fetch(`/api/v1/alerts/${id}`)).json()) as { silencedBy: string | null; ackDueAt: string | null; history: { action: string; by: string; note?: string }[] }, alertId);
    expect(alert).toMatchObject({ silencedBy: expect.any(String), ackDueAt: null });
    expect(alert.history.at(-1)).toMatchObject({ action: 'silenced', by: 'supervisor', note: 'Manifestation déclarée' });
    const made = page.getByTestId('silence-row').filter({ hasText: 'Manifestation déclarée' });
    expect(await made.textContent()).toMatch(/assault-injured\s*Agression avec blessé/);
    await made.getByRole('button').click();
  });

  it('says what is missing instead of sending nothing, and shows a silence until an alert is resolved as such', { timeout: 60_000 }, async () => {
    const page = await signedIn(suite.browser, suite.node.url, 'supervisor');
    await page.goto(`${suite.node.url}/silences`);
    const form = page.getByTestId('silence-new');
    await form.locator('input').first().fill('incident-cluster');
    await form.locator('input').last().fill('   ');
    await form.getByRole('button').click();
    await page.getByRole('alert').getByText('Renseignez l’identifiant et le motif').waitFor({ timeout: 5000 });
    await form.locator('input').last().fill('Exercice');
    await form.locator('input[type="number"]').fill('');
    await form.getByRole('button').click();
    await page.getByRole('alert').getByText('de 1 à 720 heures').waitFor({ timeout: 5000 });
    // Said again in English when the console switches (not left in the language it was said in).
    await page.getByTestId('lang-toggle').click();
    await page.getByRole('alert').getByText('from 1 to 720 hours').waitFor({ timeout: 5000 });
    await page.getByTestId('lang-toggle').click();
    await form.locator('input[type="number"]').fill('4');
    // A silence until an alert is resolved (taken from the alert's detail in the console), listed with that end.
    const event = assault();
    await postEvents(suite.node.url, [event]);
    const alertId = await alertIdFor(suite.node.url, event.id);
    const csrf = await page.evaluate(async () => ((await (await fetch('/api/v1/auth/me')).json()) as { csrfToken: string }).csrfToken);
    const made = await page.evaluate(async ({ alertId, csrf }) => (await fetch('/api/v1/silences', { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': csrf }, body: JSON.stringify({ matcher: 'rule', value: 'assault-injured', reason: 'Jusqu’à la fin', untilAlert: alertId }) })).status, { alertId, csrf });
    expect(made).toBe(201);
    await page.reload();
    const row = page.getByTestId('silence-row').filter({ hasText: 'Jusqu’à la fin' });
    await row.waitFor();
    expect(await row.textContent()).toContain('la résolution de cette alerte');
  });

  it('an operator sees no link to the rules area and is refused there', { timeout: 60_000 }, async () => {
    const page = await signedIn(suite.browser, suite.node.url, 'operator');
    expect(await page.getByTestId('nav-rules').count()).toBe(0);
    await page.goto(`${suite.node.url}/silences`);
    await page.getByText(/réservée aux superviseurs/).waitFor();
  });
});
