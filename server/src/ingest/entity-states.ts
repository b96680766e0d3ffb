import type { DecodedItem } from '../feeds/adapter.ts';
import { contentHash } from './hash.ts';

/** How many entities each node remembers (the oldest forgotten first): a city's vehicles, lights and messages many times over. */
const MAX_ENTITIES = 200_000;

/** What `claim` took: the entries to store, how many were repeats, and what to give back should they not be stored. */
export type Claim = { items: DecodedItem[]; repeats: number; release: (notStored: readonly DecodedItem[]) => void };

/**
 * The last state stored for each entity of the feeds that give no time of their own (a
 * vehicle without timestamps, a street light notified without a date: `DecodedItem.entity`).
 * Such an entry whose content (all but its id and time) is its entity's last state is a
 * repeat, a duplicate; a changed one, even back to an earlier state, is a new event.
 *
 * Kept in memory, per node, and trusted for a source only while no other node has stored
 * events of it since this one did (`distrust`): a state another node stored meanwhile would
 * make a change look like a repeat. Entries are claimed, checked and their states taken in one
 * step (two messages at once about one light are judged one after the other), entry after
 * entry (a message saying "ok" then "out" for one light holds two changes), and given back
 * when they were not stored. After a restart, or where another node took part, the first
 * repeat is stored once more: a duplicate at worst, never a loss.
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

  /** Whether any item names an entity (only then is there anything to claim or to check). */
  static any(items: readonly DecodedItem[]): boolean {
    return items.some((x) => x.entity !== undefined);
  }

  /** Forgets every entity of `source` (another node stored events of it: its states may be older than the database's). */
  distrust(source: string): void {
    const prefix = `${source}\u0000`;
    for (const key of this.last.keys()) if (key.startsWith(prefix)) this.last.delete(key);
  }

  /** The items that are not a repeat of their entity's state, that state taken at once for each (see `Claim`). */
  claim(items: readonly DecodedItem[]): Claim {
    const before = new Map<DecodedItem, string | undefined>();
    const out: DecodedItem[] = [];
    for (const x of items) {
      const key = EntityStates.key(x);
      if (key === undefined) { out.push(x); continue; }
      const state = EntityStates.state(x), was = this.last.get(key);
      if (was === state) continue;
      before.set(x, was);
      this.set(key, state);
      out.push(x);
    }
    const release = (notStored: readonly DecodedItem[]) => {
      // From the last to the first: an entity claimed twice gets back the state it had before both.
      for (const x of [...notStored].reverse()) {
        const key = EntityStates.key(x);
        if (key === undefined || !before.has(x)) continue;
        if (this.last.get(key) !== EntityStates.state(x)) continue; // taken since by another message: its claim stands
        const was = before.get(x);
        if (was === undefined) this.last.delete(key);
        else this.set(key, was);
      }
    };
    return { items: out, repeats: items.length - out.length, release };
  }

  private set(key: string, state: string): void {
    this.last.delete(key); // to the end of the order: the most recently seen are forgotten last
    this.last.set(key, state);
    if (this.last.size > this.max) this.last.delete(this.last.keys().next().value!);
  }
}
