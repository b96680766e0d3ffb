const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const DURATION_RE = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/;

/** "10m" → 600000. Returns undefined when the text is not a duration. */
export function parseDuration(text: string): number | undefined {
  const m = DURATION_RE.exec(text.trim());
  if (!m) return undefined;
  return Math.round(Number(m[1]) * UNIT_MS[m[2]!]!);
}

/** The units `formatDuration` tries, largest first, and their sizes beside them (no lookup by name: it runs per alert). */
const FORMAT_UNITS = ['w', 'd', 'h', 'm', 's'] as const;
const FORMAT_SIZES = FORMAT_UNITS.map((u) => UNIT_MS[u]!);

/** 600000 → "10m": the largest unit that divides the value. */
export function formatDuration(ms: number): string {
  for (let i = 0; i < FORMAT_UNITS.length; i++) {
    const size = FORMAT_SIZES[i]!;
    if (ms >= size && ms % size === 0) return `${ms / size}${FORMAT_UNITS[i]}`;
  }
  return `${ms}ms`;
}

/**
 * A duration as a title says it: "10 min", "2 h", "30 s" (read alike in French and English,
 * where "10m" reads as ten metres); days and weeks as written ("2d"). One the engine measured
 * in seconds or milliseconds (a sequence's "10780s") in hours, minutes and seconds as a person
 * would say it: "2 h 59 min" (no seconds past an hour), "3 min 05 s", "42 s".
 */
export function durationText(text: string): string {
  const m = /^(\d+)(ms|s|m|h)$/.exec(text.trim());
  if (!m) return text;
  if (m[2] === 'm' || m[2] === 'h') return `${m[1]} ${m[2] === 'm' ? 'min' : 'h'}`;
  const s = Math.round(Number(m[1]) / (m[2] === 'ms' ? 1000 : 1));
  const h = Math.floor(s / 3600), min = Math.floor((s % 3600) / 60), sec = s % 60;
  if (h) return min ? `${h} h ${String(min).padStart(2, '0')} min` : `${h} h`;
  if (min) return sec ? `${min} min ${String(sec).padStart(2, '0')} s` : `${min} min`;
  return `${sec} s`;
}

const DISTANCE_RE = /^(\d+(?:\.\d+)?)(m|km)$/;
/** "300m" → 300, "1.5km" → 1500 (metres). */
export function parseDistance(text: string): number | undefined {
  const m = DISTANCE_RE.exec(text.trim());
  if (!m) return undefined;
  return Number(m[1]) * (m[2] === 'km' ? 1000 : 1);
}
