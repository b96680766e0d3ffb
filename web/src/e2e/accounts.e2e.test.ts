import { describe, expect, it } from 'vitest';
import { chromiumAvailable, SCREENSHOTS } from './browser.ts';
import { consoleSuite, openArea, signedIn } from './operator.ts';

describe.skipIf(!chromiumAvailable())('the accounts page in Chromium', () => {
  const suite = consoleSuite({}, 60_000);

  it('an administrator makes an account (the form says what is wrong first), and the new account signs in', { timeout: 60_000 }, async () => {
    const page = await signedIn(suite.browser, suite.node.url, 'admin');
    page.on('dialog', (d) => void d.accept());
    await openArea(page, 'accounts');
    await page.getByTestId('accounts-table').waitFor();
    expect(await page.getByTestId('account-row').count()).toBe(3);
    const form = page.getByTestId('account-new');
    await form.locator('input[name="username"]').fill('j.dupont');
    await form.locator('input[name="displayName"]').fill('Jeanne Dupont');
    await form.locator('select[name="role"]').selectOption('supervisor');
    await form.locator('input[name="password"]').fill('court');
    await form.getByRole('button').click();
    await page.getByTestId('accounts-error').getByText('12 caractères au moins').waitFor();
    await form.locator('input[name="password"]').fill('Vieux-Port 2026 nuit');
    await form.getByRole('button').click();
    await page.getByTestId('accounts-notice').getByText('Compte j.dupont créé').waitFor();
    // The same name again: said once, in words, and again in English when the console switches.
    await form.locator('input[name="username"]').fill('j.dupont');
    await form.locator('input[name="displayName"]').fill('Jeanne Dupont');
    await form.locator('input[name="password"]').fill('Vieux-Port 2026 nuit');
    await form.getByRole('button').click();
    expect(await page.getByTestId('accounts-error').textContent()).toBe('Un compte porte déjà cet identifiant');
    await page.getByTestId('lang-toggle').click();
    await page.getByTestId('accounts-error').getByText('An account with this username exists').waitFor();
    await page.getByTestId('lang-toggle').click();
    await form.locator('input[name="username"]').fill('');
    await form.locator('input[name="displayName"]').fill('');
    await form.locator('input[name="password"]').fill('');
    const row = page.locator('[data-testid="account-row"][data-username="j.dupont"]');
    expect(await row.textContent()).toContain('Jeanne Dupont');
    await page.screenshot({ path: `${SCREENSHOTS}accounts-1920.png`, fullPage: true });

    const other = await (await suite.browser.newContext({ viewport: { width: 1280, height: 720 } })).newPage();
    await other.goto(`${suite.node.url}/login`);
    await other.getByTestId('login-username').fill('j.dupont');
    await other.getByTestId('login-password').fill('Vieux-Port 2026 nuit');
    await other.getByTestId('login-submit').click();
    await other.waitForSelector('[data-testid="connection-status"][data-state="connected"]', { timeout: 20_000 });
    expect(await other.getByTestId('current-user').getAttribute('data-role')).toBe('supervisor');

    // Disabled: the open console is signed out (its live link closes, the next call goes to sign-in).
    await row.getByTestId('account-toggle').click();
    await page.getByTestId('accounts-notice').getByText('j.dupont désactivé').waitFor();
    await other.waitForURL(/\/login/, { timeout: 20_000 });
  });

  it('a feed token is shown once and works until revoked; a wall screen\'s address opens the wall, which goes dark when revoked', { timeout: 90_000 }, async () => {
    const page = await signedIn(suite.browser, suite.node.url, 'admin');
    page.on('dialog', (d) => void d.accept());
    await page.goto(`${suite.node.url}/accounts`);
    const feed = page.getByTestId('token-new-feed');
    await feed.locator('input[name="name"]').fill('Export CSU');
    await feed.locator('input[name="sources"]').fill('csu');
    await feed.getByRole('button').click();
    const token = await page.getByTestId('token-made-feed').getByTestId('token-secret').inputValue();
    expect(token.length).toBeGreaterThan(30);
    const send = (id: string) => fetch(`${suite.node.url}/api/v1/events`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ id, source: 'csu', type: 'incident.other', time: new Date().toISOString() }),
    });
    expect((await send('tok-1')).status).toBe(202);
    const row = page.getByTestId('token-row-feed').filter({ hasText: 'Export CSU' });
    expect(await row.textContent()).toContain('csu');
    await row.getByRole('button', { name: 'Révoquer' }).click();
    await row.waitFor({ state: 'detached' });
    expect((await send('tok-2')).status).toBe(401);

    const display = page.getByTestId('token-new-display');
    await display.locator('input[name="name"]').fill('Salle de crise, écran 2');
    await display.getByRole('button').click();
    const address = await page.getByTestId('token-made-display').getByTestId('token-secret').inputValue();
    expect(address).toMatch(/\/wall\?token=/);
    await page.screenshot({ path: `${SCREENSHOTS}accounts-tokens-1920.png`, fullPage: true });
    const wall = await (await suite.browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
    await wall.goto(address);
    await wall.locator('[data-testid="wall-root"][data-state="ready"]').waitFor({ timeout: 20_000 });
    const screen = page.getByTestId('token-row-display').filter({ hasText: 'Salle de crise' });
    await screen.getByRole('button', { name: 'Révoquer' }).click();
    await screen.waitFor({ state: 'detached' });
    await wall.getByTestId('wall-refused').waitFor({ timeout: 10_000 });
  });

  it('on a laptop\'s screen the other pages are in the top bar\'s menu, and the bar fits the window', { timeout: 60_000 }, async () => {
    const page = await signedIn(suite.browser, suite.node.url, 'admin', { width: 1280, height: 720 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
    expect(await page.getByTestId('nav-accounts').isVisible()).toBe(false);
    await page.getByTestId('topbar-menu').locator('summary').click();
    await page.keyboard.press('Escape');
    expect(await page.getByTestId('menu-accounts').isVisible()).toBe(false);
    await page.getByTestId('topbar-menu').locator('summary').click();
    await page.getByTestId('menu-accounts').click();
    await page.getByTestId('accounts-page').waitFor();
  });

  it('on a 1920 px control-room screen an administrator\'s bar fits the window, its pages in the menu', { timeout: 60_000 }, async () => {
    const page = await signedIn(suite.browser, suite.node.url, 'admin', { width: 1920, height: 1080 });
    const bar = await page.evaluate(() => ({ scroll: document.querySelector('header.topbar')!.scrollWidth, logout: document.querySelector('[data-testid="logout"]')!.getBoundingClientRect().right }));
    expect(bar.scroll).toBeLessThanOrEqual(1920);
    expect(bar.logout).toBeLessThanOrEqual(1920);
    expect(await page.getByTestId('nav-accounts').isVisible()).toBe(false);
    await page.getByTestId('topbar-menu').locator('summary').click();
    await page.getByTestId('menu-accounts').click();
    await page.getByTestId('accounts-page').waitFor();
    await page.context().close();
  });

  it('says Chargement… while its lists are on their way, never an empty table or "no token"', { timeout: 60_000 }, async () => {
    const page = await signedIn(suite.browser, suite.node.url, 'admin');
    // Hold the three lists' answers until the page has been looked at.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route(/\/api\/v1\/(users|feed-tokens|display-tokens)$/, async (route) => {
      await held;
      await route.continue();
    });
    await page.goto(`${suite.node.url}/accounts`);
    const loading = page.getByTestId('accounts-page').locator('[aria-busy="true"]');
    await expect.poll(() => loading.count()).toBe(3);
    expect(await loading.first().textContent()).toBe('Chargement…');
    expect(await page.getByTestId('accounts-table').count()).toBe(0);
    expect(await page.getByTestId('tokens-empty-feed').count()).toBe(0);
    expect(await page.getByTestId('tokens-empty-display').count()).toBe(0);
    release();
    await page.getByTestId('accounts-table').waitFor();
    await expect.poll(() => loading.count()).toBe(0);
  });

  it('a supervisor sees no link to it and is refused there', { timeout: 60_000 }, async () => {
    const page = await signedIn(suite.browser, suite.node.url, 'supervisor');
    expect(await page.getByTestId('nav-accounts').count()).toBe(0);
    await page.goto(`${suite.node.url}/accounts`);
    await page.getByText('réservée aux administrateurs').waitFor();
  });
});
