/**
 * `npm start` (`node dist/main.js`): reads the configuration, starts the bot,
 * and on SIGTERM or SIGINT stops taking work, finishes what is in flight,
 * closes the database and exits 0. A startup problem (configuration,
 * database, a token Slack rejects) prints one message that says what to fix
 * and exits 1.
 */
import { loadConfig } from './config.js';
import { type RunningBot, startBot, startupMessage } from './start-bot.js';

/** Runs the bot until SIGTERM or SIGINT. */
async function run(): Promise<void> {
  let running: RunningBot;
  try {
    running = await startBot({ config: loadConfig('bot') });
  } catch (error) {
    process.stderr.write(`${startupMessage(error)}\n`);
    process.exit(1);
  }
  const { logger } = running;
  // A stray rejection inside a library must not take down a bot that is serving people.
  process.on('unhandledRejection', (reason) => logger.error('Unhandled promise rejection:', reason));
  let signalled = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (signalled) {
      logger.warn(`${signal} again: exiting without waiting`);
      process.exit(1);
    }
    signalled = true;
    logger.info(`${signal}: finishing work in flight, then stopping`);
    running.stop().then(
      () => {
        logger.info('Stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error('Shutdown failed:', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

void run();
