import { noAdminNote } from './auth/first-admin.ts';
import { ConfigError, loadConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { StartupError } from './startup.ts';
import { createVigie, VERSION, type Vigie } from './vigie.ts';

/** How long a stop may take before the process ends anyway (exit 1). */
const STOP_MS = 10_000;

/** A thrown value as log fields: its message, and its stack as a field (the entry stays one JSON line). */
const errorFields = (e: unknown) => (e instanceof Error ? { error: String(e), stack: e.stack } : { error: String(e) });

/**
 * Entry point: one node process. SIGINT/SIGTERM stop it cleanly, while it starts too (the
 * handlers are in place before anything is opened). A service named by the configuration that
 * cannot be used ends it with exit code 2, as a bad configuration does, and one line saying which.
 */
async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  const log = createLogger(config.VIGIE_LOG);

  // A promise that failed with nothing waiting for it is a bug: logged as an error, with its
  // stack. The node goes on instead of exiting (Node's default): such a failure belongs to one
  // task (a broadcast, a write whose caller had moved on), the rest of the node is sound, and a
  // control room is better served by a node that keeps its console and API up than by one that
  // restarts for each (its clients reconnecting, its engine handed over). An exception thrown
  // and caught by nothing still ends the process: it may have left a task half done.
  process.on('unhandledRejection', (reason) => log.error('unhandled rejection (a bug): a promise failed and nothing waited for it; the node goes on', errorFields(reason)));

  const starting = new AbortController();
  let vigie: Vigie | undefined;
  let started: Promise<number> = Promise.resolve(0);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    const begun = Date.now();
    process.stdout.write(`${signal}: stopping\n`);
    // While starting, the step under way ends first (a service waited for at most
    // VIGIE_STARTUP_WAIT_MS; a first PGlite start making its database is not cut, which could leave
    // its folder half made), then what was opened closes.
    const force = setTimeout(() => {
      log.error('stopping took too long: the process ends without finishing', { signal, ms: Date.now() - begun });
      process.exit(1);
    }, vigie ? STOP_MS : STOP_MS + config.VIGIE_STARTUP_WAIT_MS);
    force.unref();
    starting.abort(new Error(`${signal} while starting`));
    await started.catch(() => {});
    await vigie?.stop().catch((e: unknown) => log.error('stop failed', errorFields(e)));
    log.info('stopped', { signal, ms: Date.now() - begun });
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  log.info('starting', { version: VERSION, node: config.VIGIE_NODE_ID, database: config.DATABASE_URL ? 'postgres' : 'pglite', redis: Boolean(config.REDIS_URL) });

  started = (async () => {
    vigie = await createVigie(config, { log, signal: starting.signal });
    return (await vigie.listen()).port;
  })();
  let port: number;
  try {
    port = await started;
  } catch (e) {
    if (stopping) return; // stopped while starting: `stop` closes what was opened and ends the process
    stopping = true;
    // What createVigie opened is closed already; what `listen` opened closes here.
    await vigie?.stop().catch(() => {});
    if (e instanceof StartupError) {
      // Always said, whatever VIGIE_LOG: a node that does not start tells why.
      createLogger('error').error(e.message);
      process.exit(2);
    }
    throw e;
  }
  if (stopping) return;
  process.stdout.write(`Vigie is running on http://localhost:${port}${config.VIGIE_DEMO ? ' (demo mode: operator/operator, supervisor/supervisor, admin/admin)' : await noAdminNote(vigie!.db)}\n`);
}

main().catch((e: unknown) => {
  createLogger('error').error('vigie failed to start', errorFields(e));
  process.exit(1);
});
