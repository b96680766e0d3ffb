import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable, SCREENSHOTS } from './browser.ts';
import { alertIdFor, assault, postEvents, row, signedIn, consoleSuite } from './operator.ts';

describe.skipIf(!chromiumAvailable())('reopening a dismissed alert', () => {
  const suite = consoleSuite({ VIGIE_ESCALATION: 'high=10,critical=5' });
  let alice: Page;
  let bob: Page;

  beforeAll(async () => {
    [alice, bob] = await Promise.all([
      signedIn(suite.browser, suite.node.url, 'operator', { width: 1366, height: 768 }),
      signedIn(suite.browser, suite.node.url, 'supervisor'),
    ]);
  }, 60_000);

  it('dismissed by mistake, reopened with a reason (kept while the dialog is closed), back in every queue as open', { timeout: 60_000 }, async () => {
    const event = assault(43.2961, 5.3755);
    await postEvents(suite.node.url, [event]);
    const id = await alertIdFor(suite.node.url, event.id);
    for (const p of [alice, bob]) await row(p, id).waitFor({ timeout: 10_000 });

    await row(alice, id).click();
    expect(await alice.getByTestId('alert-reopen').count()).toBe(0); // open: nothing to reopen
    await alice.getByTestId('alert-dismiss').click();
    await alice.getByTestId('dismiss-reason-test').check();
    await alice.getByTestId('dismiss-confirm').click();
    for (const p of [alice, bob]) await row(p, id).waitFor({ state: 'detached', timeout: 5000 });
    expect(await alice.getByTestId('alert-detail-status').textContent()).toBe('Écartée');

    // O asks why; the reason typed stays when the dialog is closed without sending.
    await alice.locator('body').press('o');
    await alice.getByTestId('reopen-dialog').waitFor();
    expect(await alice.getByTestId('reopen-confirm').isDisabled()).toBe(true);
    expect(await alice.getByTestId('reopen-required').textContent()).toBe('Indiquez la raison pour rouvrir.');
    await alice.getByTestId('reopen-note').fill('Écartée par erreur');
    await alice.keyboard.press('Escape');
    await alice.getByTestId('reopen-dialog').waitFor({ state: 'hidden' });
    await alice.getByTestId('alert-reopen').click();
    expect(await alice.getByTestId('reopen-note').inputValue()).toBe('Écartée par erreur');
    await alice.getByTestId('reopen-note').fill('Écartée par erreur : la rixe continue, témoin rappelle');
    await alice.screenshot({ path: `${SCREENSHOTS}reopen-dialog-1366.png` });
    await alice.getByTestId('reopen-confirm').click();

    // Back in the default queue of both consoles, open, with its escalation timer running again.
    for (const p of [alice, bob]) await row(p, id, '[data-status="open"]').waitFor({ timeout: 5000 });
    expect(await row(bob, id).getByTestId('ack-timer').textContent()).toMatch(/escalade dans (9|10)\u00a0min\u00a0\d\d\u00a0s/);
    expect(await alice.getByTestId('alert-detail-status').textContent()).toBe('Ouverte');
    expect(await alice.getByTestId('alert-ack').isEnabled()).toBe(true);
    expect(await alice.getByTestId('alert-reopen').count()).toBe(0);
    const history = await alice.getByTestId('alert-detail').textContent();
    for (const step of ['Écartée', 'Rouverte', 'la rixe continue, témoin rappelle']) expect(history).toContain(step);
    await alice.screenshot({ path: `${SCREENSHOTS}reopen-done-1366.png` });

    // Dismissed again, the dialog starts empty: the reason went once the server had it.
    await alice.getByTestId('alert-dismiss').click();
    await alice.getByTestId('dismiss-reason-duplicate').check();
    await alice.getByTestId('dismiss-confirm').click();
    await row(alice, id).waitFor({ state: 'detached', timeout: 5000 });
    await alice.getByTestId('alert-reopen').click();
    expect(await alice.getByTestId('reopen-note').inputValue()).toBe('');
    await alice.keyboard.press('Escape');
  });

  it('a console showing a resolved alert sees it come back open when someone else reopens it', { timeout: 60_000 }, async () => {
    const event = assault(43.3021, 5.3801);
    await postEvents(suite.node.url, [event]);
    const id = await alertIdFor(suite.node.url, event.id);
    await row(bob, id).waitFor({ timeout: 10_000 });
    await row(bob, id).click();
    await bob.getByTestId('alert-resolve').click();
    await bob.getByTestId('alert-detail-status').filter({ hasText: 'Résolue' }).waitFor({ timeout: 5000 });
    await bob.getByTestId('alert-reopen').waitFor();
    await bob.screenshot({ path: `${SCREENSHOTS}reopen-button-1920.png` });
    // A supervisor elsewhere reopens it (through the API, as another console would).
    const login = await fetch(`${suite.node.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'admin' }) });
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const headers = { cookie: login.headers.get('set-cookie')!.split(';')[0]!, 'content-type': 'application/json', 'x-csrf-token': csrfToken };
    const current = (await (await fetch(`${suite.node.url}/api/v1/alerts/${id}`, { headers })).json()) as { version: number };
    const done = await fetch(`${suite.node.url}/api/v1/alerts/${id}/reopen`, { method: 'POST', headers, body: JSON.stringify({ version: current.version, note: 'rappel du témoin' }) });
    expect(done.status).toBe(200);
    await row(bob, id, '[data-status="open"]').waitFor({ timeout: 5000 });
    expect(await bob.getByTestId('alert-detail-status').textContent()).toBe('Ouverte');
    expect(await bob.getByTestId('alert-detail').textContent()).toContain('rappel du témoin');
    await bob.screenshot({ path: `${SCREENSHOTS}reopen-live-1920.png` });
  });
});
