import type { Alert, AlertTransition } from '@vigie/rules';
import { actOnAlert, applyTransition, type ActionOutcome, type OperatorAction } from '../storage/alerts-repo.ts';
import type { SqlClient } from '../storage/sql-client.ts';
import type { AlertPublisher } from '../live/publisher.ts';

/** Stores alert changes (from the engine or from operators) and publishes each stored change. */
export class AlertService {
  readonly counters = { fired: 0, updated: 0, cleared: 0, actions: 0 };
  publisher: AlertPublisher;

  constructor(private readonly db: SqlClient, publisher: AlertPublisher, private readonly now: () => Date) {
    this.publisher = publisher;
  }

  async applyTransitions(transitions: AlertTransition[]): Promise<Alert[]> {
    const out: Alert[] = [];
    for (const t of transitions) {
      const r = await applyTransition(this.db, t, this.now());
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
}
