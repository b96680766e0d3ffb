import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable } from './browser.ts';
import { alertIdFor, assault, postEvents, row, signedIn, consoleSuite } from './operator.ts';

describe.skipIf(!chromiumAvailable())('two operators on the same alerts, live', () => {
  const suite = consoleSuite({ VIGIE_ESCALATION: 'high=10,critical=5' });
  let alice: Page;
  let bob: Page;

  beforeAll(async () => {
    [alice, bob] = await Promise.all([signedIn(suite.browser, suite.node.url, 'operator'), signedIn(suite.browser, suite.node.url, 'supervisor')]);
  }, 60_000);

  it('acknowledge, assign, comment, dismiss: each sees the other act, with the escalation timer until acknowledged', { timeout: 60_000 }, async () => {
    const event = assault(43.2951, 5.374);
    await postEvents(suite.node.url, [event]);
    const id = await alertIdFor(suite.node.url, event.id);
    for (const p of [alice, bob]) await row(p, id).waitFor({ timeout: 10_000 });
    // open and not acknowledged: both see the time left before it escalates
    for (const p of [alice, bob]) expect(await row(p, id).getByTestId('ack-timer').textContent()).toMatch(/escalade dans (9|10)\u00a0min\u00a0\d\d\u00a0s/);

    await row(alice, id).click();
    await alice.getByTestId('alert-ack').click();
    await row(bob, id, '[data-status="acknowledged"]').waitFor({ timeout: 5000 });
    expect(await row(bob, id).getByTestId('ack-timer').count()).toBe(0);

    await row(bob, id).click();
    await bob.getByTestId('assign-input').fill('Équipe VTT');
    await bob.getByTestId('assign-send').click();
    await alice.waitForFunction(() => document.querySelector('[data-testid="detail-assignee"]')?.textContent === 'Équipe VTT', undefined, { timeout: 5000 });

    await alice.getByTestId('comment-input').fill('Patrouille sur place, deux témoins');
    await alice.getByTestId('comment-send').click();
    await bob.getByTestId('comments').getByText('Patrouille sur place, deux témoins').waitFor({ timeout: 5000 });
    expect(await bob.getByTestId('comments').textContent()).toContain('operator');

    await bob.getByTestId('alert-dismiss').click();
    await bob.getByTestId('dismiss-reason-already_handled').check();
    await bob.getByTestId('dismiss-note').fill('traité par la police nationale');
    await bob.getByTestId('dismiss-confirm').click();
    for (const p of [alice, bob]) await row(p, id).waitFor({ state: 'detached', timeout: 5000 });
    // the detail stays open on the closed alert, with its whole history
    expect(await alice.getByTestId('alert-detail-status').textContent()).toBe('Écartée');
    const history = await alice.getByTestId('alert-detail').textContent();
    for (const step of ['Déclenchée', 'Prise en compte', 'Assignée', 'Commentaire', 'Écartée', 'traité par la police nationale']) expect(history).toContain(step);
  });

  it('a supervisor silences a rule until the alert is resolved: new alerts of it are held back, shown on demand', { timeout: 60_000 }, async () => {
    const first = assault(43.3101, 5.3901);
    await postEvents(suite.node.url, [{ ...first, type: 'accident.car', severity: 5 }]);
    const id = await alertIdFor(suite.node.url, first.id);
    await row(bob, id).click();
    await bob.getByTestId('silence-toggle').click();
    await bob.getByTestId('silence-reason').fill('Exercice de sécurité civile');
    await bob.getByTestId('silence-send').click();
    await bob.getByTestId('alert-notice').filter({ hasText: 'Silence enregistré' }).waitFor({ timeout: 5000 });

    const second = { ...assault(43.3111, 5.3911), type: 'accident.car', severity: 5 };
    await postEvents(suite.node.url, [second]);
    const held = await alertIdFor(suite.node.url, second.id);
    await alice.waitForTimeout(1000);
    expect(await row(alice, held).count()).toBe(0);
    await alice.getByTestId('filters-toggle').click();
    await alice.getByTestId('filter-silenced').check();
    await row(alice, held, '.silenced').waitFor({ timeout: 5000 });
    expect(await row(alice, held).textContent()).toContain('Silencée');
    await alice.getByTestId('filter-silenced').uncheck();
    await alice.getByTestId('filters-toggle').click();
  });

  it('filters and groups the queue; the zones count their alerts', { timeout: 60_000 }, async () => {
    const events = [assault(43.2951, 5.374), assault(43.3001, 5.4001), assault(43.2850, 5.3850)];
    await postEvents(suite.node.url, events);
    const ids = await Promise.all(events.map((e) => alertIdFor(suite.node.url, e.id)));
    for (const id of ids) await row(alice, id).waitFor({ timeout: 10_000 });
    // the zones layer labels each zone with its live number of active alerts
    await alice.waitForFunction(() => [...document.querySelectorAll('.zone-label')].some((l) => / · \d+$/.test(l.textContent ?? '')), undefined, { timeout: 5000 });
    await alice.getByTestId('filters-toggle').click();
    await alice.getByTestId('queue-grouping').selectOption('zone');
    expect(await alice.getByTestId('queue-group').count()).toBeGreaterThan(1);
    await alice.getByTestId('queue-grouping').selectOption('none');
    const markers = () => alice.evaluate(() => Number(document.querySelector('[data-alert-markers]')?.getAttribute('data-alert-markers')));
    expect(await markers()).toBeGreaterThanOrEqual(3);
    await alice.getByTestId('filter-severity-info').click();
    await alice.getByTestId('queue-no-match').waitFor();
    // The map shows what the queue shows: nothing matches, no alert on the map.
    await expect.poll(markers).toBe(0);
    await alice.getByTestId('filter-clear').click();
    for (const id of ids) await row(alice, id).waitFor();
    await expect.poll(markers).toBeGreaterThanOrEqual(3);
    // The rule filter names the rules by their titles (the queue knows only their ids).
    await expect.poll(() => alice.locator('[data-testid="filter-rule"] option[value="assault-injured"]').textContent(), { timeout: 5000 }).toBe('Agression avec blessé');
  });
});
