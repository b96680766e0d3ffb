import { z } from 'zod';
import { Severity } from '../domain/alert.ts';
import { parseDuration } from './duration.ts';
import { checkFilter, isFieldPath, FIELD_HELP, type Filter } from './filter-schema.ts';

export const RULE_KINDS = ['match', 'threshold', 'anomaly', 'sequence', 'cooccurrence', 'absence'] as const;
/** Kinds this engine evaluates today; the others belong to the language but are refused with a clear error. */
export const SUPPORTED_KINDS = ['match', 'threshold'] as const;

export const Duration = z.string().refine((s) => parseDuration(s) !== undefined, {
  message: 'a duration such as 30s, 10m, 2h, 1d',
});

const FilterSchema = z.unknown().superRefine((value, ctx) => {
  for (const issue of checkFilter(value)) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
}) as unknown as z.ZodType<Filter>;

/** `zone`, `zone:<kind>` (only zones of that kind), `source`, `type`, or an event field. */
export const GroupBy = z.string().refine((g) => g === 'zone' || /^zone:[a-z0-9_-]+$/.test(g) || isFieldPath(g), {
  message: `zone, zone:<kind>, source, type, or ${FIELD_HELP}`,
});

const Common = {
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,79}$/, 'lower-case letters, digits and "-", at most 80'),
  title: z.string().min(1).max(200),
  description: z.string().max(2000).optional(),
  severity: Severity,
  enabled: z.boolean().default(true),
  where: FilterSchema.optional(),
  /** Limit the rule to events inside these zones; `tag:<name>` names every zone with that tag. */
  zones: z.array(z.string().min(1)).min(1).optional(),
  /** One open alert per key: a repeat within this span raises the open alert's count. */
  suppress: Duration.optional(),
  actions: z.array(z.string().min(1).max(300)).max(20).default([]),
};

export const MatchRule = z.strictObject({
  ...Common,
  kind: z.literal('match'),
  groupBy: GroupBy.optional(),
});

export const ThresholdRule = z.strictObject({
  ...Common,
  kind: z.literal('threshold'),
  groupBy: GroupBy,
  window: Duration,
  count: z.strictObject({ gte: z.number().int().min(1).max(100_000) }),
});

export const RuleDefinition = z.discriminatedUnion('kind', [MatchRule, ThresholdRule]);
export type RuleDefinition = z.infer<typeof RuleDefinition>;
export type MatchRuleDefinition = z.infer<typeof MatchRule>;
export type ThresholdRuleDefinition = z.infer<typeof ThresholdRule>;
