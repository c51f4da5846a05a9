import { AppConfig, ConfigError, loadConfig } from '@imprimatur/config';
import { prepareDatabase } from '@imprimatur/database';

/** Loads the configuration or stops the process with every bad variable named. */
export function loadConfigOrExit(): AppConfig {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

/** One JSON line, the shape pino writes, for the moments before the Nest logger exists. */
export function bootLog(service: string, msg: string, level: 'info' | 'error' = 'info'): void {
  const line = JSON.stringify({ level: level === 'info' ? 30 : 50, time: Date.now(), service, msg });
  (level === 'info' ? process.stdout : process.stderr).write(`${line}\n`);
}

export async function prepareDatabaseOrExit(config: AppConfig, service: string): Promise<void> {
  try {
    await prepareDatabase(config.databaseUrl, (msg) => bootLog(service, msg));
  } catch (error) {
    bootLog(service, `database is not usable: ${(error as Error).message}`, 'error');
    process.exit(1);
  }
}
