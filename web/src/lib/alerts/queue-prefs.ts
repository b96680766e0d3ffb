import { isSorting, type Sorting } from './queue-order.ts';
import { GROUPINGS, type Grouping } from './queue-view.ts';

/**
 * How the operator last arranged the queue (its order and its grouping), kept in the browser so
 * that a reload in the middle of a flood does not put it back as it was at the start. Per
 * browser, as the sound's on/off is: a control-room workstation is one post.
 */
export type QueueArrangement = { sorting: Sorting; grouping: Grouping };

export const DEFAULT_ARRANGEMENT: QueueArrangement = { sorting: 'severity', grouping: 'none' };

type StorageLike = Pick<Storage, 'getItem' | 'setItem'>;
const KEY = 'vigie.queue.arrangement';

/** The arrangement kept, or the default for what is missing or unreadable. */
export function loadArrangement(storage: StorageLike | undefined): QueueArrangement {
  const kept = readKept(storage);
  const grouping = GROUPINGS.find((g) => g === kept?.grouping);
  return {
    sorting: isSorting(kept?.sorting) ? kept.sorting : DEFAULT_ARRANGEMENT.sorting,
    grouping: grouping ?? DEFAULT_ARRANGEMENT.grouping,
  };
}

function readKept(storage: StorageLike | undefined): { sorting?: unknown; grouping?: unknown } | null {
  try {
    const v: unknown = JSON.parse(storage?.getItem(KEY) ?? 'null');
    return v !== null && typeof v === 'object' ? v : null;
  } catch {
    return null; // unreadable: the default
  }
}

/** Keeps it; a storage full or refused (private mode) keeps nothing: the choice lasts for this page. */
export function saveArrangement(storage: StorageLike | undefined, arrangement: QueueArrangement): void {
  try {
    storage?.setItem(KEY, JSON.stringify(arrangement));
  } catch {
    /* nothing kept */
  }
}
