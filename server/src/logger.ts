export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const ORDER: LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];

export type Logger = Record<Exclude<LogLevel, 'silent'>, (msg: string, fields?: Record<string, unknown>) => void>;

/** One JSON line per entry on stderr (stdout stays for what commands print). */
export function createLogger(level: LogLevel, now: () => Date = () => new Date()): Logger {
  const min = ORDER.indexOf(level);
  const at = (l: Exclude<LogLevel, 'silent'>) => (msg: string, fields?: Record<string, unknown>) => {
    if (ORDER.indexOf(l) < min) return;
    process.stderr.write(`${JSON.stringify({ t: now().toISOString(), level: l, msg, ...fields })}\n`);
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
