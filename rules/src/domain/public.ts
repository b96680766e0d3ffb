/**
 * What the public page and API count (`GET /api/v1/public/indicators`), by the event type's
 * family: only what the city may say in public. Never health (hospital admissions), nor the
 * feeds' own messages or the calendar.
 */
export const PUBLIC_CATEGORIES = ['incident', 'accident', 'citizen', 'lighting', 'transport', 'crowd'] as const;
export type PublicCategory = (typeof PUBLIC_CATEGORIES)[number];

/** Counts per category; null: from 1 to `minCount` − 1 (withheld); others rounded to a multiple of `roundedTo`. */
export type PublicCounts = Record<PublicCategory, number | null>;

/** The anonymised indicators anyone may read: counts, never an event by itself. */
export type PublicIndicators = {
  city: string;
  timeZone: string;
  /** The week counted, Monday to Sunday (local dates, both whole). */
  from: string;
  to: string;
  minCount: number;
  /** Every other count is rounded to a multiple of this, each on its own. */
  roundedTo: number;
  categories: readonly PublicCategory[];
  /** Per day, the city's counts (events without a place included). */
  days: { date: string; counts: PublicCounts }[];
  /** Over the whole period, the city's counts. */
  totals: PublicCounts;
  /** Over the whole period, per zone (the city's permanent zones: no warning's area). */
  zones: { id: string; name: string; kind: string; counts: PublicCounts }[];
  generatedAt: string;
};
