import { describe, expect, it } from 'vitest';
import { ruleFromYaml } from '../testing/fixtures.ts';

const rule = (body: string) => ruleFromYaml(`id: r\ntitle: T\nseverity: low\n${body}`);
const threshold = (extra: string) => rule(`kind: threshold\n${extra}groupBy: zone\nwindow: 10m\ncount: { gte: 2 }\n`);

describe('impliedByIndex (CompiledRule.indexed)', () => {
  it('holds for a where that is the short-form type alone (exact, list or glob), or none, with or without a zones block', () => {
    expect(threshold('where: { type: "incident.theft" }\n').indexed).toBe(true);
    expect(threshold('where: { type: ["incident.theft", "incident.fight"] }\n').indexed).toBe(true);
    expect(threshold('where: { type: "incident.*" }\nzones: [A, "tag:night"]\n').indexed).toBe(true);
    expect(threshold('').indexed).toBe(true);
  });

  it('does not hold once anything else is tested', () => {
    expect(threshold('where: { type: "incident.a", source: csu }\n').indexed).toBe(false);
    expect(threshold('where: { all: [ { type: "incident.a" } ] }\n').indexed).toBe(false);
    expect(threshold('where: { field: type, op: eq, value: "incident.a" }\n').indexed).toBe(false);
    expect(threshold('where: { op: inZone, value: A }\n').indexed).toBe(false);
    expect(threshold('where: { type: "incident.a" }\nactiveDuring: { cron: "* 8-18 * * 1-5" }\n').indexed).toBe(false);
    expect(rule('kind: match\nwhere: { all: [ { type: "a.b" }, { field: severity, op: gte, value: 4 } ] }\n').indexed).toBe(false);
    expect(rule('kind: sequence\nwithin: 10m\nsteps: [ { as: a, where: { type: "a.b" } }, { as: b, where: { type: "a.c" } } ]\n').indexed).toBe(false);
  });
});
