import type { EvidenceRef } from '../domain/alert.ts';
import type { Location } from '../domain/event.ts';
import type { EventContext } from './context.ts';

/** The most evidence an alert carries; older references drop out first. */
export const MAX_EVIDENCE = 50;

export function evidenceOf(e: EventContext): EvidenceRef {
  return e.ref;
}

export function pushEvidence(list: EvidenceRef[], ref: EvidenceRef): void {
  list.push(ref);
  if (list.length > MAX_EVIDENCE) list.splice(0, list.length - MAX_EVIDENCE);
}

/** Mean position of the evidence that has one. */
export function centreOf(refs: readonly EvidenceRef[]): Location | undefined {
  let lat = 0, lon = 0, n = 0;
  for (const r of refs) if (r.location) { lat += r.location.lat; lon += r.location.lon; n++; }
  return n ? { lat: lat / n, lon: lon / n } : undefined;
}
