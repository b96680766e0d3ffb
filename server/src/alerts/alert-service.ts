import type { Alert, AlertTransition } from '@vigie/rules';
import { actOnAlert, applyTransition, escalateDue, NO_ESCALATION, type ActionOutcome, type Lifecycle, type OperatorAction } from '../storage/alerts-repo.ts';
import type { SqlClient } from '../storage/sql-client.ts';
import type { AlertPublisher } from '../live/publisher.ts';

/** Stores alert changes (from the engine, operators or the escalation job) and publishes each stored change. */
export class AlertService {
  readonly counters = { fired: 0, updated: 0, cleared: 0, actions: 0, escalated: 0 };
  publisher: AlertPublisher;

  constructor(private readonly db: SqlClient, publisher: AlertPublisher, private readonly now: () => Date, private readonly life: Lifecycle = NO_ESCALATION) {
    this.publisher = publisher;
  }

  async applyTransitions(transitions: AlertTransition[]): Promise<Alert[]> {
    const out: Alert[] = [];
    for (const t of transitions) {
      const r = await applyTransition(this.db, t, this.now(), this.life);
      if (!r) continue;
      if (r.created) this.counters.fired++;
      else if (t.kind === 'resolved') this.counters.cleared++;
      else this.counters.updated++;
      this.publisher.publish(r.alert, r.created);
      out.push(r.alert);
    }
    return out;
  }

  async act(id: string, version: number, by: string, action: OperatorAction): Promise<ActionOutcome> {
    const r = await actOnAlert(this.db, id, version, by, action, this.now());
    if (r.ok) {
      this.counters.actions++;
      this.publisher.publish(r.alert, false);
    }
    return r;
  }

  /** The escalation job: escalates overdue alerts, publishes them and tells supervisors. */
  async escalate(): Promise<Alert[]> {
    const escalated = await escalateDue(this.db, this.now(), this.life);
    for (const a of escalated) this.publisher.publish(a, false);
    if (escalated.length) {
      this.counters.escalated += escalated.length;
      this.publisher.escalated?.(escalated);
    }
    return escalated;
  }
}
