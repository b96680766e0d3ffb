/** A label's box on screen (px) and how much it matters (higher kept first). */
export type LabelBox = { left: number; top: number; right: number; bottom: number; priority: number };

/** Room kept around each label so that kept labels never touch (px). */
const GAP = 2;

const overlaps = (a: LabelBox, b: LabelBox) =>
  a.left < b.right + GAP && b.left < a.right + GAP && a.top < b.bottom + GAP && b.top < a.bottom + GAP;

/**
 * Which labels to hide so that none of those shown overlap: the labels are taken by priority
 * (then in their given order), each kept unless it overlaps one already kept. A label with no
 * size (not displayed) takes no room and is never hidden here.
 */
export function labelsToHide(boxes: readonly LabelBox[]): Set<number> {
  const order = boxes.map((_, i) => i).sort((a, b) => boxes[b]!.priority - boxes[a]!.priority || a - b);
  const kept: LabelBox[] = [];
  const hidden = new Set<number>();
  for (const i of order) {
    const box = boxes[i]!;
    if (box.right <= box.left || box.bottom <= box.top) continue;
    if (kept.some((k) => overlaps(k, box))) hidden.add(i);
    else kept.push(box);
  }
  return hidden;
}

/**
 * A kind of label: its selector, its priority (higher kept first), and whether it must be
 * wholly inside the map (else hidden: a label cut by the map's edge reads wrong).
 */
export type LabelKind = [selector: string, priority: number, inside?: boolean];

/** The console map's permanent labels, by priority: a warning's area, a zone with alerts, a place, a zone. */
export const CONSOLE_LABELS: LabelKind[] = [
  ['.leaflet-tooltip.zone-label.zone-warning', 4],
  ['.leaflet-tooltip.zone-label.zone-busy', 3],
  ['.leaflet-tooltip.place-label', 2],
  ['.leaflet-tooltip.zone-label', 1],
];

/** The class that hides a label another one covers. */
export const COVERED = 'label-covered';

/**
 * Hides the map's labels that another, more important label overlaps (places crowd the
 * old town at the city's zoom; a warning's name over a transport line's on the wall): read
 * every label's box, then set the class, once.
 */
export function declutterLabels(container: HTMLElement, kinds: readonly LabelKind[] = CONSOLE_LABELS): void {
  const elements = [...container.querySelectorAll<HTMLElement>(kinds.map(([selector]) => selector).join(', '))];
  const map = container.getBoundingClientRect();
  const outside = new Set<number>();
  const boxes = elements.map((el, i) => {
    const r = el.getBoundingClientRect();
    const [, priority, inside] = kinds.find(([selector]) => el.matches(selector)) ?? ['', 0];
    if (inside && r.width > 0 && (r.left < map.left || r.top < map.top || r.right > map.right || r.bottom > map.bottom)) outside.add(i);
    return { left: r.left, top: r.top, right: r.right, bottom: r.bottom, priority };
  });
  const hidden = labelsToHide(boxes.map((b, i) => (outside.has(i) ? { ...b, right: b.left, bottom: b.top } : b)));
  elements.forEach((el, i) => el.classList.toggle(COVERED, hidden.has(i) || outside.has(i)));
}
