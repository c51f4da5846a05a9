import { Logger } from 'nestjs-pino';
import {
  armShutdownDeadline,
  bootLog,
  loadConfigOrExit,
  prepareDatabaseOrExit,
  shutdownDeadlineMs,
} from '@imprimatur/platform';
import { createApiApp } from './app.factory';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  await prepareDatabaseOrExit(config, 'api');
  const app = await createApiApp(config);
  // Nest's shutdown hooks close the app on SIGTERM; this makes sure the process is gone by the deadline.
  armShutdownDeadline('api', shutdownDeadlineMs(config));
  const logger = app.get(Logger);
  if (config.jwt.secretWasGenerated) {
    logger.warn(
      'JWT_SECRET is not set: using a random secret, so tokens die with this process and other API processes reject them',
    );
  }
  await app.listen({ port: config.port, host: config.host });
  logger.log(`API listening on http://${config.host}:${config.port}`);
}

main().catch((error: unknown) => {
  bootLog('api', `API failed to start: ${(error as Error).message}`, 'error');
  process.exit(1);
});
