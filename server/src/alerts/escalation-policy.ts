import { SEVERITIES, type Severity } from '@vigie/rules';

/** How long an open alert of each severity may wait for an acknowledgement before it escalates. */
export type EscalationPolicy = Partial<Record<Severity, number>>;

/** Default delays in minutes (info alerts never escalate). */
export const DEFAULT_ESCALATION = 'critical=5,high=15,medium=30,low=60';

/** Parses `critical=5,high=15,…` (minutes) into ms per severity; throws naming the bad part. */
export function parseEscalationPolicy(text: string): EscalationPolicy {
  const policy: EscalationPolicy = {};
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^([a-z]+)\s*=\s*(\d+(?:\.\d+)?)$/.exec(part);
    if (!m || !(SEVERITIES as readonly string[]).includes(m[1]!)) throw new Error(`"${part}": expected severity=minutes with a severity among ${SEVERITIES.join(', ')}`);
    policy[m[1] as Severity] = Number(m[2]) * 60_000;
  }
  return policy;
}

/** One step up, critical stays critical. */
export function escalatedSeverity(s: Severity): Severity {
  return SEVERITIES[Math.min(SEVERITIES.length - 1, SEVERITIES.indexOf(s) + 1)]!;
}

/** When an alert of `severity` that became due for acknowledgement at `from` escalates (null: never). */
export function ackDueAt(policy: EscalationPolicy, severity: Severity, from: Date): string | null {
  const ms = policy[severity];
  return ms === undefined ? null : new Date(from.getTime() + ms).toISOString();
}
