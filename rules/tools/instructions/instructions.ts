// `npm run instructions -w @vigie/rules` (not part of `npm run bench`): the machine
// instructions the engine spends per event, counted by valgrind (callgrind) rather than
// timed: a count does not change with the machine's busy spells, so that a change of a few
// per cent shows (the timed benchmark's figures vary by a fifth here from one run to the next).
//
// The engine benchmark (`src/bench/engine.bench.ts`, engine alone) runs under callgrind twice
// per rule count, with 1 and with 3 timed runs after its warm-up: the difference is the
// instructions of 2 × BENCH_EVENTS events, setup (loading, parsing the rules, making the
// events) taken away. It lives here, beside the evaluation, not in src/: it starts processes
// and writes files, and src/ stays pure.
// Node runs with `--single-threaded` (its compiler and collector work on the main thread, and
// are counted). The figure to compare is the generated code's (the engine's own code as V8
// compiled it): it varies by a few instructions per event from one count to the next. The
// others are printed beside it: builtins and runtime (which hold the interpreter's and the
// inline caches' work while code waits to be optimised again), the garbage collector's and the
// optimising compiler's vary by hundreds, even thousands, per event from one count to the next
// (their timing follows the clock, which valgrind slows).
//
// BENCH_RULES (100,1000) and BENCH_EVENTS (50 000) as for the benchmark; two counts run at a
// time (one per core). About a minute per count at 100 rules, three or four at 1000.
//
// CACHE=1 also counts cache misses per event, as callgrind simulates them: a first-level data
// cache of 48 KiB (12 ways) and, as its last level, the core's second-level cache, CACHE_L2_KIB
// (1024, 16 ways; these machines' L2 is 1 MiB on one kind, 2 MiB on another). At 1000 rules
// the engine's state outgrows that cache: a miss there costs tens of cycles, which the count of
// instructions does not see (same code, same count, one machine twice as fast as the other).
// Counting misses makes callgrind take two to three times as long (about ten minutes at 1000 rules).
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parts, type Part } from './callgrind-parts.ts';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 50_000);
const RULES = (process.env.BENCH_RULES ?? '100,1000').split(',').map(Number);
const bench = new URL('../../src/bench/engine.bench.ts', import.meta.url).pathname;
if (![undefined, '', '0', '1'].includes(process.env.CACHE)) throw new Error(`CACHE must be 1 (count cache misses) or 0: ${process.env.CACHE}`);
const CACHE = process.env.CACHE === '1';
const L2_KIB = Number(process.env.CACHE_L2_KIB ?? 1024);
if (CACHE && !(Number.isInteger(L2_KIB) && L2_KIB >= 64 && (L2_KIB & (L2_KIB - 1)) === 0)) throw new Error(`CACHE_L2_KIB must be a power of two, 64 or more (KiB): ${process.env.CACHE_L2_KIB}`);
/** The columns read from the report: instructions, then (CACHE=1) misses of the first level on reads and writes, and of the second. */
const SHOW = CACHE ? ['Ir', 'D1mr', 'D1mw', 'DLmr', 'DLmw'] : ['Ir'];
const cacheArgs = CACHE ? ['--cache-sim=yes', '--D1=49152,12,64', `--LL=${L2_KIB * 1024},16,64`] : [];

/** One count: the benchmark with `runs` timed runs at `rules` rules, under callgrind; per part, its counts of SHOW. */
function count(rules: number, runs: number, dir: string): Promise<Map<Part, number[]>> {
  const file = join(dir, `callgrind.${rules}.${runs}`);
  const env = { ...process.env, BENCH_ONLY: 'engine', BENCH_RULES: String(rules), BENCH_RUNS: String(runs), BENCH_EVENTS: String(EVENTS) };
  const args = ['--tool=callgrind', ...cacheArgs, '--smc-check=all-non-file', `--callgrind-out-file=${file}`,
    process.execPath, '--single-threaded', '--expose-gc', '--max-semi-space-size=64', '--import', 'tsx', bench];
  return new Promise((resolve, reject) => {
    const child = spawn('valgrind', args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', (e) => reject(new Error(`valgrind could not start (${e.message}): it is in Debian's package "valgrind"`)));
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`callgrind failed (${code}) at ${rules} rules, ${runs} runs:\n${err.slice(-2000)}`));
      resolve(parts(execFileSync('callgrind_annotate', ['--threshold=100', '--auto=no', `--show=${SHOW.join(',')}`, file], { encoding: 'utf8', maxBuffer: 1 << 28 })));
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'vigie-instructions-'));
const fmt = (x: number) => Math.round(x).toLocaleString('en').padStart(8);
const misses = (x: number) => x.toFixed(1);
console.log(`instructions per event through the engine (valgrind callgrind; ${EVENTS.toLocaleString('en')} events, runs of 3 minus runs of 1; node --single-threaded)`);
try {
  for (const rules of RULES) {
    const [one, three] = await Promise.all([count(rules, 1, dir), count(rules, 3, dir)]);
    /** Per event, column `col` of SHOW summed over some parts (`run`: every part but the compiler, whose timing follows the clock). */
    const per = (part: Part | 'run', col = 0) => {
      const of = (m: Map<Part, number[]>) => {
        let sum = 0;
        for (const [p, counts] of m) if (part === 'run' ? p !== 'compiler' : p === part) sum += counts[col] ?? 0;
        return sum;
      };
      return (of(three) - of(one)) / (2 * EVENTS);
    };
    console.log(`${String(rules).padStart(5)} rules: generated code ${fmt(per('generated code'))}   (beside it, varying from one count to the next: builtins and runtime ${fmt(per('builtins and runtime')).trim()}, garbage collector ${fmt(per('garbage collector')).trim()}, compiler ${fmt(per('compiler')).trim()})`);
    if (CACHE) {
      const line = (part: Part | 'run') => `L1 ${misses(per(part, 1))} reads + ${misses(per(part, 2))} writes, L2 ${misses(per(part, 3))} reads + ${misses(per(part, 4))} writes`;
      console.log(`${' '.repeat(13)}cache misses per event (L1 48 KiB, L2 ${L2_KIB} KiB): generated code ${line('generated code')}; every part but the compiler, ${line('run')}`);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
