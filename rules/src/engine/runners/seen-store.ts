import type { EvidenceRef } from '../../domain/alert.ts';
import type { Location } from '../../domain/event.ts';

/** One recent event as a co-occurrence rule's snapshot lists it. */
export type SeenEntry = { t: number; location: Location; value: string; ref: EvidenceRef };

/** Numbers per event in `numbers`: time, latitude, longitude, cos(latitude). */
const NUMBERS = 4;
/** Things per event in `things`: location, value, evidence. */
const THINGS = 3;

/**
 * The recent events of a co-occurrence rule, each by a small number: its time, position and
 * latitude's cosine side by side in one typed array (no object, and no boxed number, made per
 * event; a neighbour search reads one cache line per event), its location, value and evidence
 * side by side in another array. A number released is given again.
 */
export class SeenStore {
  /** At `id * 4`: time, then (at `position(id)`) latitude, longitude, cos(latitude). */
  numbers = new Float64Array(16 * NUMBERS);
  private things: (Location | string | EvidenceRef | undefined)[] = [];
  private free: number[] = [];
  private next = 0;

  /** Stores an event (`cos`: cos(latitude), as `cosLat` gives it); returns its number. */
  add(t: number, location: Location, value: string, ref: EvidenceRef, cos: number): number {
    let id = this.free.pop();
    if (id === undefined) {
      id = this.next++;
      if (id * NUMBERS === this.numbers.length) this.grow();
    }
    const n = this.numbers, i = id * NUMBERS, j = id * THINGS;
    n[i] = t;
    n[i + 1] = location.lat;
    n[i + 2] = location.lon;
    n[i + 3] = cos;
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

  t(id: number): number {
    return this.numbers[id * NUMBERS]!;
  }

  /** Where the event's latitude, longitude and cos(latitude) follow one another in `numbers` (as `withinMeters` reads them). */
  position(id: number): number {
    return id * NUMBERS + 1;
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

  entry(id: number): SeenEntry {
    return { t: this.t(id), location: this.location(id), value: this.value(id), ref: this.ref(id) };
  }

  private grow(): void {
    const wider = new Float64Array(this.numbers.length * 2);
    wider.set(this.numbers);
    this.numbers = wider;
  }
}

/** The stride of `SeenStore.numbers` (times at `id * SEEN_NUMBERS`). */
export const SEEN_NUMBERS = NUMBERS;
