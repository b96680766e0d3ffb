import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredEvent } from '@vigie/rules';
import { chromiumAvailable, SCREENSHOTS } from './browser.ts';
import { consoleSuite, postEvents, openArea, signedIn } from './operator.ts';

const SOURCE = 'csu-e2e';
const TOTAL = 3000;
/** Records (1-based, header not counted) made bad on purpose, and how the server or the page refuses them. */
const BAD: Record<number, (row: string[]) => string[]> = {
  17: (r) => (r.splice(2, 1, '32/13/2026'), r), // not a date
  1500: (r) => (r.splice(0, 1, ''), r), // no id
  2222: (r) => r.slice(0, 5), // 5 columns instead of 8: not sent
  2999: (r) => (r.splice(3, 1, '25:99'), r), // not a time
};

/** The CCTV centre's export: `;`, French dates, a quoted remark with a newline, "Dégradation" in windows-1252. */
function mainCourante(): Buffer {
  const today = new Date();
  const date = `${String(today.getDate()).padStart(2, '0')}/${String(today.getMonth() + 1).padStart(2, '0')}/${today.getFullYear()}`;
  const natures = ['Dégradation', 'Vol', 'Tapage', 'Stationnement gênant'];
  const lines = ['Numéro;Nature;Date;Heure;Latitude;Longitude;Gravité;Observations'];
  for (let i = 1; i <= TOTAL; i++) {
    const minutes = (i * 7) % (today.getHours() * 60 || 1);
    const hour = `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
    const remark = i === 3 ? '"Témoin : ""vitrine brisée"";\nrappel à 22 h"' : i % 2 ? 'Équipe sur place' : '';
    let row = [`MC-${String(i).padStart(6, '0')}`, natures[i % natures.length]!, date, hour, (43.29 + (i % 50) / 1000).toFixed(5), (5.37 + (i % 40) / 1000).toFixed(5), String(1 + (i % 3)), remark];
    if (BAD[i]) row = BAD[i]!(row);
    lines.push(row.join(';'));
  }
  return Buffer.from(`${lines.join('\r\n')}\r\n`, 'latin1'); // é, è, ê, É: the same bytes in windows-1252
}

async function login(url: string, username: string) {
  const res = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: username }) });
  return res.headers.get('set-cookie')!.split(';')[0]!;
}

async function storedEvents(url: string, source: string): Promise<StoredEvent[]> {
  const cookie = await login(url, 'operator');
  const all: StoredEvent[] = [];
  let cursor: string | null = null;
  do {
    const page = (await (await fetch(`${url}/api/v1/events?source=${source}&limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { headers: { cookie } })).json()) as { events: StoredEvent[]; nextCursor: string | null };
    all.push(...page.events);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}

describe.skipIf(!chromiumAvailable())('CSV import and feed health in Chromium', () => {
  const suite = consoleSuite({}, 60_000);
  const dir = mkdtempSync(join(tmpdir(), 'vigie-import-'));
  const csvPath = join(dir, 'main-courante-export.csv');

  beforeAll(() => writeFileSync(csvPath, mainCourante()));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a supervisor maps, previews and imports a windows-1252 export; bad records come back by number', { timeout: 120_000 }, async () => {
    const page = await signedIn(suite.browser, suite.node.url, 'supervisor');
    await openArea(page, 'import');
    await page.getByTestId('import-page').waitFor();
    await page.getByTestId('import-file').setInputFiles(csvPath);
    await page.getByTestId('import-file-summary').getByText(/3\s000 enregistrements/).waitFor();
    expect(await page.getByTestId('import-encoding-note').getAttribute('data-encoding')).toBe('windows-1252');
    expect(await page.getByTestId('import-encoding-note').textContent()).toContain('Windows-1252');
    expect(await page.getByTestId('import-unreadable').textContent()).toContain('1 ');
    await page.getByTestId('import-source').fill(SOURCE);

    // The server's default mapping, on the file's columns; the preview shows the mapped rows.
    await page.locator('[data-testid="preview-row"]').first().waitFor();
    expect(await page.getByTestId('map-id').inputValue()).toBe('numero');
    expect(await page.getByTestId('map-type').inputValue()).toBe('nature');
    expect(await page.getByTestId('map-time').inputValue()).toBe('');
    expect(await page.getByTestId('map-id').locator('option[value="numero"]').textContent()).toBe('Numéro');
    const previewText = await page.getByTestId('import-preview').textContent();
    expect(previewText).toContain('incident.vandalism'); // "Dégradation", read right
    expect(previewText).toContain('incident.parking'); // "Stationnement gênant"
    expect(previewText).toContain('MC-000003');
    expect(await page.locator('[data-testid="preview-error"]').count()).toBe(1); // record 17, among the first 20
    expect(await page.locator('[data-testid="preview-error"]').textContent()).toContain('date');

    // Mapping the id to no column previews again: the ids are derived from each record's content, as the page says… then back.
    await page.getByTestId('map-id').selectOption('');
    await page.getByTestId('import-derived-id').waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid="preview-row"] code')?.textContent?.startsWith('csv-'));
    await page.getByTestId('map-id').selectOption('numero');
    await page.waitForFunction(() => document.querySelector('[data-testid="preview-row"] code')?.textContent?.startsWith('MC-'));
    expect(await page.getByTestId('import-derived-id').count()).toBe(0);
    await page.screenshot({ path: `${SCREENSHOTS}import-preview-1920.png` });

    // Import, keyboard only: the start button is reachable and labelled.
    await page.getByTestId('import-start').focus();
    await page.keyboard.press('Enter');
    const progress = page.getByTestId('import-progress');
    await page.waitForSelector('[data-testid="import-progress"][data-state="done"]', { timeout: 90_000 });
    expect(await progress.getAttribute('data-processed')).toBe(String(TOTAL));
    expect(await progress.getAttribute('aria-valuenow')).toBe(String(TOTAL));
    expect(await page.getByTestId('import-accepted').getAttribute('data-value')).toBe(String(TOTAL - 4));
    expect(await page.getByTestId('import-duplicates').getAttribute('data-value')).toBe('0');
    expect(await page.getByTestId('import-rejected').getAttribute('data-value')).toBe('4');
    const rows = page.locator('[data-testid="rejected-row"]');
    expect(await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-record'))))).toEqual([17, 1500, 2222, 2999]);
    const texts = await rows.allTextContents();
    expect(texts[0]).toContain('pas une date et heure'); // the server's reason, worded in French
    expect(texts[1]).toContain('numero');
    expect(texts[1]).toContain('obligatoire');
    expect(texts[2]).toContain('5 colonnes au lieu de 8');
    expect(await page.getByTestId('import-outcome').textContent()).toMatch(/Import terminé\u00a0: 2[\s\u202f]996 enregistrés, 0 doublon, 4 refusés/);
    await page.screenshot({ path: `${SCREENSHOTS}import-done-1920.png` });

    // The rejected records, as CSV with their numbers and the records themselves.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('import-download').click()]);
    const rejected = readFileSync((await download.path())!, 'utf8');
    const lines = rejected.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('Enregistrement;Ligne;Champ;Motif;Numéro;Nature;Date;Heure;Latitude;Longitude;Gravité;Observations');
    expect(lines.slice(1).map((l) => l.split(';')[0])).toEqual(['17', '1500', '2222', '2999']);
    expect(lines[3]).toContain('MC-002222');

    // Stored, with the accents right (windows-1252 decoded, sent as UTF-8).
    const events = await storedEvents(suite.node.url, SOURCE);
    expect(events).toHaveLength(TOTAL - 4);
    const three = events.find((e) => e.id === 'MC-000003')!;
    expect(three.type).toBe('incident.parking'); // "Stationnement gênant"
    expect(three.text).toBe('Témoin : "vitrine brisée";\nrappel à 22 h');
    expect(events.find((e) => e.id === 'MC-000004')!.type).toBe('incident.vandalism'); // "Dégradation"
    expect(events.some((e) => e.id === 'MC-000017' || e.id === 'MC-002222')).toBe(false);

    // Importing the same file again stores nothing twice.
    await page.getByTestId('import-reset').click();
    await page.getByTestId('import-file').setInputFiles(csvPath);
    await page.getByTestId('import-source').fill(SOURCE);
    await page.locator('[data-testid="preview-row"]').first().waitFor();
    await page.getByTestId('import-start').click();
    await page.waitForSelector('[data-testid="import-progress"][data-state="done"]', { timeout: 90_000 });
    expect(await page.getByTestId('import-duplicates').getAttribute('data-value')).toBe(String(TOTAL - 4));
    expect(await page.getByTestId('import-accepted').getAttribute('data-value')).toBe('0');

    // In English, at 1366×768.
    const small = await signedIn(suite.browser, suite.node.url, 'supervisor', { width: 1366, height: 768 });
    // Only uploads so far: no live feed to count.
    await small.getByTestId('feed-health').getByText('Flux 0/0').waitFor();
    await small.screenshot({ path: `${SCREENSHOTS}console-supervisor-1366.png` });
    // Everything in the top bar fits on a laptop screen.
    expect(await small.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1366);
    await small.evaluate(() => localStorage.setItem('vigie.lang', 'en'));
    await small.goto(`${suite.node.url}/import`);
    await small.getByTestId('import-file').setInputFiles(csvPath);
    await small.getByTestId('import-source').fill('csu-e2e-small');
    await small.locator('[data-testid="preview-row"]').first().waitFor();
    await small.getByText('The file is not UTF-8').waitFor();
    await small.getByTestId('import-start').click();
    await small.waitForSelector('[data-testid="import-progress"][data-state="done"]', { timeout: 90_000 });
    await small.screenshot({ path: `${SCREENSHOTS}import-done-1366.png` });
    await small.screenshot({ path: `${SCREENSHOTS}import-done-1366-full.png`, fullPage: true });
    await small.context().close();
    await page.context().close();
  });

  it('an operator sees no import link and is refused on /import', { timeout: 60_000 }, async () => {
    const page = await signedIn(suite.browser, suite.node.url, 'operator');
    expect(await page.getByTestId('nav-import').count()).toBe(0);
    await page.goto(`${suite.node.url}/import`);
    await page.getByTestId('rules-forbidden').getByText(/import de fichiers est réservé/).waitFor();
    expect(await page.getByTestId('import-page').count()).toBe(0);
    // The API refuses an operator too.
    const cookie = await login(suite.node.url, 'operator');
    const res = await fetch(`${suite.node.url}/api/v1/ingest/csv?source=x`, { method: 'POST', headers: { cookie, 'content-type': 'text/csv' }, body: 'numero;nature\n1;vol\n' });
    expect(res.status).toBe(403);
    await page.context().close();
  });

  it('the feed badge opens a panel of every feed with its figures, kept up to date live', { timeout: 60_000 }, async () => {
    const before = new Date(Date.now() - 30_000).toISOString();
    await postEvents(suite.node.url, [1, 2, 3].map((i) => ({ id: `api-${i}`, source: 'e2e-api', type: 'incident.noise', time: before })));
    const page = await signedIn(suite.browser, suite.node.url, 'operator');
    const badge = page.getByTestId('feed-health');
    await badge.getByText(/Flux \d+\/\d+/).waitFor({ timeout: 15_000 });
    expect(await badge.textContent()).toContain('F');
    // The keyboard shortcut opens it; figures of the imported source are there.
    await page.locator('body').press('f');
    const panel = page.getByTestId('feed-panel');
    await panel.waitFor();
    expect(await badge.getAttribute('aria-expanded')).toBe('true');
    const csu = panel.locator('[data-testid="feed-row"][data-source="e2e-api"]');
    await csu.waitFor();
    expect(await csu.getAttribute('data-status')).toBe('ok');
    expect(await csu.getByTestId('feed-rate').textContent()).toBe('0,05 /min');
    expect(await csu.getByTestId('feed-errors').textContent()).toMatch(/%$/);
    expect(await csu.getByTestId('feed-lag').textContent()).toMatch(/^(29|30|31)\ss$/);
    expect(await csu.textContent()).toMatch(/il y a|à l’instant/);
    // The CSV imported above is a one-off upload: listed as imported with its events, never late or silent, not counted as a feed.
    const upload = panel.locator('[data-testid="feed-row"][data-source="csu-e2e"]');
    await upload.waitFor();
    expect(await upload.getAttribute('data-status')).toBe('imported');
    expect(await upload.textContent()).toContain('importé');
    expect(await upload.getByTestId('feed-rate').textContent()).toMatch(/^2[\s\u202f]?996 importés$/);
    expect(await upload.getByTestId('feed-last-import').textContent()).toMatch(/^import (il y a|à l’instant)/);
    const [ok, total] = (await badge.textContent())!.match(/Flux (\d+)\/(\d+)/)!.slice(1).map(Number);
    expect(total).toBe(await panel.locator('[data-testid="feed-row"]:not([data-status="imported"])').count());
    expect(ok).toBeLessThanOrEqual(total!);

    // A feed heard from after the page loaded appears through the live link (feed:health, every 10 s).
    await postEvents(suite.node.url, [{ id: 'live-1', source: 'e2e-live', type: 'incident.theft', time: new Date(Date.now() - 120_000).toISOString() }]);
    const live = panel.locator('[data-testid="feed-row"][data-source="e2e-live"]');
    await live.waitFor({ timeout: 20_000 });
    expect(await live.getByTestId('feed-lag').textContent()).toMatch(/^2\smin \d\d\ss$/);
    expect(await live.getByTestId('feed-rate').textContent()).toBe('0,02 /min');

    // What the rules saw out of time: an event 20 minutes old, one stamped 15 minutes ahead.
    const minutes = (n: number) => new Date(Date.now() + n * 60_000).toISOString();
    await postEvents(suite.node.url, [{ id: 'odd-1', source: 'e2e-odd', type: 'incident.theft', time: minutes(-20) }, { id: 'odd-2', source: 'e2e-odd', type: 'incident.theft', time: minutes(15) }]);
    const odd = panel.locator('[data-testid="feed-row"][data-source="e2e-odd"]').getByTestId('feed-out-of-time');
    // The row comes with the source's first report; its counts with the engine's next notices (flushed every second).
    await odd.locator('span').nth(1).waitFor({ timeout: 20_000 });
    expect((await odd.textContent())!.trim()).toBe('tardifs 1 · en avance 1');
    expect(await odd.locator('span').first().getAttribute('title')).toMatch(/^1 événement arrivé après le délai admis.*(17 min 5\d s|18 min)/); // 20 min old, 2 min allowed, less the time the post took
    expect(await odd.locator('span').last().getAttribute('title')).toMatch(/dans le futur.*(9 min 5\d s|10 min)/);
    expect(await odd.evaluate((el) => el.classList.contains('high'))).toBe(true);
    await page.screenshot({ path: `${SCREENSHOTS}feed-panel-1920.png` });

    // Escape closes it and gives the focus back to where it was when F opened it: the queue (the keys go on with the alerts); a click opens it again.
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('alert-queue');
    await badge.click();
    await panel.waitFor();
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.screenshot({ path: `${SCREENSHOTS}feed-panel-1366.png` });
    await page.context().close();
  });
});

/** A month's export without an id column, UTF-8 with a byte-order mark, a remark with a phone number, a row bad on purpose. */
function withoutIds(): string {
  const lines = ['Date et heure;Nature;Adresse;Latitude;Longitude;Observations'];
  for (let i = 1; i <= 1500; i++) {
    const when = `${String(1 + (i % 28)).padStart(2, '0')}/10/2026 ${String(i % 24).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}`;
    const remark = i === 1 ? 'Requérant rappelé au 06 12 34 56 78' : `Patrouille ${i}`;
    lines.push([i === 7 ? '31/09/2026 21:14' : when, i % 2 ? 'Vol à l’arraché' : 'Rixe', `${i} rue de Rome`, '43,2951', '5,3740', remark].join(';'));
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

describe.skipIf(!chromiumAvailable())('CSV import of an export without an id column', () => {
  const suite = consoleSuite({}, 60_000);
  const dir = mkdtempSync(join(tmpdir(), 'vigie-import-noid-'));
  const csvPath = join(dir, 'main-courante-octobre.csv');
  beforeAll(() => writeFileSync(csvPath, withoutIds()));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('derives each id from the record, previews what is stored, imports it twice as duplicates, and takes the fixed rejections back', { timeout: 120_000 }, async () => {
    const page = await signedIn(suite.browser, suite.node.url, 'supervisor', { width: 1366, height: 768 });
    await page.goto(`${suite.node.url}/import`);
    await page.getByTestId('import-file').setInputFiles(csvPath);
    await page.getByTestId('import-source').fill('csu-noid');
    await page.waitForFunction(() => document.querySelector('[data-testid="preview-row"] code')?.textContent?.startsWith('csv-'));
    expect(await page.getByTestId('map-id').inputValue()).toBe('');
    expect(await page.getByTestId('map-id').locator('option[value=""]').textContent()).toBe('— calculé —');
    expect(await page.getByTestId('import-derived-id').textContent()).toContain('réimporter le même fichier ne donne que des doublons');
    // What is stored: the type of "Vol à l’arraché", the year and the city's clock, the phone scrubbed, the address pseudonymised.
    const first = page.locator('[data-testid="preview-row"]').first();
    expect(await first.textContent()).toContain('incident.theft');
    expect(await first.getByTestId('preview-time').textContent()).toBe('02/10/2026 01:01');
    const detail = page.getByTestId('preview-text').first();
    expect(await detail.textContent()).toContain('Requérant rappelé au [phone]');
    expect(await detail.textContent()).not.toContain('06 12');
    expect(await detail.getByTestId('preview-attributes').textContent()).toContain('adresse\u00a0: pseudonymisé');
    await page.screenshot({ path: `${SCREENSHOTS}import-noid-preview-1366.png` });

    await page.getByTestId('import-start').click();
    await page.waitForSelector('[data-testid="import-progress"][data-state="done"]', { timeout: 60_000 });
    expect(await page.getByTestId('import-accepted').getAttribute('data-value')).toBe('1499');
    expect(await page.getByTestId('import-rejected').getAttribute('data-value')).toBe('1');
    expect(await page.getByTestId('import-outcome').textContent()).toContain('sous la source «\u00a0csu-noid\u00a0»');
    const stored = await storedEvents(suite.node.url, 'csu-noid');
    expect(stored).toHaveLength(1499);
    expect(stored.every((e) => /^csv-[0-9a-f]{32}$/.test(e.id))).toBe(true);
    expect(stored.find((e) => e.text?.startsWith('Requérant'))!.text).toBe('Requérant rappelé au [phone]');

    // The refused record alone, under the file's header: fixed, it imports as it is.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('import-download-records').click()]);
    expect(download.suggestedFilename()).toBe('main-courante-octobre-refus-a-corriger.csv');
    const toFix = readFileSync((await download.path())!, 'utf8');
    expect(toFix.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe('Date et heure;Nature;Adresse;Latitude;Longitude;Observations');
    const fixedPath = join(dir, 'corrige.csv');
    writeFileSync(fixedPath, toFix.replace('31/09/2026', '30/09/2026'));

    // The same file again: every record a duplicate, none stored twice.
    await page.getByTestId('import-reset').click();
    await page.getByTestId('import-file').setInputFiles(csvPath);
    await page.getByTestId('import-source').fill('csu-noid');
    await page.waitForFunction(() => document.querySelector('[data-testid="preview-row"] code')?.textContent?.startsWith('csv-'));
    await page.getByTestId('import-start').click();
    await page.waitForSelector('[data-testid="import-progress"][data-state="done"]', { timeout: 60_000 });
    expect(await page.getByTestId('import-accepted').getAttribute('data-value')).toBe('0');
    expect(await page.getByTestId('import-duplicates').getAttribute('data-value')).toBe('1499');
    await page.screenshot({ path: `${SCREENSHOTS}import-noid-again-1366.png` });

    await page.getByTestId('import-reset').click();
    await page.getByTestId('import-file').setInputFiles(fixedPath);
    await page.getByTestId('import-source').fill('csu-noid');
    await page.waitForFunction(() => document.querySelector('[data-testid="preview-row"] code')?.textContent?.startsWith('csv-'));
    await page.getByTestId('import-start').click();
    await page.waitForSelector('[data-testid="import-progress"][data-state="done"]', { timeout: 60_000 });
    expect(await page.getByTestId('import-accepted').getAttribute('data-value')).toBe('1');
    expect(await storedEvents(suite.node.url, 'csu-noid')).toHaveLength(1500);
    await page.context().close();
  });
});

describe.skipIf(!chromiumAvailable())('CSV import interrupted by a page reload', () => {
  const suite = consoleSuite({}, 60_000);
  const dir = mkdtempSync(join(tmpdir(), 'vigie-import-reload-'));
  const csvPath = join(dir, 'main-courante.csv');
  beforeAll(() => writeFileSync(csvPath, mainCourante()));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('resumes from where it stood once the same file is chosen again: nothing sent twice, nothing lost, figures whole', { timeout: 120_000 }, async () => {
    const page = await signedIn(suite.browser, suite.node.url, 'supervisor', { width: 1366, height: 768 });
    page.on('dialog', (d) => void d.accept()); // "an import is running: leave?"
    await page.goto(`${suite.node.url}/import`);
    await page.getByTestId('import-file').setInputFiles(csvPath);
    await page.getByTestId('import-source').fill('csu-reload');
    await page.locator('[data-testid="preview-row"]').first().waitFor();
    // The third chunk's request never gets an answer: the page is reloaded while it waits.
    let posts = 0;
    await page.route('**/api/v1/ingest/csv?*', (route) => (++posts === 3 ? undefined : route.continue()));
    await page.getByTestId('import-start').click();
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="import-progress"]')?.getAttribute('data-processed')) === 2000);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="import-left"]').length === 1);
    expect(await page.getByTestId('import-left').textContent()).toMatch(/^\d+\ss$|^…$/);
    await page.reload();
    await page.unrouteAll({ behavior: 'ignoreErrors' });
    await page.getByTestId('import-page').waitFor();

    await page.getByTestId('import-file').setInputFiles(csvPath);
    const outcome = page.getByTestId('import-outcome');
    await outcome.getByText(/interrompu/).waitFor();
    expect(await outcome.textContent()).toMatch(/2[\s\u202f]000 \/ 3[\s\u202f]000 enregistrements traités vers la source «\u00a0csu-reload\u00a0»/);
    expect(await page.getByTestId('import-source').inputValue()).toBe('csu-reload');
    expect(await page.getByTestId('import-progress').getAttribute('data-processed')).toBe('2000');
    await page.screenshot({ path: `${SCREENSHOTS}import-interrupted-1366.png` });
    await page.getByTestId('import-resume').click();
    await page.waitForSelector('[data-testid="import-progress"][data-state="done"]', { timeout: 60_000 });
    expect(await page.getByTestId('import-accepted').getAttribute('data-value')).toBe(String(TOTAL - 4));
    expect(await page.getByTestId('import-duplicates').getAttribute('data-value')).toBe('0');
    expect(await page.getByTestId('import-rejected').getAttribute('data-value')).toBe('4');
    expect(await storedEvents(suite.node.url, 'csu-reload')).toHaveLength(TOTAL - 4);
    // Finished: nothing is offered again for that file.
    await page.reload();
    await page.getByTestId('import-file').setInputFiles(csvPath);
    await page.locator('[data-testid="preview-row"]').first().waitFor();
    expect(await page.getByTestId('import-start').count()).toBe(1);
    await page.context().close();
  });
});

describe.skipIf(!chromiumAvailable())('CSV import against a rate-limited server', () => {
  // 200 events/s in bursts of 400: the first chunk of 1000 goes (a full bucket takes a chunk
  // larger than it), the next ones each wait 5 s for the bucket to refill: a 429 unless a
  // chunk took 5 s to send. (At 1000/s, a loaded machine that took a second per chunk never
  // met the limit.)
  const suite = consoleSuite({ VIGIE_FEED_RATE_LIMIT: '200' }, 60_000);
  const dir = mkdtempSync(join(tmpdir(), 'vigie-import-'));
  const csvPath = join(dir, 'main-courante.csv');

  beforeAll(() => writeFileSync(csvPath, mainCourante()));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('waits as Retry-After says on 429 and finishes with every record accounted for', { timeout: 90_000 }, async () => {
    const page = await signedIn(suite.browser, suite.node.url, 'supervisor');
    await page.goto(`${suite.node.url}/import`);
    await page.getByTestId('import-file').setInputFiles(csvPath);
    await page.getByTestId('import-source').fill('csu-limited');
    await page.locator('[data-testid="preview-row"]').first().waitFor();
    await page.getByTestId('import-start').click();
    await page.getByTestId('import-retry').getByText(/Limite de débit atteinte/).waitFor({ timeout: 20_000 });
    await page.screenshot({ path: `${SCREENSHOTS}import-retry-1920.png` });
    await page.waitForSelector('[data-testid="import-progress"][data-state="done"]', { timeout: 60_000 });
    expect(await page.getByTestId('import-accepted').getAttribute('data-value')).toBe(String(TOTAL - 4));
    expect(await page.getByTestId('import-rejected').getAttribute('data-value')).toBe('4');
    expect(await storedEvents(suite.node.url, 'csu-limited')).toHaveLength(TOTAL - 4);
  });
});
