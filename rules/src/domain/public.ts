/**
 * What the public page and API count (`GET /api/v1/public/indicators`), by the event type's
 * family: only what the city may say in public. Never health (hospital admissions), nor the
 * feeds' own messages or the calendar.
 */
export const PUBLIC_CATEGORIES = ['incident', 'accident', 'citizen', 'lighting', 'transport', 'crowd'] as const;
export type PublicCategory = (typeof PUBLIC_CATEGORIES)[number];

/**
 * Counts per category, each rounded to a multiple of `roundedTo`, up or down at random in
 * proportion (fair on average): 0 stands for 0 to 4, 5 for 1 to 9 (with `roundedTo` 5).
 */
export type PublicCounts = Record<PublicCategory, number>;

/** The anonymised indicators anyone may read: counts, never an event by itself. */
export type PublicIndicators = {
  city: string;
  timeZone: string;
  /** The week counted, Monday to Sunday (local dates, both whole). */
  from: string;
  to: string;
  /** Every count is rounded to a multiple of this, each on its own (see `PublicCounts`). */
  roundedTo: number;
  categories: readonly PublicCategory[];
  /** Per day, the city's counts (events without a place included). */
  days: { date: string; counts: PublicCounts }[];
  /** Over the whole period, the city's counts. */
  totals: PublicCounts;
  /** Over the whole period, per zone (the city's permanent zones: no warning's area). */
  zones: { id: string; name: string; kind: string; counts: PublicCounts }[];
  /** When the week was due (the Monday after it, 06:00 city time): the events received before it are counted, no later one. */
  publishedAt: string;
};
