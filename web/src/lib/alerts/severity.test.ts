import { SEVERITIES } from '@vigie/rules';
import { describe, expect, it } from 'vitest';
import { markerRadius, SEVERITY_COLORS } from './severity.ts';

describe('severity presentation', () => {
  it('grows the marker with the severity', () => {
    const radii = SEVERITIES.map(markerRadius);
    expect(radii).toEqual([...radii].sort((a, b) => a - b));
    expect(new Set(radii).size).toBe(SEVERITIES.length);
  });

  it('gives each severity its own colour', () => {
    expect(new Set(SEVERITIES.map((s) => SEVERITY_COLORS[s])).size).toBe(SEVERITIES.length);
  });
});
