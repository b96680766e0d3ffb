import { globToRegExp } from '../language/compile-filter.ts';
import type { CompiledRule } from '../language/compile-rule.ts';

/**
 * Which rules an event type can concern. Each distinct type is resolved once against the
 * rules' type patterns and remembered; a rule that says nothing of the type is always a
 * candidate. The per-event cost then follows the rules that concern the event, not all rules.
 */
/** The candidates of one event type, split by how the engine runs them. */
export type Candidates<T> = { onArrival: T[]; inOrder: T[] };

export class RuleIndex<T extends { rule: CompiledRule; stateless: boolean }> {
  private byType = new Map<string, Candidates<T>>();
  private readonly matchers: { entry: T; test?: (type: string) => boolean }[];

  constructor(entries: T[]) {
    this.matchers = entries.map((entry) => {
      const types = entry.rule.types;
      if (!types) return { entry };
      const exact = new Set(types.filter((p) => !/[*?]/.test(p)));
      const globs = types.filter((p) => /[*?]/.test(p)).map(globToRegExp);
      return { entry, test: (type: string) => exact.has(type) || globs.some((g) => g.test(type)) };
    });
  }

  candidates(type: string): Candidates<T> {
    let c = this.byType.get(type);
    if (!c) {
      const list = this.matchers.filter((m) => !m.test || m.test(type)).map((m) => m.entry);
      c = { onArrival: list.filter((e) => e.stateless), inOrder: list.filter((e) => !e.stateless) };
      if (this.byType.size > 10_000) this.byType.clear(); // unbounded type vocabularies stay bounded
      this.byType.set(type, c);
    }
    return c;
  }
}
