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

/** Instructions per part, from `callgrind_annotate`'s list of functions. */
export function parts(annotated: string): Map<Part, number> {
  const out = new Map<Part, number>();
  for (const line of annotated.split('\n')) {
    const m = /^\s*([\d,]+) \(\s*[\d.]+%\)\s+(.*)$/.exec(line);
    if (!m || m[2]!.includes('PROGRAM TOTALS')) continue;
    const part = partOf(m[2]!.trim());
    out.set(part, (out.get(part) ?? 0) + Number(m[1]!.replaceAll(',', '')));
  }
  return out;
}
