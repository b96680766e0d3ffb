import { describe, expect, it } from 'vitest';
import { flash, FLASH_WAIT_MS, takeFlash } from './flash.ts';

describe('what a calendar page has just done, said by the next page', () => {
  it('is said once, by the page it was meant for', () => {
    flash('/events/ev-1', 'calendar.done.created', { title: 'OM – Nice' }, 1000);
    expect(takeFlash('/events', 1500)).toBeNull();
    expect(takeFlash('/events/ev-1', 1500)).toMatchObject({ key: 'calendar.done.created', params: { title: 'OM – Nice' } });
    expect(takeFlash('/events/ev-1', 1600)).toBeNull();
  });

  it('is not said long after, nor after another one replaced it', () => {
    flash('/events', 'calendar.done.deleted', { title: 'A' }, 0);
    expect(takeFlash('/events', FLASH_WAIT_MS + 1)).toBeNull();
    flash('/events/a', 'calendar.done.saved', { title: 'A' }, 0);
    flash('/events', 'calendar.done.deleted', { title: 'A' }, 0);
    expect(takeFlash('/events/a', 10)).toBeNull();
    expect(takeFlash('/events', 10)?.key).toBe('calendar.done.deleted');
  });
});
