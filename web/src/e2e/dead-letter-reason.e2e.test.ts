import { describe, expect, it } from 'vitest';
import { chromiumAvailable, SCREENSHOTS } from './browser.ts';
import { consoleSuite, openArea, signedIn } from './operator.ts';

const FEED = { authorization: 'Bearer demo-feed-token' };
const NB = '\u00a0';

describe.skipIf(!chromiumAvailable())('a dead letter’s reason on the feeds page in Chromium', () => {
  const suite = consoleSuite({}, 60_000);

  it('says in the console’s language how many items were refused and that the others were stored, its hover too; a payload refused whole by its code', { timeout: 90_000 }, async () => {
    const url = suite.node.url;
    // A main courante export of 4 rows, its 3rd with a date that does not exist: 3 stored, 1 refused.
    const yesterday = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', day: '2-digit', month: '2-digit', year: 'numeric' }).format(new Date(Date.now() - 86_400_000));
    const csv = `numero;date;heure;nature\nMC-1;${yesterday};10:01;Rixe\nMC-2;${yesterday};10:02;Vol\nMC-3;31/02/2026;10:03;Rixe\nMC-4;${yesterday};10:04;Rixe\n`;
    const res = await fetch(`${url}/api/v1/ingest/csv?source=csu-archive`, { method: 'POST', headers: { ...FEED, 'content-type': 'text/csv' }, body: csv });
    const answer = (await res.json()) as { accepted: number; rejected: unknown[] };
    expect(res.status).toBe(202);
    expect(answer.accepted).toBe(3);
    expect(answer.rejected).toHaveLength(1);
    const malformed = await fetch(`${url}/api/v1/ingest/siri?source=rtm`, { method: 'POST', headers: { ...FEED, 'content-type': 'application/xml' }, body: '<Siri><ServiceDelivery>' });
    expect(malformed.status).toBe(400);

    const page = await signedIn(suite.browser, url, 'admin');
    await openArea(page, 'feeds');
    const rows = page.getByTestId('dead-letter-row');
    await expect.poll(() => rows.count()).toBe(2);
    const partial = rows.filter({ hasText: 'csu-archive' }).getByTestId('dead-letter-why');
    const refused = `date${NB}: pas une date et heure (jj/mm/aaaa et hh:mm, ou ISO 8601)`;
    expect(await partial.textContent()).toBe(`1 élément refusé, les autres enregistrés — ${refused}`);
    expect(await partial.getAttribute('title')).toBe(refused);
    const whole = rows.filter({ hasText: 'siri' }).getByTestId('dead-letter-why');
    expect(await whole.textContent()).toBe(`Message de flux illisible dans ce format (mal formé ou tronqué)${NB}: il est conservé à part`);
    expect(await whole.getAttribute('title')).toMatch(/^Détail technique du serveur\u00a0: /);
    await page.screenshot({ path: `${SCREENSHOTS}feeds-dead-letter-reason-fr.png` });
    // Opened, the dead letter says the same of itself (not that no event of the message was valid).
    await rows.filter({ hasText: 'csu-archive' }).getByTestId('dead-letter-open').click();
    expect(await page.getByTestId('dead-letter-headline').textContent()).toMatch(new RegExp(`^1 élément refusé, les autres enregistrés — date${NB}: `));
    await page.getByTestId('dead-letter-close').click();

    await page.getByTestId('lang-toggle').click();
    await expect.poll(() => partial.textContent()).toBe('1 item refused, the others stored — date: not a date and time (dd/mm/yyyy and hh:mm, or ISO 8601)');
    expect(await partial.getAttribute('title')).toBe('date: not a date and time (dd/mm/yyyy and hh:mm, or ISO 8601)');
    await page.context().close();
  });
});
