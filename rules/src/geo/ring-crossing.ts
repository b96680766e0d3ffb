/**
 * Where a linear ring ([lon, lat] positions, closed) crosses itself: the first two of its
 * edges, by the index of their first position, that cross (each passes through the other's
 * inside), or undefined when none do. A ring that crosses itself (a bow tie, a figure eight)
 * has no clear inside: which points it holds depends on how it is read.
 *
 * Edges that only touch (a vertex on another edge, two edges along one line) are not
 * crossings: real boundaries (cadastral, administrative) have them, and a point's inside is
 * still clear. Edges are swept along one axis (sorted by their low end, each compared with the
 * edges still open), so a ring of many thousand positions is read in about n log n; one whose
 * edges overlap along both axes by the thousand is `'intricate'` (see MAX_COMPARISONS).
 */
export function ringCrossing(ring: readonly (readonly number[])[]): [number, number] | undefined | 'intricate' {
  const n = ring.length - 1; // edges: the last position repeats the first
  if (n < 4) return undefined; // a triangle cannot cross itself
  // Swept along the axis its edges span least of (a comb of long east-west teeth is swept north to south).
  let spanX = 0, spanY = 0;
  for (let i = 0; i < n; i++) {
    spanX += Math.abs(ring[i + 1]![0]! - ring[i]![0]!);
    spanY += Math.abs(ring[i + 1]![1]! - ring[i]![1]!);
  }
  const axis = spanX <= spanY ? 0 : 1;
  const order = Array.from({ length: n }, (_, i) => i);
  const low = (i: number) => Math.min(ring[i]![axis]!, ring[i + 1]![axis]!);
  const high = (i: number) => Math.max(ring[i]![axis]!, ring[i + 1]![axis]!);
  order.sort((a, b) => low(a) - low(b) || a - b);
  let open: number[] = [];
  let found: [number, number] | undefined;
  let compared = 0;
  for (const i of order) {
    const w = low(i);
    open = open.filter((k) => high(k) >= w);
    compared += open.length;
    if (compared > MAX_COMPARISONS) return 'intricate';
    for (const k of open) {
      if (adjacent(i, k, n)) continue;
      if (cross(ring[i]!, ring[i + 1]!, ring[k]!, ring[k + 1]!)) {
        const pair: [number, number] = i < k ? [i, k] : [k, i];
        if (!found || pair[0] < found[0] || (pair[0] === found[0] && pair[1] < found[1])) found = pair;
      }
    }
    open.push(i);
  }
  return found;
}

/**
 * The most pairs of edges compared (a few tenths of a second): past it, the ring is too
 * intricate to check (`'intricate'`): thousands of long edges side by side, a comb, which no
 * real boundary is. Marseille's most detailed quartiers need a few thousand.
 */
export const MAX_COMPARISONS = 5_000_000;

/** Edges that share a position (neighbours along the ring, the last and the first included). */
const adjacent = (a: number, b: number, n: number) => Math.abs(a - b) === 1 || Math.abs(a - b) === n - 1;

/** Which side of the line p→q the point r lies: > 0 left, < 0 right, 0 on it. */
const side = (p: readonly number[], q: readonly number[], r: readonly number[]) =>
  (q[0]! - p[0]!) * (r[1]! - p[1]!) - (q[1]! - p[1]!) * (r[0]! - p[0]!);

/** Whether the segments ab and cd cross at a point inside both (touching is not crossing). */
function cross(a: readonly number[], b: readonly number[], c: readonly number[], d: readonly number[]): boolean {
  const d1 = side(c, d, a), d2 = side(c, d, b), d3 = side(a, b, c), d4 = side(a, b, d);
  return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0));
}
