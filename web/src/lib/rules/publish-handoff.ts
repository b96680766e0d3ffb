import type { Period } from './periods.ts';
import type { BacktestResult } from './types.ts';

/** What the backtest panel keeps across the move to a rule's page: its period, and its last result with the text it tested. */
export type BacktestKept = { period: Period; customFrom: string; customTo: string; done: { result: BacktestResult; yaml: string } | null };

/**
 * What the editor of a new rule hands to the page of the rule it just created: that page is
 * another one (`/rules/<id>`, built anew), which says the rule was published and keeps the
 * backtest. `text`: the text published, which the page opens on; `at`: when it was handed.
 */
export type Handoff = { id: string; message: string; text: string; backtest: BacktestKept | null; at: number };

/** A handoff older than this is not taken (the move did not happen, and the page was opened later another way). */
const FRESH_MS = 30_000;

let pending: Handoff | null = null;

export function handOver(h: Handoff): void {
  pending = h;
}

/** The handoff for rule `id`'s page, if one was just made for it; taken once (and any other one dropped). */
export function takeHandoff(id: string, now = Date.now()): Handoff | null {
  const h = pending;
  pending = null;
  return h && h.id === id && now - h.at >= 0 && now - h.at <= FRESH_MS ? h : null;
}
