import type { DecodedItem } from '../feeds/adapter.ts';
import { contentHash } from './hash.ts';

/** How many entities each node remembers (the oldest forgotten first): a city's vehicles, lights and messages many times over. */
const MAX_ENTITIES = 200_000;

/**
 * The last state stored for each entity of the feeds that give no time of their own (a
 * vehicle without timestamps, a street light notified without a date: `DecodedItem.entity`).
 * Such an entry whose content (all but its id and time) is the one last stored for its entity
 * is a repeat, a duplicate; a changed one, even back to an earlier state, is a new event. Kept
 * in memory, per node: after a restart, or on another node, the first repeat is stored once more.
 */
export class EntityStates {
  private readonly last = new Map<string, string>();

  constructor(private readonly max = MAX_ENTITIES) {}

  private static key(x: DecodedItem): string | undefined {
    const source = (x.item as { source?: unknown } | null)?.source;
    return x.entity !== undefined && typeof source === 'string' ? `${source}\u0000${x.entity}` : undefined;
  }

  private static state(x: DecodedItem): string {
    return contentHash({ ...(x.item as object), id: undefined, time: undefined });
  }

  /** The items that are not a repeat of their entity's last stored state, and how many were. */
  fresh(items: readonly DecodedItem[]): { items: DecodedItem[]; repeats: number } {
    if (this.last.size === 0 || !items.some((x) => x.entity !== undefined)) return { items: [...items], repeats: 0 };
    const out = items.filter((x) => {
      const key = EntityStates.key(x);
      return key === undefined || this.last.get(key) !== EntityStates.state(x);
    });
    return { items: out, repeats: items.length - out.length };
  }

  /** Remembers the state of these items, stored (or found stored) for their entities. */
  stored(items: readonly DecodedItem[]): void {
    for (const x of items) {
      const key = EntityStates.key(x);
      if (key === undefined) continue;
      this.last.delete(key); // to the end of the order: the most recently seen are forgotten last
      this.last.set(key, EntityStates.state(x));
      if (this.last.size > this.max) this.last.delete(this.last.keys().next().value!);
    }
  }
}
