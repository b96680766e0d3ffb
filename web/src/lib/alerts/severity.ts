import type { Severity } from '@vigie/rules';

/** One colour per severity, used by the queue, the detail and the map (canvas needs values). */
export const SEVERITY_COLORS: Readonly<Record<Severity, string>> = {
  info: '#9aa5b4',
  low: '#4ea1ff',
  medium: '#f2c230',
  high: '#ff8a1f',
  critical: '#ff3d3d',
};

/** Text colour readable on the severity colour. */
export const SEVERITY_INK: Readonly<Record<Severity, string>> = {
  info: '#0b0f14',
  low: '#0b0f14',
  medium: '#0b0f14',
  high: '#0b0f14',
  critical: '#ffffff',
};

/** Severities from the least to the most severe (typed as a record: none can be forgotten). */
const SEVERITY_RANK: Readonly<Record<Severity, number>> = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };

export const severityRankOf = (severity: Severity): number => SEVERITY_RANK[severity];

/** Radius in pixels of an alert marker: the higher the severity, the bigger. */
export const markerRadius = (severity: Severity): number => 7 + 3 * severityRankOf(severity);
