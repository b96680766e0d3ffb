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
    // Said at the password, read out with it (aria-invalid, aria-describedby), and it takes the focus.
    const passwordInput = form.locator('input[name="password"]');
    await page.getByTestId('account-new-password-error').getByText('12 caractères au moins').waitFor();
    expect(await passwordInput.getAttribute('aria-invalid')).toBe('true');
    expect(await passwordInput.getAttribute('aria-describedby')).toBe('account-new-password-error');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('password');
    expect(await page.getByTestId('accounts-error').count()).toBe(0); // nothing at the top of the section
    await passwordInput.fill('Vieux-Port 2026 nuit');
    expect(await page.getByTestId('account-new-password-error').count()).toBe(0); // typed again: the complaint goes
    expect(await passwordInput.getAttribute('aria-invalid')).toBeNull();
    await form.getByRole('button').click();
    await page.getByTestId('accounts-notice').getByText('Compte j.dupont créé').waitFor();
    // The same name again: said once, in words, at the username, and again in English when the console switches.
    await form.locator('input[name="username"]').fill('j.dupont');
    await form.locator('input[name="displayName"]').fill('Jeanne Dupont');
    await form.locator('input[name="password"]').fill('Vieux-Port 2026 nuit');
    await form.getByRole('button').click();
    const usernameError = page.getByTestId('account-new-username-error');
    await usernameError.waitFor();
    expect(await usernameError.textContent()).toBe('Un compte porte déjà cet identifiant');
    expect(await form.locator('input[name="username"]').getAttribute('aria-invalid')).toBe('true');
    await page.getByTestId('lang-toggle').click();
    await usernameError.getByText('An account with this username exists').waitFor();
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

  it('a username the server would refuse is said at its field with the rule, before sending; so is a short password typed in a row, beside it', { timeout: 60_000 }, async () => {
    const page = await signedIn(suite.browser, suite.node.url, 'admin');
    page.on('dialog', (d) => void d.accept());
    const sent: string[] = [];
    page.on('request', (r) => { if (/\/api\/v1\/users/.test(r.url()) && r.method() !== 'GET') sent.push(`${r.method()} ${r.url()}`); });
    await page.goto(`${suite.node.url}/accounts`);
    await page.getByTestId('accounts-table').waitFor();
    const form = page.getByTestId('account-new');
    const usernameInput = form.locator('input[name="username"]');
    await usernameInput.fill('Jean Dupont');
    await form.locator('input[name="password"]').fill('Vieux-Port 2026 nuit');
    await form.getByRole('button').click();
    const usernameError = page.getByTestId('account-new-username-error');
    await usernameError.waitFor();
    expect(await usernameError.textContent()).toBe('Identifiant\u00a0: de 2 à 64 caractères parmi les minuscules sans accent, les chiffres, «\u00a0.\u00a0», «\u00a0_\u00a0» et «\u00a0-\u00a0», sans espace, le premier une lettre ou un chiffre. Par exemple\u00a0: jean.dupont');
    expect(await usernameInput.getAttribute('aria-invalid')).toBe('true');
    expect(await usernameInput.getAttribute('aria-describedby')).toBe(await usernameError.getAttribute('id'));
    // The display name left empty: said at its own field, at the same time.
    const nameInput = form.locator('input[name="displayName"]');
    expect(await page.getByTestId('account-new-displayName-error').textContent()).toBe('Nom affiché\u00a0: à renseigner.');
    expect(await nameInput.getAttribute('aria-invalid')).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('username'); // the first field in error
    // Under its field, not at the top of the section.
    const input = (await usernameInput.boundingBox())!;
    const said = (await usernameError.boundingBox())!;
    expect(said.y - (input.y + input.height)).toBeLessThan(12);
    expect(Math.abs(said.x - input.x)).toBeLessThan(4);
    expect(sent).toEqual([]); // checked in the browser: nothing sent
    expect(await page.getByTestId('accounts-error').count()).toBe(0);
    await page.screenshot({ path: `${SCREENSHOTS}accounts-badname-fr.png`, fullPage: true });

    // A new password too short, typed in an account's row: said beside it, not above the table.
    const row = page.locator('[data-testid="account-row"][data-username="operator"]');
    await row.getByRole('button', { name: 'Nouveau mot de passe' }).click();
    const reset = page.getByTestId('account-reset');
    const newPassword = reset.getByTestId('account-reset-password');
    await newPassword.fill('court');
    await reset.getByRole('button', { name: 'Enregistrer' }).click();
    const resetError = reset.getByTestId('account-reset-error');
    await resetError.waitFor();
    expect(await resetError.textContent()).toContain('12 caractères au moins');
    expect(await newPassword.getAttribute('aria-invalid')).toBe('true');
    expect((await newPassword.getAttribute('aria-describedby'))!.split(' ')).toContain(await resetError.getAttribute('id'));
    const box = (await newPassword.boundingBox())!;
    const reason = (await resetError.boundingBox())!;
    expect(reason.y - (box.y + box.height)).toBeLessThan(12);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('account-reset-password');
    await page.screenshot({ path: `${SCREENSHOTS}accounts-reset-short-fr.png`, fullPage: true });
    expect(sent).toEqual([]);
    await page.context().close();
  });

  it('the role menu always shows the stored role: after a cancel, and after the server\'s refusal (the last administrator), said beside it in French only', { timeout: 60_000 }, async () => {
    const page = await signedIn(suite.browser, suite.node.url, 'admin');
    const patched: string[] = [];
    page.on('request', (r) => { if (r.method() === 'PATCH') patched.push(r.url()); });
    await page.goto(`${suite.node.url}/accounts`);
    await page.getByTestId('accounts-table').waitFor();
    const operator = page.locator('[data-testid="account-row"][data-username="operator"]').getByTestId('account-role');
    expect(await operator.inputValue()).toBe('operator');
    // Given the administrator's role, then cancelled in the confirm box: back to operator, nothing sent.
    const asked: string[] = [];
    page.once('dialog', (d) => { asked.push(d.message()); void d.dismiss(); });
    await operator.selectOption('admin');
    await expect.poll(() => asked.length).toBe(1);
    expect(asked[0]).toContain('Administrateur');
    await expect.poll(() => operator.inputValue()).toBe('operator');
    expect(patched).toEqual([]);
    // The only administrator demoted: the server refuses, the menu goes back to administrator, the refusal beside it.
    const admin = page.locator('[data-testid="account-row"][data-username="admin"]');
    const adminRole = admin.getByTestId('account-role');
    page.once('dialog', (d) => void d.accept());
    await adminRole.selectOption('operator');
    const refusal = admin.getByTestId('account-role-error');
    await refusal.waitFor();
    expect(patched).toHaveLength(1);
    expect(await refusal.textContent()).toBe('Ce serait laisser la ville sans administrateur actif\u00a0: donnez d’abord le rôle administrateur à un autre compte');
    expect(await refusal.textContent()).not.toMatch(/administrator|Rôle/);
    await expect.poll(() => adminRole.inputValue()).toBe('admin');
    expect(await adminRole.getAttribute('aria-invalid')).toBe('true');
    expect(await adminRole.getAttribute('aria-describedby')).toBe(await refusal.getAttribute('id'));
    expect(await page.getByTestId('accounts-error').count()).toBe(0);
    // Still so once the list is read again (the page reloaded), and the refusal in English when the console switches.
    expect(await admin.locator('select option:checked').textContent()).toBe('Administrateur');
    await page.getByTestId('lang-toggle').click();
    expect(await refusal.textContent()).toBe('This would leave the city without an enabled administrator: give another account the admin role first');
    await page.getByTestId('lang-toggle').click();
    await page.screenshot({ path: `${SCREENSHOTS}accounts-lastadmin-fr.png`, fullPage: true });
    await page.reload();
    await page.getByTestId('accounts-table').waitFor();
    expect(await page.locator('[data-testid="account-row"][data-username="admin"]').getByTestId('account-role').inputValue()).toBe('admin');
    await page.context().close();
  });

  it('a feed token’s sources the server would refuse are named, with the rule, before sending', { timeout: 60_000 }, async () => {
    const page = await signedIn(suite.browser, suite.node.url, 'admin');
    const posted: string[] = [];
    page.on('request', (r) => { if (r.method() === 'POST' && r.url().includes('/feed-tokens')) posted.push(r.url()); });
    await page.goto(`${suite.node.url}/accounts`);
    const feed = page.getByTestId('token-new-feed');
    await feed.locator('input[name="name"]').fill('Export RTM et CSU');
    const sourcesInput = feed.locator('input[name="sources"]');
    await sourcesInput.fill('csu, Bad Source!');
    await feed.getByRole('button').click();
    const said = feed.getByTestId('token-new-sources-error');
    await said.waitFor();
    const text = (await said.textContent())!;
    expect(text).toMatch(/^Sources refusées\u00a0: «\u00a0Bad\u00a0», «\u00a0Source!\u00a0»\. Une source s’écrit en minuscules sans accent/);
    expect(text).not.toMatch(/sources\.\d|format incorrect/);
    expect(await sourcesInput.getAttribute('aria-invalid')).toBe('true');
    expect(await sourcesInput.getAttribute('aria-describedby')).toBe(await said.getAttribute('id'));
    expect(posted).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}accounts-feedtoken-fr.png`, fullPage: true });
    await sourcesInput.fill('csu, rtm');
    expect(await said.count()).toBe(0);
    await feed.getByRole('button').click();
    await page.getByTestId('token-made-feed').waitFor();
    expect(posted).toHaveLength(1);
    await page.context().close();
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
