import type { EvidenceRef } from '../../domain/alert.ts';
import type { Location } from '../../domain/event.ts';

/** One recent event as a co-occurrence rule's snapshot lists it. */
export type SeenEntry = { t: number; location: Location; value: string; ref: EvidenceRef };

/** Things per event in `things`: location, value, evidence. */
const THINGS = 3;

/**
 * What a co-occurrence rule keeps of its recent events beside their numbers (time and position,
 * which its grid keeps): each event's location, value and evidence, side by side in one array,
 * by a small number. A number released is given again.
 */
export class SeenStore {
  private things: (Location | string | EvidenceRef | undefined)[] = [];
  private free: number[] = [];
  private next = 0;

  /** Stores an event; returns its number. */
  add(location: Location, value: string, ref: EvidenceRef): number {
    const id = this.free.pop() ?? this.next++;
    const j = id * THINGS;
    this.things[j] = location;
    this.things[j + 1] = value;
    this.things[j + 2] = ref;
    return id;
  }

  /** Forgets an event (its references go); its number may be given again. */
  release(id: number): void {
    const j = id * THINGS;
    this.things[j] = this.things[j + 1] = this.things[j + 2] = undefined;
    this.free.push(id);
  }

  location(id: number): Location {
    return this.things[id * THINGS] as Location;
  }

  value(id: number): string {
    return this.things[id * THINGS + 1] as string;
  }

  ref(id: number): EvidenceRef {
    return this.things[id * THINGS + 2] as EvidenceRef;
  }
}
