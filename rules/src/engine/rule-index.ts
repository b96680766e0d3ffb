import { globToRegExp } from '../language/compile-filter.ts';
import type { CompiledRule } from '../language/compile-rule.ts';

/**
 * Which rules an event type can concern. Each distinct type is resolved once against the
 * rules' type patterns and remembered; a rule that says nothing of the type is always a
 * candidate. The per-event cost then follows the rules that concern the event, not all rules.
 */
export class RuleIndex<T extends { rule: CompiledRule }> {
  private byType = new Map<string, T[]>();
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

  candidates(type: string): T[] {
    let list = this.byType.get(type);
    if (!list) {
      list = this.matchers.filter((m) => !m.test || m.test(type)).map((m) => m.entry);
      if (this.byType.size > 10_000) this.byType.clear(); // unbounded type vocabularies stay bounded
      this.byType.set(type, list);
    }
    return list;
  }
}
