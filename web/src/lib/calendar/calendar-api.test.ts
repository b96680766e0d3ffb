import { describe, expect, it } from 'vitest';
import { Http } from '../api/http.ts';
import { listCalendar } from './calendar-api.ts';

/** A server whose calendar holds `total` events, `size` a page, cursors being the next index. */
function pagedServer(total: number, size: number, seen: string[] = []) {
  return new Http(async (url) => {
    seen.push(url);
    const cursor = new URL(url, 'http://x').searchParams.get('cursor');
    const from = cursor === null ? 0 : Number(cursor);
    const events = Array.from({ length: Math.min(size, total - from) }, (_, i) => ({ id: `e${from + i}` }));
    return Response.json({ events, nextCursor: from + size < total ? String(from + size) : null });
  });
}

describe('listCalendar', () => {
  it('follows nextCursor to the last page: every event, in the order given', async () => {
    const seen: string[] = [];
    const list = await listCalendar(pagedServer(7, 3, seen));
    expect(list.truncated).toBe(false);
    expect(list.events.map((e) => e.id)).toEqual(['e0', 'e1', 'e2', 'e3', 'e4', 'e5', 'e6']);
    expect(seen).toEqual(['/api/v1/calendar', '/api/v1/calendar?cursor=3', '/api/v1/calendar?cursor=6']);
  });

  it('says the list is truncated when more pages are left than it asks for, rather than dropping them silently', async () => {
    const list = await listCalendar(pagedServer(10, 3), 2);
    expect(list).toMatchObject({ truncated: true });
    expect(list.events).toHaveLength(6);
    expect(await listCalendar(pagedServer(6, 3), 2)).toMatchObject({ truncated: false });
  });

  it('takes an answer without nextCursor (a server without pages) as the whole list', async () => {
    const list = await listCalendar(new Http(async () => Response.json({ events: [{ id: 'a' }] })));
    expect(list).toEqual({ events: [{ id: 'a' }], truncated: false });
  });
});
