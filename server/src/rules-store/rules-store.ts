import { compileRule, parseRule, type CompiledRule, type RuleFileError } from '@vigie/rules';
import type { Logger } from '../logger.ts';
import type { SqlClient } from '../storage/sql-client.ts';
import { localNotifier, pgNotifier, redisNotifier, type NodeNotifier } from '../nodes/node-notifier.ts';
import type { RedisLink } from '../nodes/redis-link.ts';
import { listPublishedRules, publishRule, seedRule, setRuleShadow, type PublishOutcome, type StoredRule } from './rules-repo.ts';
import { readSeedFiles } from './seed-files.ts';

/** The rules in force on this node, compiled, with those refused and those in shadow mode. */
export type RuleSet = { rules: CompiledRule[]; errors: RuleFileError[]; shadow: ReadonlySet<string>; stored: StoredRule[] };

/**
 * The database is the source of truth for rules: seeded from the library files, each
 * publish a new version. This keeps the compiled set in force on this node, reloads it
 * when any node publishes (through the notifier) and tells its listeners.
 */
export class RulesStore {
  private set: RuleSet = { rules: [], errors: [], shadow: new Set(), stored: [] };
  private listeners: ((s: RuleSet) => void)[] = [];
  private notifier: NodeNotifier = localNotifier;
  private reloading: Promise<RuleSet> | undefined;

  constructor(private readonly db: SqlClient, private readonly log: Logger, private readonly now: () => Date) {}

  /** Each rule file whose id is not in the database yet becomes its version 1. */
  async seed(dir: string): Promise<{ seeded: string[]; updated: string[]; edited: string[]; errors: RuleFileError[] }> {
    const { entries, errors } = await readSeedFiles(dir);
    for (const e of errors) this.log.error(`rule file refused: ${e.file}:${e.line}:${e.column} ${e.field ? `${e.field}: ` : ''}${e.message}`, { ...e });
    const seeded: string[] = [], updated: string[] = [], edited: string[] = [];
    for (const e of entries) {
      const outcome = await seedRule(this.db, e.id, e.yaml, e.file, this.now());
      if (outcome === 'created') seeded.push(e.id);
      else if (outcome === 'updated') updated.push(e.id);
      else if (outcome === 'edited') edited.push(e.id);
    }
    if (seeded.length) this.log.info('rules seeded from files', { seeded });
    if (updated.length) this.log.info('library rules updated to their new text', { updated });
    // A supervisor's version stays in force; the library's new text is there to compare with.
    if (edited.length) this.log.info('library rules with a new text, kept as edited by a supervisor', { edited });
    return { seeded, updated, edited, errors };
  }

  /** Reads the published versions and compiles them; a version that no longer validates is refused, the others run. */
  async load(): Promise<RuleSet> {
    const stored = await listPublishedRules(this.db);
    const rules: CompiledRule[] = [];
    const errors: RuleFileError[] = [];
    for (const s of stored) {
      const r = parseRule(s.yaml);
      if (r.ok) rules.push(compileRule(r.rule, s.version));
      else errors.push(...r.errors.map((e) => ({ ...e, file: `${s.id}@${s.version}` })));
    }
    this.set = { rules, errors, shadow: new Set(stored.filter((s) => s.shadow).map((s) => s.id)), stored };
    return this.set;
  }

  /**
   * Listens for other nodes' publishes: Redis pub/sub with `redis` (REDIS_URL set), else
   * PostgreSQL's LISTEN/NOTIFY when the database is PostgreSQL (PGlite: one node, nobody to hear).
   */
  async listen(redis: RedisLink | undefined, signal?: AbortSignal): Promise<void> {
    const onChange = (id: string) => void this.reload(`node notification (${id})`);
    if (redis) this.notifier = await redisNotifier(redis, onChange, undefined, signal);
    else if (this.db.listen) this.notifier = await pgNotifier(this.db, this.log, onChange);
  }

  current(): RuleSet {
    return this.set;
  }

  onChange(fn: (s: RuleSet) => void): void {
    this.listeners.push(fn);
  }

  /** Reloads from the database and hands the new set to the listeners (one reload at a time). */
  reload(why: string): Promise<RuleSet> {
    const run = (this.reloading ?? Promise.resolve()).then(async () => {
      const s = await this.load();
      this.log.info('rules reloaded', { why, rules: s.rules.map((r) => `${r.id}@${r.version}`) });
      for (const fn of this.listeners) fn(s);
      return s;
    });
    this.reloading = run.catch(() => this.set);
    return run;
  }

  private async changed(id: string): Promise<void> {
    await this.reload(`change of ${id}`);
    await this.notifier.notify(id).catch((e: unknown) => this.log.warn('rules notifier: could not notify', { error: String(e) }));
  }

  async publish(input: { id: string; yaml: string; author: string; comment: string; shadow?: boolean; base?: number }, mode: 'create' | 'update', action?: string): Promise<PublishOutcome> {
    const out = await publishRule(this.db, { ...input, now: this.now() }, mode, action);
    if (out.ok) await this.changed(input.id);
    return out;
  }

  async setShadow(id: string, shadow: boolean, actor: string): Promise<StoredRule | undefined> {
    const out = await setRuleShadow(this.db, id, shadow, actor, this.now());
    if (out) await this.changed(id);
    return out;
  }

  close(): Promise<void> {
    return this.notifier.close();
  }
}
