import cron, { type ScheduledTask } from 'node-cron';
import { LogTally } from './log-tally.ts';
import type { Logger } from './logger.ts';

/**
 * What a node's jobs tell of runs that did not happen: missed (the event loop was busy when
 * one was due: a burst of events, a long replay) or skipped (the run before had not ended),
 * counted per job and logged at most once a minute.
 */
export function missedRuns(log: Logger): LogTally {
  return new LogTally(log, 'warn', 'jobs: runs missed (the event loop was busy) or skipped (the run before had not ended)');
}

/**
 * Runs `fn` every `expr` (node-cron), one run at a time: a run due while the one before goes
 * on is skipped. node-cron's own messages (coloured text on the console) go through the
 * node's logger instead: a run missed or skipped is counted in `missed`, node-cron's errors
 * are logged as errors, the rest at debug level.
 */
export function scheduleJob(expr: string, name: string, fn: () => Promise<unknown>, log: Logger, missed: LogTally): ScheduledTask {
  const logger = {
    info: (message: string) => log.debug(`job ${name}: ${message}`),
    // Its warnings are about runs missed or skipped, which the events below count.
    warn: (message: string) => log.debug(`job ${name}: ${message}`),
    error: (message: string | Error, e?: Error) => log.error(`job ${name}: node-cron failed`, { error: String(e ?? message) }),
    debug: (message: string | Error) => log.debug(`job ${name}: ${String(message)}`),
  };
  const task = cron.schedule(expr, () => fn().catch((e: unknown) => log.warn(`job ${name} failed`, { error: String(e) })), { name, noOverlap: true, logger });
  // A listener here keeps node-cron from writing its own "missed execution" line.
  task.on('execution:missed', () => missed.add({ [`${name} missed`]: 1 }));
  task.on('execution:overlap', () => missed.add({ [`${name} skipped`]: 1 }));
  return task;
}
