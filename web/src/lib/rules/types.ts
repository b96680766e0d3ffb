import type { EvidenceRef, Explanation, Location, RuleError, Severity } from '@vigie/rules';

/** The wire types of `/api/v1/rules` (see server/src/http/rules-routes.ts). */
export type RuleQuality = {
  alerts: number;
  alertsPerDay: number;
  acknowledgedShare: number | null;
  falsePositiveShare: number | null;
  medianSecondsToAck: number | null;
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
};
export type RuleList = { qualityDays: number; rules: RuleSummary[]; errors: (RuleError & { file: string })[] };

export type StoredRule = { id: string; version: number; yaml: string; shadow: boolean; updatedAt: string; updatedBy: string };
export type RuleVersion = { ruleId: string; version: number; yaml: string; author: string; at: string; comment: string; diff: string };

export type BacktestAlert = {
  key: string;
  at: string;
  title: string;
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
  alerts: number;
  perDay: { day: string; count: number }[];
  perZone: { zone: string; count: number }[];
  points: { lat: number; lon: number; at: string }[];
  sample: BacktestAlert[];
  comparison: null | {
    publishedVersion: number;
    publishedAlerts: number;
    added: number;
    removed: number;
    addedSample: BacktestAlert[];
    removedSample: BacktestAlert[];
  };
};

export type BacktestProgress = { eventsRead: number; fraction: number; alerts: number };
