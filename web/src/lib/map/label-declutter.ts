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

/** The map's permanent labels, by priority: a warning's area, a zone with alerts, a place, a zone. */
const LABELS: [selector: string, priority: number][] = [
  ['.zone-label.zone-warning', 4],
  ['.zone-label.zone-busy', 3],
  ['.place-label', 2],
  ['.zone-label', 1],
];

/** The class that hides a label another one covers. */
export const COVERED = 'label-covered';

/**
 * Hides the map's labels that another, more important label overlaps (places crowd the
 * old town at the city's zoom): read every label's box, then set the class, once.
 */
export function declutterLabels(container: HTMLElement): void {
  const elements = [...container.querySelectorAll<HTMLElement>('.leaflet-tooltip.place-label, .leaflet-tooltip.zone-label')];
  const boxes = elements.map((el) => {
    const r = el.getBoundingClientRect();
    const priority = LABELS.find(([selector]) => el.matches(selector))?.[1] ?? 0;
    return { left: r.left, top: r.top, right: r.right, bottom: r.bottom, priority };
  });
  const hidden = labelsToHide(boxes);
  elements.forEach((el, i) => el.classList.toggle(COVERED, hidden.has(i)));
}
