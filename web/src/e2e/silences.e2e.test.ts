import { describe, expect, it } from 'vitest';
import { chromiumAvailable, SCREENSHOTS } from './browser.ts';
import { consoleSuite, signedIn } from './operator.ts';

describe.skipIf(!chromiumAvailable())('the silences page in Chromium', () => {
  const suite = consoleSuite({}, 60_000);

  it('a supervisor reaches it from the console, silences a rule with a reason, and ends it', { timeout: 60_000 }, async () => {
    const page = await signedIn(suite.browser, suite.node.url, 'supervisor');
    await page.getByTestId('nav-rules').click();
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

  it('an operator sees no link to the rules area and is refused there', { timeout: 60_000 }, async () => {
    const page = await signedIn(suite.browser, suite.node.url, 'operator');
    expect(await page.getByTestId('nav-rules').count()).toBe(0);
    await page.goto(`${suite.node.url}/silences`);
    await page.getByText(/réservée aux superviseurs/).waitFor();
  });
});
