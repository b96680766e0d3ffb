import { describe, expect, it } from 'vitest';
import { compileRule, type CompiledRule } from './compile-rule.ts';
import { parseRule } from './parse.ts';

function compiled(body: string): CompiledRule {
  const r = parseRule(`id: r\ntitle: T\nseverity: low\n${body}`);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return compileRule(r.rule);
}

const KINDS: Record<string, string> = {
  match: 'kind: match\nwhere: { type: incident.assault }\n',
  threshold: 'kind: threshold\nwhere: { type: incident.assault }\ngroupBy: zone\nwindow: 10m\ncount: { gte: 3 }\n',
  anomaly: 'kind: anomaly\nwhere: { family: incident }\ngroupBy: zone\nwindow: 1h\n',
  sequence: 'kind: sequence\nsteps:\n  - { as: fault, where: { type: lighting.fault } }\n  - { as: accident, where: { type: "accident.*" } }\nwithin: 24h\nnear: 50m\n',
  cooccurrence: 'kind: cooccurrence\nwhere: { family: incident }\ndistinct: source\nmin: 3\nwithin: 10m\nnear: 300m\n',
  absence: 'kind: absence\nwhere: { family: feed }\ngroupBy: source\nfor: 20m\n',
};

describe('compileRule', () => {
  it('gives every kind the same fields in the same order (one shape for the engine to read)', () => {
    const shapes = Object.entries(KINDS).map(([kind, body]) => [kind, Object.keys(compiled(body))] as const);
    for (const [, keys] of shapes) expect(keys).toEqual(shapes[0]![1]);
  });

  it('reads each kind its span and distance: window, within or for; near where it has one', () => {
    const spans = Object.fromEntries(Object.entries(KINDS).map(([kind, body]) => {
      const r = compiled(body);
      return [kind, [r.windowMs, r.nearMeters]];
    }));
    expect(spans).toEqual({
      match: [undefined, undefined],
      threshold: [600_000, undefined],
      anomaly: [3_600_000, undefined],
      sequence: [86_400_000, 50],
      cooccurrence: [600_000, 300],
      absence: [1_200_000, undefined],
    });
    expect(compiled(KINDS.absence!.replace('for: 20m', 'for: auto')).windowMs).toBeUndefined();
    expect(compiled(KINDS.sequence!.replace('near: 50m\n', '')).nearMeters).toBeUndefined();
  });

  it("leaves a sequence's types and equality gate to its steps, not its where", () => {
    const seq = compiled(`${KINDS.sequence}where: { attributes.kind: "x" }\n`);
    expect([seq.types, seq.alpha]).toEqual([undefined, undefined]);
    const match = compiled('kind: match\nwhere: { all: [ { type: incident.assault }, { attributes.kind: "x" } ] }\n');
    expect(match.types).toEqual(['incident.assault']);
    expect(match.alpha).toBeDefined();
  });
});
