import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable } from './browser.ts';
import { assault, consoleSuite, postEvents, signedIn } from './operator.ts';

type Violation = { directive: string; blocked: string };
declare global { interface Window { __csp: Violation[] } }

/** Records every CSP violation of the page, from its first script on. */
async function watchViolations(page: Page): Promise<void> {
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push({ directive: e.effectiveDirective, blocked: e.blockedURI }));
  });
}

const violations = (page: Page) => page.evaluate(() => window.__csp);

describe.skipIf(!chromiumAvailable())('Content-Security-Policy', () => {
  const suite = consoleSuite();

  it('every page of the console runs under the policy without a violation, and an injected script is blocked', async () => {
    const { url } = suite.node;
    await postEvents(url, [assault(43.2965, 5.3698), assault(43.30, 5.38)]);
    const page = await signedIn(suite.browser, url, 'admin');
    await watchViolations(page);
    for (const path of ['/', '/rules', '/rules/assault-injured', '/silences', '/import', '/events', '/wall?token=demo-wall', '/nowhere']) {
      const res = await page.goto(`${url}${path}`);
      expect(res!.headers()['content-security-policy'], path).toMatch(/script-src 'self' 'sha256-[^']+'/);
      await page.waitForLoadState('load');
      await page.waitForTimeout(800); // the live link, the map and the lists load after the shell
      expect(await violations(page), path).toEqual([]);
    }
    // An address that leads nowhere says so in French, with the way back.
    expect(await page.getByTestId('error-page').textContent()).toContain('Page introuvable');
    await page.getByTestId('error-page').getByRole('link', { name: '← Revenir à la console' }).waitFor();
    // The policy is enforced: an inline handler slipped into the page does not run.
    const ran = await page.evaluate(async () => {
      (window as unknown as { pwned: boolean }).pwned = false;
      document.body.insertAdjacentHTML('beforeend', '<img src="data:," onload="window.pwned = true">');
      await new Promise((r) => setTimeout(r, 200));
      return (window as unknown as { pwned: boolean }).pwned;
    });
    expect(ran).toBe(false);
    expect((await violations(page)).map((v) => v.directive)).toContain('script-src-attr');
    await page.context().close();
  }, 60_000);
});
