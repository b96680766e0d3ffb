import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable, SCREENSHOTS } from './browser.ts';
import { assault, consoleSuite, postEvents, openArea, signedIn } from './operator.ts';

const FEED_TOKEN = { authorization: 'Bearer demo-feed-token' };

/** A message in a standard format, pushed with the demo feed token; answers its dead letter's id when one was kept. */
async function push(url: string, format: string, source: string, body: string, contentType: string): Promise<number> {
  const res = await fetch(`${url}/api/v1/ingest/${format}?source=${source}`, { method: 'POST', headers: { ...FEED_TOKEN, 'content-type': contentType }, body });
  const answer = (await res.json()) as { error?: { details?: { deadLetter?: number } } };
  const id = answer.error?.details?.deadLetter;
  if (typeof id !== 'number') throw new Error(`no dead letter kept: ${res.status} ${JSON.stringify(answer)}`);
  return id;
}

const deadRow = (page: Page, id: number) => page.locator(`[data-testid="dead-letter-row"][data-id="${id}"]`);

describe.skipIf(!chromiumAvailable())('the feeds page in Chromium', () => {
  const suite = consoleSuite({ VIGIE_FEED_ALLOW_HOSTS: '127.0.0.1' }, 60_000);

  it('an admin reaches it from the top bar, follows the feeds live, configures a polled feed (a bad URL refused beside its field), and replays dead letters', { timeout: 150_000 }, async () => {
    const url = suite.node.url;
    await postEvents(url, [assault()]);
    const page = await signedIn(suite.browser, url, 'admin');
    await openArea(page, 'feeds');
    await page.getByTestId('feeds-page').waitFor();
    await page.locator('[data-testid="feed-row"][data-source="csu"]').waitFor();
    await page.waitForSelector('[data-testid="feeds-live"][data-live="true"]');

    // A feed that speaks after the page opened shows up without a reload (feed:health, every 10 s).
    await postEvents(url, [{ ...assault(), source: 'e2e-live' }]);
    const liveRow = page.locator('[data-testid="feed-row"][data-source="e2e-live"]');
    await liveRow.waitFor({ timeout: 20_000 });
    expect(await liveRow.getAttribute('data-status')).toBe('ok');

    // A polled GTFS-RT feed: the server's refusals beside their fields, in French.
    await page.getByTestId('config-new-poll').click();
    const dialog = page.getByTestId('config-dialog');
    await dialog.waitFor();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('id'); // the first field takes the focus
    await page.getByTestId('config-id').fill('rtm-vp');
    await page.getByTestId('config-source').fill('rtm-vp');
    await page.getByTestId('config-url').fill('ftp://rtm.example/vp.pb');
    await page.getByTestId('config-interval').fill('0');
    await page.getByTestId('config-save').click();
    const urlError = page.getByTestId('config-error-url');
    await urlError.waitFor();
    expect(await urlError.textContent()).toBe('une adresse complète en http:// ou https://');
    expect(await page.getByTestId('config-error-intervalSeconds').textContent()).toBe('au moins 1');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('url'); // the first refused field
    await page.screenshot({ path: `${SCREENSHOTS}feeds-config-refused-1920.png` });
    // Escape with something typed asks first; kept, nothing is lost.
    const asked: string[] = [];
    page.once('dialog', (d) => {
      asked.push(d.message());
      void d.dismiss();
    });
    await page.keyboard.press('Escape');
    await expect.poll(() => asked.length).toBe(1);
    expect(asked[0]).toContain('n’est pas enregistrée');
    expect(await page.getByTestId('config-url').inputValue()).toBe('ftp://rtm.example/vp.pb');
    await page.getByTestId('config-url').fill('http://127.0.0.1:9/vp.pb');
    expect(await urlError.count()).toBe(0); // typed again: the complaint goes
    await page.getByTestId('config-interval').fill('60');
    await page.getByTestId('config-save').click();
    await page.locator('[data-testid="config-row"][data-id="rtm-vp"]').waitFor();
    expect(await page.getByTestId('config-saved').textContent()).toContain('rtm-vp');
    // Its first poll fails (nothing listens there): said in its row without a reload.
    await page.locator('[data-testid="config-row"][data-id="rtm-vp"] [data-testid="config-last-error"]').waitFor({ timeout: 25_000 });
    // And in the health table, listed before it ever delivered: no data, its poll failing (the server's words in the tooltip).
    const failing = page.locator('[data-testid="feed-row"][data-source="rtm-vp"] [data-testid="feed-poll-failing"]');
    await failing.waitFor({ timeout: 25_000 });
    expect(await failing.textContent()).toBe('⚠ relevé en échec');
    expect(await failing.getAttribute('title')).toMatch(/^Détail technique du serveur\u00a0?: /);
    expect(await dialog.isVisible()).toBe(false);
    // Edited: its values are there, the id fixed; a taken id on a new one is said beside the id.
    await page.locator('[data-testid="config-row"][data-id="rtm-vp"] [data-testid="config-edit"]').click();
    expect(await page.getByTestId('config-interval').inputValue()).toBe('60');
    expect(await page.getByTestId('config-id').getAttribute('readonly')).not.toBeNull();
    await page.keyboard.press('Escape'); // nothing changed: closes without asking
    await page.waitForFunction(() => !document.querySelector<HTMLDialogElement>('[data-testid="config-dialog"]')!.open);
    await page.getByTestId('config-new-mqtt').click();
    await page.getByTestId('config-id').fill('rtm-vp');
    await page.getByTestId('config-source').fill('rtm-mqtt');
    await page.getByTestId('config-format').selectOption('siri');
    await page.getByTestId('config-topic').fill('rtm/#/siri');
    await page.getByTestId('config-save').click();
    await page.getByTestId('config-error-topic').waitFor();
    expect(await page.getByTestId('config-error-topic').textContent()).toContain('seulement en dernier');
    await page.getByTestId('config-topic').fill('rtm/+/siri');
    await page.getByTestId('config-save').click();
    expect(await page.getByTestId('config-error-id').textContent()).toContain('un flux porte déjà cet identifiant');
    page.once('dialog', (d) => void d.accept());
    await page.getByTestId('config-cancel').click();
    await page.waitForFunction(() => !document.querySelector<HTMLDialogElement>('[data-testid="config-dialog"]')!.open);

    // Dead letters: a SIRI message that cannot be read, and a CSV export with other column names.
    const malformed = await push(url, 'siri', 'x', '<Siri><ServiceDelivery>', 'application/xml');
    const csv = await push(url, 'csv', 'csu-other', 'ref;when;kind\nR1;28/11/2026 21:00;Rixe\nR2;28/11/2026 21:05;Vol\n', 'text/csv');
    await page.getByTestId('dead-letters-reload').click();
    await deadRow(page, csv).waitFor();
    expect(await page.locator('[data-testid="dead-letter-row"]').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-id'))))).toEqual([csv, malformed]); // newest first

    await deadRow(page, malformed).getByTestId('dead-letter-open').click();
    const detail = page.getByTestId('dead-letter-dialog');
    await page.getByTestId('dead-letter-payload').waitFor();
    expect(await page.getByTestId('dead-letter-payload').textContent()).toBe('<Siri><ServiceDelivery>');
    expect(await detail.textContent()).toContain('Message de flux illisible dans ce format');
    expect(await page.getByTestId('dead-letter-reason').textContent()).toMatch(/malformed XML/);
    // Replayed unchanged: refused again, said so, and still to deal with.
    await page.getByTestId('dead-letter-replay').click();
    await page.getByTestId('dead-letter-answer').getByText('Message de flux illisible').waitFor();
    await page.waitForSelector('[data-testid="dead-letter-state"][data-state="failed"]');
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !document.querySelector<HTMLDialogElement>('[data-testid="dead-letter-dialog"]')!.open);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('dead-letter-open'); // the focus back on its button
    await page.waitForSelector(`[data-testid="dead-letter-row"][data-id="${malformed}"][data-state="failed"]`);

    // The CSV one: its items refused, its columns offered; replayed with the mapping fixed, everything stored.
    await deadRow(page, csv).getByTestId('dead-letter-open').click();
    await page.getByTestId('dead-letter-payload').waitFor();
    expect(await page.getByTestId('dead-letter-rejected').locator('tbody tr').count()).toBe(2);
    expect(await page.locator('#dead-letter-columns option').evaluateAll((o) => o.map((x) => (x as HTMLOptionElement).value))).toEqual(['ref', 'when', 'kind']);
    await page.screenshot({ path: `${SCREENSHOTS}feeds-dead-letter-1920.png` });
    await page.getByTestId('mapping-id').fill('ref');
    await page.getByTestId('mapping-time').fill('when');
    await page.getByTestId('mapping-type').fill('kind');
    await page.getByTestId('dead-letter-replay').click();
    const answer = page.getByTestId('dead-letter-answer');
    await answer.getByText('2 acceptés, 0 doublon, 0 refusé').waitFor();
    await page.waitForSelector('[data-testid="dead-letter-state"][data-state="replayed"]');
    await page.getByTestId('dead-letter-past').getByText('2 acceptés').waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}feeds-replayed-1920.png` });
    await page.keyboard.press('Escape');
    // No longer pending: off the list; listed with all of them, as replayed.
    await deadRow(page, csv).waitFor({ state: 'detached' });
    await page.getByTestId('dead-letters-all').check();
    await page.waitForSelector(`[data-testid="dead-letter-row"][data-id="${csv}"][data-state="replayed"]`);
    await page.getByTestId('dead-letters-source').selectOption('x');
    await page.waitForFunction((id) => [...document.querySelectorAll('[data-testid="dead-letter-row"]')].map((r) => Number(r.getAttribute('data-id'))).join() === String(id), malformed);

    // At 1366×768: the page and its dialogs fit, and the admin's top bar too.
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.screenshot({ path: `${SCREENSHOTS}feeds-1366.png` });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1366);
    await deadRow(page, malformed).getByTestId('dead-letter-open').click();
    await page.getByTestId('dead-letter-payload').waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}feeds-dead-letter-1366.png` });
    const box = (await detail.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(1366);
    await page.keyboard.press('Escape');
    // The console's top bar with the administrator's links and a weather warning in force: still one line within the screen.
    const expires = new Date(Date.now() + 2 * 3_600_000).toISOString().slice(0, 19) + '+00:00';
    const warning = `<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>e2e-feeds-vent</identifier><sender>vigilance@meteo.fr</sender>
<sent>2026-11-28T20:00:00+01:00</sent><status>Actual</status><msgType>Alert</msgType><scope>Public</scope><info><category>Met</category><event>Vigilance jaune vent violent</event>
<urgency>Future</urgency><severity>Moderate</severity><certainty>Likely</certainty><expires>${expires}</expires><area><areaDesc>Littoral sud</areaDesc>
<polygon>43.292,5.352 43.286,5.372 43.262,5.383 43.243,5.371 43.258,5.349 43.292,5.352</polygon></area></info></alert>`;
    const cap = await fetch(`${url}/api/v1/ingest/cap?source=prefecture`, { method: 'POST', headers: { ...FEED_TOKEN, 'content-type': 'application/cap+xml' }, body: warning });
    expect(cap.status).toBe(202);
    await page.goto(url);
    await page.waitForSelector('[data-testid="connection-status"][data-state="connected"]');
    await page.getByTestId('warning').waitFor({ timeout: 10_000 });
    await page.getByTestId('feed-health').getByText(/Flux \d+\/\d+/).waitFor(); // the bar as it stays, once the feeds are known
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1366);
    expect((await page.getByTestId('logout').boundingBox())!.x + (await page.getByTestId('logout').boundingBox())!.width).toBeLessThanOrEqual(1366);
    await page.screenshot({ path: `${SCREENSHOTS}console-admin-1366.png` });
    await page.context().close();
  });

  it('an admin sends an operator\'s GTFS static zip with the console\'s own file button, and reads what it held', { timeout: 60_000 }, async () => {
    const page = await signedIn(suite.browser, suite.node.url, 'admin', { width: 1366, height: 768 });
    await page.goto(`${suite.node.url}/feeds`);
    const form = page.getByTestId('gtfs-static');
    await form.waitFor();
    expect(await form.getByTestId('gtfs-chosen').textContent()).toBe('aucun fichier choisi');
    expect(await form.getByTestId('gtfs-choose').textContent()).toBe('Choisir un fichier .zip…');
    // Sent empty: both missing things said at once, each at its field, nothing sent.
    await form.getByTestId('gtfs-submit').click();
    expect(await form.locator('#gtfs-source-error').textContent()).toBe('Indiquez la source de ce GTFS (par exemple rtm).');
    expect(await form.getByTestId('gtfs-file-error').textContent()).toBe('Choisissez un fichier zip GTFS.');
    expect(await form.getByTestId('gtfs-choose').getAttribute('aria-describedby')).toBe('gtfs-chosen gtfs-file-error');
    // A file that is no zip: said as the console words it (nothing imported, nothing kept aside), the server's finding beside.
    await form.getByTestId('gtfs-source').fill('bullrunner');
    await form.getByTestId('gtfs-file').setInputFiles({ name: 'pas-un-zip.zip', mimeType: 'application/zip', buffer: Buffer.from('not a zip at all') });
    expect(await form.getByTestId('gtfs-file-error').count()).toBe(0);
    await form.getByTestId('gtfs-submit').click();
    await page.getByTestId('gtfs-error').waitFor();
    expect(await page.getByTestId('gtfs-error').textContent()).toMatch(/^Ce fichier n’est pas un zip GTFS lisible\u00a0: rien n’a été importé\.Détail technique du serveur\u00a0?: .*zip/);
    await form.getByTestId('gtfs-file').setInputFiles(new URL('../../../../shared/data/samples/bullrunner/bullrunner-gtfs.zip', import.meta.url).pathname);
    expect(await form.getByTestId('gtfs-chosen').textContent()).toBe('bullrunner-gtfs.zip');
    // Named for assistive technologies: the group by its label, the button described by the file chosen.
    await form.getByRole('group', { name: 'Fichier' }).getByRole('button', { name: 'Choisir un fichier .zip…', description: 'bullrunner-gtfs.zip' }).waitFor({ timeout: 2000 });
    await form.getByTestId('gtfs-submit').click();
    await page.getByTestId('gtfs-result').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('gtfs-result').textContent()).toMatch(/\d+ arrêts?/);
    await page.close();
  });

  it('a session ended elsewhere sends the admin to sign in, and back to the feeds page', { timeout: 60_000 }, async () => {
    const page = await signedIn(suite.browser, suite.node.url, 'admin', { width: 1366, height: 768 });
    await page.goto(`${suite.node.url}/feeds`);
    await page.waitForSelector('[data-testid="feeds-live"][data-live="true"]');
    // Signed out in another tab of the same browser: the server closes this page's live link.
    const other = await page.context().newPage();
    await other.goto(suite.node.url);
    await other.getByTestId('logout').click();
    await other.waitForURL(/\/login$/);
    await page.waitForURL(/\/login\?next=%2Ffeeds$/, { timeout: 15_000 });
    await page.waitForTimeout(1500); // the live link's retries meanwhile leave it there
    await page.getByTestId('login-username').fill('admin');
    await page.getByTestId('login-password').fill('admin');
    await page.getByTestId('login-submit').click();
    await page.waitForURL(/\/feeds$/);
    await page.waitForSelector('[data-testid="feeds-live"][data-live="true"]');
    await page.context().close();
  });

  it('an operator or a supervisor sees no link to it, and is told the page is for administrators', { timeout: 60_000 }, async () => {
    for (const who of ['operator', 'supervisor']) {
      const page = await signedIn(suite.browser, suite.node.url, who, { width: 1366, height: 768 });
      expect(await page.getByTestId('nav-feeds').count()).toBe(0);
      await page.goto(`${suite.node.url}/feeds`);
      const refused = page.getByTestId('rules-forbidden');
      await refused.waitFor();
      expect(await refused.textContent()).toContain('réservée aux administrateurs');
      expect(await page.getByTestId('feeds-page').count()).toBe(0);
      if (who === 'supervisor') expect(await page.getByTestId('rules-nav-feeds').count()).toBe(0);
      await page.screenshot({ path: `${SCREENSHOTS}feeds-forbidden-${who}-1366.png` });
      await page.context().close();
    }
  });
});
