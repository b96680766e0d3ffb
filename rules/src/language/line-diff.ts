/** One line of a diff: kept (' '), removed ('-') or added ('+'). */
export type DiffLine = { op: ' ' | '-' | '+'; text: string };

/** Line diff of two texts by longest common subsequence (rules are small: a few hundred lines). */
export function diffLines(before: string, after: string): DiffLine[] {
  const a = before === '' ? [] : before.replace(/\n$/, '').split('\n');
  const b = after === '' ? [] : after.replace(/\n$/, '').split('\n');
  const n = a.length;
  const m = b.length;
  // lcs[i][j]: length of the LCS of a[i..] and b[j..]
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) { out.push({ op: ' ', text: a[i]! }); i++; j++; }
    else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) out.push({ op: '-', text: a[i++]! });
    else out.push({ op: '+', text: b[j++]! });
  }
  while (i < n) out.push({ op: '-', text: a[i++]! });
  while (j < m) out.push({ op: '+', text: b[j++]! });
  return out;
}

/** The changed lines with `context` unchanged lines around them, as text ('-'/'+'/' ' prefixes). */
export function unifiedDiff(before: string, after: string, context = 2): string {
  const lines = diffLines(before, after);
  const keep = new Set<number>();
  lines.forEach((l, k) => {
    if (l.op === ' ') return;
    for (let d = -context; d <= context; d++) keep.add(k + d);
  });
  const out: string[] = [];
  let last = -1;
  lines.forEach((l, k) => {
    if (!keep.has(k)) return;
    if (last >= 0 && k > last + 1) out.push('…');
    out.push(`${l.op}${l.text}`);
    last = k;
  });
  return out.join('\n');
}
