import type { EvidenceRef } from '../domain/alert.ts';

export type MatchKeyState = { lastAt: number; count: number; evidence: EvidenceRef[] };
export type ThresholdKeyState = { times: number[]; evidence: EvidenceRef[]; open: boolean };

/** One rule's state: plain data, keyed by group key. */
export type RuleState<K> = { version: number; keys: Record<string, K> };

/** The whole engine's state, as JSON-safe plain data. */
export type EngineSnapshot = {
  format: 1;
  /** null before any event */
  watermark: number | null;
  rules: Record<string, RuleState<MatchKeyState | ThresholdKeyState>>;
};
