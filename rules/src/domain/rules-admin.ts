import type { AlertTranslations, EvidenceRef, Explanation, Severity } from './alert.ts';
import type { Location } from './event.ts';
import type { RuleError } from '../language/parse.ts';
import type { RuleDefinition } from '../language/rule-schema.ts';

/** The wire types of the rules area (`/api/v1/rules`, backtests), typed once for the server and the console. */

/** How a rule fares with the operators over a period: is it noise? */
export type RuleQuality = {
  alerts: number;
  alertsPerDay: number;
  /** Share (0–1) of its alerts acknowledged at some point; null without alerts. */
  acknowledgedShare: number | null;
  /** Share (0–1) dismissed with the reason `false_positive`. */
  falsePositiveShare: number | null;
  /** Median seconds from creation to the first acknowledgement; null when none was acknowledged. */
  medianSecondsToAck: number | null;
  /** Alerts recorded in shadow mode over the period (not pushed). */
  shadowAlerts: number;
};

export type RuleSummary = {
  id: string;
  version: number;
  title: string;
  kind: string;
  severity: Severity;
  enabled: boolean;
  shadow: boolean;
  updatedAt?: string;
  updatedBy?: string;
  quality: RuleQuality | null;
  /** The rule as parsed (its `activeDuring` says which calendar events it follows). */
  definition: RuleDefinition;
};
export type RuleList = { qualityDays: number; rules: RuleSummary[]; errors: (RuleError & { file: string })[] };

export type StoredRule = { id: string; version: number; yaml: string; shadow: boolean; updatedAt: string; updatedBy: string };
export type RuleVersion = { ruleId: string; version: number; yaml: string; author: string; at: string; comment: string; diff: string };
/** An alert a rule in shadow mode recorded instead of raising it (`GET /api/v1/rules/:id/shadow-alerts`). */
export type ShadowAlert = { ruleId: string; ruleVersion: number; key: string; kind: string; at: string; title: string; translations: AlertTranslations; zones: string[] };

/** One alert a backtest raised, with its explanation. */
export type BacktestAlert = {
  key: string;
  at: string;
  title: string;
  /** Its title in the rule's other languages, by language (`en`), when the rule has some. */
  translations?: AlertTranslations;
  severity: Severity;
  zones: string[];
  location?: Location;
  explanation: Explanation;
  evidence: EvidenceRef[];
};

export type BacktestResult = {
  from: string;
  to: string;
  eventsRead: number;
  durationMs: number;
  cancelled: boolean;
  /** Alerts the draft raised. */
  alerts: number;
  /** Every day of the period in the city's time zone, with zero days. */
  perDay: { day: string; count: number }[];
  perZone: { zone: string; count: number }[];
  points: { lat: number; lon: number; at: string }[];
  sample: BacktestAlert[];
  /** Against the version in force over the same events; null for a new rule. */
  comparison: null | {
    publishedVersion: number;
    publishedAlerts: number;
    added: number;
    removed: number;
    addedSample: BacktestAlert[];
    removedSample: BacktestAlert[];
  };
};

/** How far a running backtest is (streamed to the console). */
export type BacktestProgress = { eventsRead: number; fraction: number; alerts: number };
