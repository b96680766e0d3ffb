import type { Alert, AlertBatchBody, AlertMessage } from '@vigie/rules';

/** One flush: alerts created in the window and changes to older alerts, each in seq order. */
export type AlertBatch = AlertBatchBody;

export const message = (a: Alert): AlertMessage => ({ seq: a.seq, version: a.version, alert: a });

/**
 * Gathers alert changes for a short window and hands them on as one batch: one frame per
 * client per window instead of one per alert. Within a window an alert is sent once, at its
 * latest version (as `created` when it was created in that window).
 */
export class AlertBatcher {
  private pending = new Map<string, { alert: Alert; created: boolean }>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly windowMs: number, private readonly flush: (batch: AlertBatch) => void) {}

  add(alert: Alert, isNew: boolean): void {
    const known = this.pending.get(alert.id);
    if (!known || alert.version > known.alert.version) this.pending.set(alert.id, { alert, created: isNew || (known?.created ?? false) });
    else if (isNew) known.created = true;
    this.timer ??= setTimeout(() => this.flushNow(), this.windowMs);
  }

  /** Sends what is pending now (also used on shutdown). */
  flushNow(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.pending.size) return;
    const all = [...this.pending.values()].sort((a, b) => a.alert.seq - b.alert.seq);
    this.pending.clear();
    this.flush({
      created: all.filter((p) => p.created).map((p) => message(p.alert)),
      updated: all.filter((p) => !p.created).map((p) => message(p.alert)),
    });
  }
}
