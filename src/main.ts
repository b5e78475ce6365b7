import { ConfigError, loadConfig } from './config.js';
import { startPlugin } from './server.js';

/** Production entry: read the environment, start, stop cleanly on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78);
    }
    throw error;
  }
  const plugin = await startPlugin(config);
  const shutdown = (signal: string) => {
    plugin.ctx.logger.info({ signal }, 'shutting down');
    plugin.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        plugin.ctx.logger.error({ err: error }, 'unclean shutdown');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
