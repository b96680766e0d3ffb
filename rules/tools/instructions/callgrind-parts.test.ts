import { describe, expect, it } from 'vitest';
import { partOf, parts } from './callgrind-parts.ts';

// Lines as `callgrind_annotate` prints them for a node process.
const REPORT = `--------------------------------------------------------------------------------
Ir                     
--------------------------------------------------------------------------------
8,645,459,573 (100.0%)  PROGRAM TOTALS

--------------------------------------------------------------------------------
Ir                    file:function
--------------------------------------------------------------------------------
234,622,191 ( 2.71%)  ???:v8::internal::compiler::GraphReducer::ReduceTop() [/usr/bin/node]
223,347,356 ( 2.58%)  ???:Builtins_LoadIC [/usr/bin/node]
137,865,552 ( 1.59%)  ???:heap::base::SlotCallbackResult v8::internal::Scavenger::ScavengeObject<v8::internal::FullHeapObjectSlot>(v8::internal::FullHeapObjectSlot, v8::internal::HeapObject) [/usr/bin/node]
 67,576,877 ( 0.78%)  ./string/../sysdeps/x86_64/multiarch/memset-vec-unaligned-erms.S:__memset_avx2_unaligned_erms [/usr/lib/x86_64-linux-gnu/libc.so.6]
 67,499,742 ( 0.78%)  ???:0x000000000d22f1c0 [???]
  9,000 ( 0.00%)  ???:0x000000000d1e2894 [???]
 30,811,444 ( 0.36%)  ???:void v8::internal::MarkingVisitorBase<v8::internal::MainMarkingVisitor<v8::internal::MarkingState>, v8::internal::MarkingState>::ProcessStrongHeapObject(v8::internal::HeapObject) [/usr/bin/node]
`;

describe('callgrind parts', () => {
  it('sums the functions of a report by part, the program total left out', () => {
    expect(Object.fromEntries(parts(REPORT))).toEqual({
      compiler: 234_622_191,
      'builtins and runtime': 223_347_356 + 67_576_877,
      'garbage collector': 137_865_552 + 30_811_444,
      'generated code': 67_499_742 + 9_000,
    });
  });

  it('takes a function named by its address for code V8 generated, and nothing else', () => {
    expect(partOf('???:0x000000000d22f1c0 [???]')).toBe('generated code');
    expect(partOf("???:0x000000000d1911c0'2 [???]")).toBe('generated code');
    expect(partOf('???:v8::internal::PagedSpaceBase::TryAllocationFromFreeListMain(unsigned long, v8::internal::AllocationOrigin) [/usr/bin/node]')).toBe('garbage collector');
    expect(partOf('???:Builtins_ArrayPrototypePush [/usr/bin/node]')).toBe('builtins and runtime');
    expect(partOf('???:v8::internal::Runtime_GetProperty(int, unsigned long*, v8::internal::Isolate*) [/usr/bin/node]')).toBe('builtins and runtime');
  });
});
