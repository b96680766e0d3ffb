import { performance } from 'node:perf_hooks';
import type { Alert, AlertBatchBody, AlertMessage } from '@vigie/rules';

/** One flush: alerts created in the window and changes to older alerts, each in seq order. */
export type AlertBatch = AlertBatchBody;

export const message = (a: Alert): AlertMessage => ({ seq: a.seq, version: a.version, alert: a });

/**
 * Gathers alert changes and hands them on as batches, at most one per window: one frame per
 * client per window instead of one per alert. The first change after a quiet window leaves
 * at once (with whatever the same turn of the event loop added), so that a lone alert is
 * not held back; under load the batches leave one window apart. Within a batch an alert is
 * sent once, at its latest version (as `created` when it was created since the last batch).
 */
export class AlertBatcher {
  private pending = new Map<string, { alert: Alert; created: boolean }>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastFlushAt = -Infinity;

  constructor(private readonly windowMs: number, private readonly flush: (batch: AlertBatch) => void) {}

  add(alert: Alert, isNew: boolean): void {
    const known = this.pending.get(alert.id);
    if (!known || alert.version > known.alert.version) this.pending.set(alert.id, { alert, created: isNew || (known?.created ?? false) });
    else if (isNew) known.created = true;
    this.timer ??= setTimeout(() => this.flushNow(), Math.max(0, this.lastFlushAt + this.windowMs - performance.now()));
  }

  /** Sends what is pending now (also used on shutdown). */
  flushNow(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.pending.size) return;
    this.lastFlushAt = performance.now();
    const all = [...this.pending.values()].sort((a, b) => a.alert.seq - b.alert.seq);
    this.pending.clear();
    this.flush({
      created: all.filter((p) => p.created).map((p) => message(p.alert)),
      updated: all.filter((p) => !p.created).map((p) => message(p.alert)),
    });
  }
}
