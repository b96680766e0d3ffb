// PGlite on a thread of its own (see `openPgliteWorker` in pglite-client.ts): the database's
// work (WebAssembly) runs beside the main thread's (HTTP, validation, the engine) instead of
// taking turns with it. Plain JavaScript, so that the thread loads without a TypeScript loader.
// Messages: { id, op: 'query' | 'exec' | 'begin' | 'commit' | 'rollback' | 'close', tx?, sql?, params? };
// answers: { id, rows? , tx?, error? }.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { BINARY, isBinary } from './pglite-binary.mjs';
import { PARSERS } from './pglite-parsers.mjs';

const ready = PGlite.create(workerData.dataDir === 'memory://' ? undefined : workerData.dataDir, { parsers: PARSERS });
ready.catch(() => {}); // reported on the first message
/** Open transactions: PGlite's own (its lock keeps other statements out until the end). */
const txs = new Map();
let nextTx = 1;

const errorOf = (e) => {
  const out = { message: String(e?.message ?? e) };
  for (const k of ['code', 'detail', 'hint', 'severity', 'constraint', 'table', 'column', 'schema', 'position', 'where']) {
    if (e && e[k] !== undefined) out[k] = e[k];
  }
  return out;
};

async function handle(m) {
  const db = await ready;
  const on = m.tx ? txs.get(m.tx)?.tx : db;
  if (!on) throw new Error(`transaction ${m.tx} is over`);
  switch (m.op) {
    case 'query':
      return { rows: (await on.query(m.sql, m.params, m.params?.some(isBinary) ? BINARY : undefined)).rows };
    case 'exec':
      await on.exec(m.sql);
      return {};
    case 'begin':
      return new Promise((resolve, reject) => {
        const id = nextTx++;
        const t = {};
        t.finished = db.transaction((tx) => new Promise((commit, rollback) => {
          Object.assign(t, { tx, commit, rollback });
          txs.set(id, t);
          resolve({ tx: id });
        }));
        t.finished.catch((e) => reject(e)).finally(() => txs.delete(id));
      });
    case 'commit':
    case 'rollback': {
      const t = txs.get(m.tx);
      if (m.op === 'commit') t.commit();
      else t.rollback(new Error('rolled back'));
      await t.finished.catch((e) => { if (m.op === 'commit') throw e; });
      return {};
    }
    case 'close':
      if (!db.closed) await db.close();
      return {};
    default:
      throw new Error(`unknown operation ${m.op}`);
  }
}

parentPort.on('message', (m) => {
  handle(m).then(
    (answer) => parentPort.postMessage({ id: m.id, ...answer }),
    (e) => parentPort.postMessage({ id: m.id, error: errorOf(e) }),
  );
});
