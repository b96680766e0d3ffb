import type { RuleSummary } from '@vigie/rules';
import { http } from '../api/http.ts';
import { fetchRuleNames } from './rules-api.ts';

/** The least time between two readings of the rules. */
const RETRY_MS = 30_000;
/** How long a reading stands for a rule it holds (a rule published since is read again after it). */
const FRESH_MS = 5 * 60_000;

/**
 * The rules as the console's alert views show them (their titles and descriptions): read
 * once, when first needed, and again when an alert names a rule not read yet (a rule
 * published since), or when the reading is over 5 min old; at most every 30 s. Until read,
 * or when they cannot be read (a wall display may not), `byId` is empty and the views say
 * the rule's id.
 */
class RuleCatalogue {
  byId = $state.raw<ReadonlyMap<string, RuleSummary>>(new Map());
  #asked = -Infinity;
  #reading = false;

  /** Reads the rules unless a recent reading holds `ruleId` (any rule, without one). */
  want(ruleId?: string, now = Date.now()): void {
    const fresh = now - this.#asked < FRESH_MS && (ruleId === undefined || this.byId.has(ruleId));
    if (fresh || this.#reading || now - this.#asked < RETRY_MS) return;
    this.#asked = now;
    this.#reading = true;
    fetchRuleNames(http)
      .then((list) => (this.byId = new Map(list.rules.map((r) => [r.id, r]))))
      .catch(() => {})
      .finally(() => (this.#reading = false));
  }
}

export const ruleCatalogue = new RuleCatalogue();
