/** The parts of a V8 process that `npm run instructions` counts apart. */
export type Part = 'generated code' | 'compiler' | 'garbage collector' | 'builtins and runtime';

/** What a function of callgrind's report is part of. */
export function partOf(name: string): Part {
  // Code V8 generated has no symbol: callgrind names it by address (`'2` and so on: a call within a call of it).
  if (/^\?\?\?:0x[0-9a-f]+(?:'\d+)? \[\?\?\?\]$/.test(name)) return 'generated code';
  if (/compiler::|Scanner|Parser|Compil|maglev|Maglev/.test(name)) return 'compiler';
  // The collector, and the heap's slow paths of allocation (new pages, free lists), whose work follows the collector's.
  if (/Scaveng|Evacuat|SemiSpace|Marking|MarkCompact|MarkBit|Sweeper|LiveObject|RememberedSet|RecordMigrated|Pretenuring|IteratePointers|BodyDescriptor|Heap::|HeapObject::SizeFromMap|GCTracer|PagedSpace|FreeList|NewFillerObject|MemoryAllocator|MemoryChunk/.test(name)) return 'garbage collector';
  return 'builtins and runtime';
}

/**
 * Per part, the counts of each column of `callgrind_annotate`'s list of functions, in the
 * order shown: instructions (Ir) alone, or, when it shows cache misses too, Ir then those.
 */
export function parts(annotated: string): Map<Part, number[]> {
  const out = new Map<Part, number[]>();
  for (const line of annotated.split('\n')) {
    // A function's line: counts, each with its share in parentheses (a zero count as `0` or `.`), then its name.
    const words = line.replace(/\(\s*[\d.]+%\)/g, '').trim().split(/\s+/);
    let n = 0;
    while (n < words.length && /^(?:[\d,]+|\.)$/.test(words[n]!)) n++;
    const name = words.slice(n).join(' ');
    if (n === 0 || name === '' || name.includes('PROGRAM TOTALS')) continue;
    const counts = words.slice(0, n).map((w) => (w === '.' ? 0 : Number(w.replaceAll(',', ''))));
    const part = partOf(name);
    const sum = out.get(part) ?? [];
    counts.forEach((c, i) => (sum[i] = (sum[i] ?? 0) + c));
    out.set(part, sum);
  }
  return out;
}
