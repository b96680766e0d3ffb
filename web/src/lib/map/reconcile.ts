/** How a keyed layer creates, moves and removes the marker of one item. */
export type MarkerOps<T, M> = {
  create(item: T): M;
  update(marker: M, item: T): void;
  remove(marker: M): void;
};

/**
 * Make `markers` mirror `items` by id: create the new ones, update the known ones in
 * place, remove the ones gone. Markers are never recreated for an id still present.
 */
export function reconcile<T, M>(
  markers: Map<string, M>,
  items: Iterable<readonly [id: string, item: T]>,
  ops: MarkerOps<T, M>,
): void {
  const seen = new Set<string>();
  for (const [id, item] of items) {
    seen.add(id);
    const marker = markers.get(id);
    if (marker === undefined) markers.set(id, ops.create(item));
    else ops.update(marker, item);
  }
  for (const [id, marker] of markers) {
    if (seen.has(id)) continue;
    ops.remove(marker);
    markers.delete(id);
  }
}
