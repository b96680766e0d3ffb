import { ConfigError, loadConfig } from './config.ts';
import { createVigie } from './vigie.ts';

/** Entry point: one node process; SIGINT/SIGTERM stop it cleanly. */
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
  const vigie = await createVigie(config);
  const { port } = await vigie.listen();
  process.stdout.write(`Vigie is running on http://localhost:${port}${config.VIGIE_DEMO ? ' (demo mode: operator/operator, supervisor/supervisor, admin/admin)' : ''}\n`);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${signal}: stopping\n`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await vigie.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((e: unknown) => {
  process.stderr.write(`vigie failed to start: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
