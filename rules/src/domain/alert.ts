import { z } from 'zod';
import { Location } from './event.ts';

export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export const Severity = z.enum(SEVERITIES);
export type Severity = z.infer<typeof Severity>;

export const ALERT_STATUSES = ['open', 'acknowledged', 'resolved', 'dismissed'] as const;
export const AlertStatus = z.enum(ALERT_STATUSES);
export type AlertStatus = z.infer<typeof AlertStatus>;

/** A reference to one event that contributed to an alert (no free text: no personal data). */
export const EvidenceRef = z.object({
  source: z.string(),
  id: z.string(),
  type: z.string(),
  time: z.string(),
  location: Location.optional(),
});
export type EvidenceRef = z.infer<typeof EvidenceRef>;

/** Why an alert fired, in data: the conditions met and the numbers behind them. */
export const EXPLANATION_KINDS = [
  'match', 'match-repeat', 'threshold', 'threshold-early', 'threshold-cleared', 'threshold-unconfirmed', 'anomaly', 'anomaly-early', 'anomaly-cleared', 'anomaly-unconfirmed',
  'sequence', 'sequence-early', 'sequence-unconfirmed', 'cooccurrence', 'cooccurrence-early', 'cooccurrence-events', 'cooccurrence-events-early', 'cooccurrence-cleared', 'cooccurrence-unconfirmed', 'absence', 'absence-cleared',
  'rule-changed', 'rule-kind-changed',
] as const;
export const Explanation = z.object({
  /** Which sentence explains it, so that a console can say it in its own language. */
  kind: z.enum(EXPLANATION_KINDS).optional(),
  /** The same sentence in English, for logs and API users. */
  summary: z.string(),
  conditions: z.array(z.string()),
  /** The same conditions in French, the console's default language (alerts raised before it have none). */
  conditionsFr: z.array(z.string()).optional(),
  numbers: z.record(z.string(), z.union([z.number(), z.string()])),
});
export type Explanation = z.infer<typeof Explanation>;

/** An alert's title and actions in other languages than the rule's own, by language (`en`); no actions where the translation gives none (the rule's own are the ones). */
export const AlertTranslations = z.record(z.string(), z.object({ title: z.string(), actions: z.array(z.string()).optional() }));
export type AlertTranslations = z.infer<typeof AlertTranslations>;

/** What the engine returns: effects as data, carried out by the server. */
export type AlertTransition = {
  kind: 'fired' | 'updated' | 'resolved';
  ruleId: string;
  ruleVersion: number;
  key: string;
  /** Event time of the transition (ms since epoch). */
  at: number;
  severity: Severity;
  title: string;
  actions: string[];
  /** The title and actions in the rule's other languages, by language (`en`), when it has some. */
  translations?: AlertTranslations;
  location?: Location;
  zones: string[];
  /** How many matching events are behind this transition (window count or repeats). */
  count: number;
  explanation: Explanation;
  evidence: EvidenceRef[];
  /** The rule's `suppress` (ms): firing again this soon after the alert was resolved reopens it. */
  suppressMs?: number;
};

export const AlertHistoryEntry = z.object({
  at: z.string(),
  by: z.string(),
  action: z.string(),
  note: z.string().optional(),
});
export type AlertHistoryEntry = z.infer<typeof AlertHistoryEntry>;

/** An alert as the API and the live protocol carry it. */
export const Alert = z.object({
  id: z.string(),
  ruleId: z.string(),
  key: z.string(),
  status: AlertStatus,
  severity: Severity,
  title: z.string(),
  actions: z.array(z.string()),
  /** The title and actions in the rule's other languages, by language (`en`); empty when it has none. */
  translations: AlertTranslations.optional(),
  location: Location.nullable(),
  zones: z.array(z.string()),
  count: z.number().int(),
  firstAt: z.string(),
  lastAt: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** false once the engine saw the condition clear (a threshold back under). */
  conditionActive: z.boolean(),
  assignee: z.string().nullable(),
  explanation: Explanation,
  evidence: z.array(EvidenceRef),
  history: z.array(AlertHistoryEntry),
  version: z.number().int(),
  seq: z.number().int(),
  /** The silence that held this alert back when it fired (stored, shown on demand), if any. */
  silencedBy: z.string().nullable().optional(),
  /** How many times it escalated for not being acknowledged in time. */
  escalations: z.number().int().optional(),
  /** When it escalates if nobody acknowledges it (open and not silenced only). */
  ackDueAt: z.string().nullable().optional(),
});
export type Alert = z.infer<typeof Alert>;

export const severityRank = (s: Severity): number => SEVERITIES.indexOf(s);
