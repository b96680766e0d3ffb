/** Sorts of the few items a cluster holds, in place or into an array of their own, without the scratch copy `Array.prototype.sort` makes. */

/** Below this many items an insertion sort beats `Array.prototype.sort` (which copies the array). */
const INSERTION_MAX = 32;

/**
 * Sorts the first `n` numbers of `ids` by `key[id * stride]`, in place and stably (equal keys
 * keep their order): the very order `ids.slice(0, n).sort((a, b) => key[a * stride] - key[b * stride])` gives.
 */
export function sortFirstByKey(ids: number[], n: number, key: Float64Array, stride = 1): void {
  if (n > INSERTION_MAX) {
    const sorted = ids.slice(0, n).sort((a, b) => key[a * stride]! - key[b * stride]!);
    for (let i = 0; i < n; i++) ids[i] = sorted[i]!;
    return;
  }
  for (let i = 1; i < n; i++) {
    const id = ids[i]!, k = key[id * stride]!;
    let j = i - 1;
    while (j >= 0 && key[ids[j]! * stride]! > k) {
      ids[j + 1] = ids[j]!;
      j--;
    }
    ids[j + 1] = id;
  }
}

/**
 * The first `n` strings of `list` in a new array, sorted as `Array.prototype.sort` sorts
 * strings (by UTF-16 code units, not by locale).
 */
export function sortedStrings(list: readonly string[], n: number): string[] {
  if (n > INSERTION_MAX) return list.slice(0, n).sort();
  const out = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const s = list[i]!;
    let j = i - 1;
    while (j >= 0 && out[j]! > s) {
      out[j + 1] = out[j]!;
      j--;
    }
    out[j + 1] = s;
  }
  return out;
}
