import { z } from 'zod';
import { Severity } from '../domain/alert.ts';
import { parseDistance, parseDuration } from './duration.ts';
import { checkFilter, isFieldPath, FIELD_HELP, type Filter } from './filter-schema.ts';
import { checkSchedule } from './schedule.ts';

export const RULE_KINDS = ['match', 'threshold', 'anomaly', 'sequence', 'cooccurrence', 'absence'] as const;
/** Kinds this engine evaluates (all of the language's). */
export const SUPPORTED_KINDS = RULE_KINDS;

/**
 * The kind of rule an alert explanation's kind tells of (`threshold` for `threshold-early`),
 * or undefined for one that tells of no kind (`rule-changed`), or none given.
 */
export function ruleKindOf(explanationKind: string | undefined): string | undefined {
  const kind = explanationKind?.split('-')[0];
  return kind && (RULE_KINDS as readonly string[]).includes(kind) ? kind : undefined;
}

/** The longest window, span or silence a rule may name (a year: windows are held in memory, and times must stay times). */
export const MAX_DURATION_DAYS = 366;
/** The farthest a rule may look around an event. */
export const MAX_DISTANCE_KM = 100;
const durationOk = (ms: number | undefined) => ms !== undefined && ms > 0 && ms <= MAX_DURATION_DAYS * 86_400_000;
const distanceOk = (m: number | undefined) => m !== undefined && m > 0 && m <= MAX_DISTANCE_KM * 1000;
export const Duration = z.string().refine((s) => durationOk(parseDuration(s)), {
  message: `a duration such as 30s, 10m, 2h, 1d: more than 0, at most ${MAX_DURATION_DAYS}d`, params: { reason: 'duration' },
});
export const Distance = z.string().refine((s) => distanceOk(parseDistance(s)), {
  message: `a distance such as 50m or 1.5km: more than 0, at most ${MAX_DISTANCE_KM}km`, params: { reason: 'distance' },
});

const FilterSchema = z.unknown().superRefine((value, ctx) => {
  for (const issue of checkFilter(value)) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message, params: { reason: issue.reason } });
}) as unknown as z.ZodType<Filter>;

/** `zone`, `zone:<kind>`, `cell` / `cell:<res>` (H3), `source`, `type`, or an event field. */
export const GroupBy = z.string().refine(
  (g) => g === 'zone' || /^zone:[a-z0-9_-]+$/.test(g) || g === 'cell' || /^cell:(?:[0-9]|1[0-5])$/.test(g) || isFieldPath(g),
  { message: `zone, zone:<kind>, cell, cell:<0-15>, source, type, or ${FIELD_HELP}`, params: { reason: 'group_by' } },
);

const FieldRef = z.string().refine(isFieldPath, { message: `an event field: ${FIELD_HELP}`, params: { reason: 'field_ref' } });

/** When a rule runs: a cron-like schedule on the event's local time, or the events calendar. */
export const ActiveDuring = z.union([
  z.strictObject({
    cron: z.string().superRefine((s, ctx) => {
      const problem = checkSchedule(s);
      if (problem) ctx.addIssue({ code: 'custom', message: problem.message, params: { reason: problem.reason } });
    }),
  }),
  z.strictObject({
    /** A calendar event kind (match, concert…) or id. */
    calendar: z.string().min(1).max(100),
    phase: z.enum(['arrival', 'during', 'departure']).optional(),
  }),
]);
export type ActiveDuring = z.infer<typeof ActiveDuring>;

/** A language of a rule's texts besides its own: two lower-case letters (ISO 639-1), as `en`. */
const LANGUAGE = /^[a-z]{2}$/;
/** The language of a rule's own texts: the console's default (what `{zone}` says of no zone, CAP's first <info>). */
const OWN_LANGUAGE = 'fr';

/**
 * A rule's wording in another language than its own French: its alerts carry every translation
 * beside the rule's own text, and the console shows the one of its language. It takes the same
 * placeholders as the rule's own title and actions; without actions, its readers get the
 * rule's own.
 */
export const RuleTranslation = z.strictObject({
  title: z.string().min(1).max(200),
  description: z.string().max(2000).optional(),
  actions: z.array(z.string().min(1).max(300)).max(20).optional(),
});
export type RuleTranslation = z.infer<typeof RuleTranslation>;

const MAX_LANGUAGES = 10;
const Translations = z.record(z.string(), RuleTranslation).superRefine((t, ctx) => {
  const languages = Object.keys(t);
  for (const lang of languages) {
    if (!LANGUAGE.test(lang)) ctx.addIssue({ code: 'custom', path: [lang], message: 'a language as two lower-case letters (ISO 639-1), such as "en"', params: { reason: { key: 'translation_language' } } });
    else if (lang === OWN_LANGUAGE) ctx.addIssue({ code: 'custom', path: [lang], message: 'the rule\'s own title, description and actions are its French: translations are other languages', params: { reason: { key: 'translation_own' } } });
  }
  if (languages.length > MAX_LANGUAGES) ctx.addIssue({ code: 'custom', message: `at most ${MAX_LANGUAGES} languages`, params: { reason: { key: 'too_big', limit: MAX_LANGUAGES } } });
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
  activeDuring: ActiveDuring.optional(),
  /** One open alert per key: a repeat within this span raises the open alert's count. */
  suppress: Duration.optional(),
  actions: z.array(z.string().min(1).max(300)).max(20).default([]),
  /** The title, description and actions in other languages, by language (`en: {title, actions}`). */
  translations: Translations.optional(),
};

export const MatchRule = z.strictObject({
  ...Common,
  kind: z.literal('match'),
  groupBy: GroupBy.optional(),
  /**
   * With `suppress`: an event that opens an episode fires on its arrival, without waiting for
   * the allowed lateness; the events evaluated in order then update that alert. (Without
   * `suppress` every match fires on arrival anyway: refused, so that the rule says what it does.)
   */
  early: z.boolean().optional(),
}).superRefine((r, ctx) => {
  if (r.early && !r.suppress) ctx.addIssue({ code: 'custom', path: ['early'], message: 'early firing is for a match rule with suppress (without it, every match fires on arrival already)', params: { reason: { key: 'early_without_suppress' } } });
});

/** `count: {gte}`, or `sum: {field, gte}`, or `distinct: {field, gte}`: one of them. */
export const ThresholdRule = z.strictObject({
  ...Common,
  kind: z.literal('threshold'),
  groupBy: GroupBy,
  window: Duration,
  count: z.strictObject({ gte: z.number().int().min(1).max(100_000) }).optional(),
  sum: z.strictObject({ field: FieldRef, gte: z.number() }).optional(),
  distinct: z.strictObject({ field: FieldRef, gte: z.number().int().min(2).max(10_000) }).optional(),
  /**
   * Fire as soon as the events arrived meet the bound, without waiting for the allowed
   * lateness: a count or a number of distinct values only grows with late events, so the
   * alert stands; the events evaluated in order then complete it (`updated`). Not with `sum`
   * (a negative value could take it back under).
   */
  early: z.boolean().optional(),
}).superRefine((r, ctx) => {
  const n = [r.count, r.sum, r.distinct].filter(Boolean).length;
  if (n !== 1) ctx.addIssue({ code: 'custom', path: ['count'], message: 'give exactly one of count: {gte}, sum: {field, gte} or distinct: {field, gte}', params: { reason: { key: 'one_measure' } } });
  if (r.early && r.sum) ctx.addIssue({ code: 'custom', path: ['early'], message: 'early firing needs count or distinct (a sum may go back down)', params: { reason: { key: 'early_sum' } } });
});

export const AnomalyRule = z.strictObject({
  ...Common,
  kind: z.literal('anomaly'),
  groupBy: GroupBy,
  window: Duration,
  /** Fires when P(X ≥ count | baseline) is below this. */
  pValue: z.number().gt(0).lt(0.5).default(0.001),
  minCount: z.number().int().min(1).default(5),
  /**
   * Fire as soon as the events arrived make the window's count unlikely for its hour of the
   * week, without waiting for the allowed lateness: late events only raise the count.
   */
  early: z.boolean().optional(),
});

export const SequenceRule = z.strictObject({
  ...Common,
  kind: z.literal('sequence'),
  steps: z.array(z.strictObject({
    as: z.string().regex(/^[a-z][a-zA-Z0-9_]{0,30}$/, 'a short name: letters, digits, "_"'),
    where: FilterSchema,
  })).min(2).max(6),
  within: Duration,
  /** Every step within this distance of the first. */
  near: Distance.optional(),
  /** Steps must share this key (e.g. attributes.lampId). */
  groupBy: GroupBy.optional(),
  unless: z.strictObject({ where: FilterSchema, same: FieldRef.optional() }).optional(),
  /**
   * Fire on the arrival of the event that completes a sequence with the events known (evaluated
   * in order, or arrived), without waiting for the allowed lateness; an `unless` arriving late
   * that cancels it in order resolves the alert as not confirmed.
   */
  early: z.boolean().optional(),
}).superRefine((r, ctx) => {
  const names = r.steps.map((s) => s.as);
  names.forEach((n, i) => { if (names.indexOf(n) !== i) ctx.addIssue({ code: 'custom', path: ['steps', i, 'as'], message: `step name "${n}" is used twice`, params: { reason: { key: 'step_twice', name: n } } }); });
});

export const CooccurrenceRule = z.strictObject({
  ...Common,
  kind: z.literal('cooccurrence'),
  /** The field whose distinct values are counted, e.g. source; without it, the events are counted (a cluster: `min` events within `near` of the latest). */
  distinct: FieldRef.optional(),
  min: z.number().int().min(2).max(20),
  within: Duration,
  near: Distance,
  /** Fire as soon as the events arrived make the cluster (see ThresholdRule's `early`): distinct values only grow with late events. */
  early: z.boolean().optional(),
});

export const AbsenceRule = z.strictObject({
  ...Common,
  kind: z.literal('absence'),
  groupBy: GroupBy,
  /** A fixed span (`30m`), or `auto`: silent for longer than the hour-of-week rate makes likely. */
  for: z.union([z.literal('auto'), Duration]),
  /** With `for: auto`: fire when P(no event over the gap) is below this. */
  pValue: z.number().gt(0).lt(0.5).default(0.001),
  /** With `for: auto`: never before this span. */
  minFor: Duration.default('5m'),
  /** Keys expected even before their first event (e.g. the feeds' sources). */
  expect: z.array(z.string().min(1)).optional(),
});

export const RuleDefinition = z.discriminatedUnion('kind', [MatchRule, ThresholdRule, AnomalyRule, SequenceRule, CooccurrenceRule, AbsenceRule])
  .superRefine((r, ctx) => {
    // A translation's actions are the same steps: one missing would hide a step from its readers.
    for (const [lang, t] of Object.entries(r.translations ?? {})) {
      if (t.actions && t.actions.length !== r.actions.length) {
        ctx.addIssue({ code: 'custom', path: ['translations', lang, 'actions'], message: `as many actions as the rule's own (${r.actions.length})`, params: { reason: { key: 'translation_actions', count: r.actions.length } } });
      }
    }
  });
export type RuleDefinition = z.infer<typeof RuleDefinition>;
export type MatchRuleDefinition = z.infer<typeof MatchRule>;
export type ThresholdRuleDefinition = z.infer<typeof ThresholdRule>;
export type AnomalyRuleDefinition = z.infer<typeof AnomalyRule>;
export type SequenceRuleDefinition = z.infer<typeof SequenceRule>;
export type CooccurrenceRuleDefinition = z.infer<typeof CooccurrenceRule>;
export type AbsenceRuleDefinition = z.infer<typeof AbsenceRule>;

/** Whether a rule fires on arrival (`early: true`: every kind but absence, which late events could only cancel). */
export const firesEarly = (def: RuleDefinition): boolean => 'early' in def && def.early === true;
