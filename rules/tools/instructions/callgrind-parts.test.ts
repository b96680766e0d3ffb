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
      compiler: [234_622_191],
      'builtins and runtime': [223_347_356 + 67_576_877],
      'garbage collector': [137_865_552 + 30_811_444],
      'generated code': [67_499_742 + 9_000],
    });
  });

  it('sums each column of a report that shows cache misses too, a zero written `0` or `.`', () => {
    const report = `Events recorded:  Ir Dr Dw I1mr D1mr D1mw ILmr DLmr DLmw
Events shown:     Ir D1mr D1mw DLmr DLmw
Thresholds:       100 0 0 0 0 0 0 0 0
--------------------------------------------------------------------------------
Ir                     D1mr                 D1mw                DLmr                DLmw
--------------------------------------------------------------------------------
2,074,320,066 (100.0%) 67,080,966 (100.0%) 6,130,964 (100.0%) 13,972,074 (100.0%) 5,105,903 (100.0%)  PROGRAM TOTALS

--------------------------------------------------------------------------------
Ir                     D1mr                 D1mw                DLmr                DLmw                file:function
--------------------------------------------------------------------------------
1,000,000 (48.21%) 40,000 (59.63%) 3,000 (48.93%) 9,000 (64.41%) 2,000 (39.17%)  ???:0x000000000d22f1c0 [???]
  500,000 (24.10%)  7,000 (10.44%)       0          1,000 ( 7.16%)   .           ???:0x000000000d1e2894'2 [???]
  300,000 (14.46%)  2,000 ( 2.98%)     100 ( 1.63%)       .          50 ( 0.98%)  ???:Builtins_LoadIC [/usr/bin/node]
`;
    expect(Object.fromEntries(parts(report))).toEqual({
      'generated code': [1_500_000, 47_000, 3_000, 10_000, 2_000],
      'builtins and runtime': [300_000, 2_000, 100, 0, 50],
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
