import Redis from 'ioredis';
import { AppConfig, ConfigError, loadConfig } from '@imprimatur/config';
import { prepareDatabase } from '@imprimatur/database';
import { redisOptions } from '@imprimatur/queue';

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

export type LogLevel = 'info' | 'warn' | 'error';
/** How the helpers below log: the Nest logger once there is one, else `bootLog`. */
export type LogFn = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => void;

const PINO_LEVELS: Record<LogLevel, number> = { info: 30, warn: 40, error: 50 };

/** One JSON line, the shape pino writes, for the moments before the Nest logger exists. */
export function bootLog(
  service: string,
  msg: string,
  level: LogLevel = 'info',
  fields: Record<string, unknown> = {},
): void {
  const line = JSON.stringify({ level: PINO_LEVELS[level], time: Date.now(), service, ...fields, msg });
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

// ---------------------------------------------------------------------------------------------
// Redis eviction

/**
 * What to say about Redis's maxmemory-policy, or null when it is fine. BullMQ keeps jobs, their
 * locks and the stalled-job bookkeeping in Redis: a policy that evicts keys when memory runs out
 * loses jobs silently, whereas `noeviction` makes a full Redis refuse writes (the outbox then holds
 * the work until there is room).
 */
export function evictionWarning(policy: string | null): string | null {
  if (policy === null || policy === 'noeviction') return null;
  return `Redis evicts keys when full (maxmemory-policy ${policy}): BullMQ needs noeviction, or queued jobs and their locks can vanish. Set maxmemory-policy noeviction`;
}

/** The server's maxmemory-policy, read from INFO (which managed Redis services allow, unlike CONFIG GET). */
export async function redisEvictionPolicy(redisUrl: string): Promise<string | null> {
  const client = new Redis(redisOptions(redisUrl, 'probe'));
  client.on('error', () => undefined);
  try {
    await client.connect();
    const info = await client.info('memory');
    return /^maxmemory_policy:(\S+)/m.exec(info)?.[1] ?? null;
  } finally {
    client.disconnect();
  }
}

/** Warns (once, at start) when Redis would evict BullMQ's keys; never stops the process. */
export async function warnIfRedisEvicts(redisUrl: string, log: LogFn): Promise<string | null> {
  let policy: string | null;
  try {
    policy = await redisEvictionPolicy(redisUrl);
  } catch (error) {
    log('warn', 'could not read Redis maxmemory-policy (BullMQ needs noeviction); is Redis reachable?', {
      err: (error as Error).message,
    });
    return null;
  }
  const warning = evictionWarning(policy);
  if (warning !== null) log('warn', warning, { maxmemoryPolicy: policy });
  return policy;
}

// ---------------------------------------------------------------------------------------------
// Stopping with a deadline

/** After the grace period (or the drain), how long the rest of the close may take before the process exits anyway. */
export const SHUTDOWN_FORCE_MS = 5_000;
/** Exit status when even that ran out and the process left with something still open (as `timeout(1)` uses). */
export const EXIT_SHUTDOWN_TIMED_OUT = 124;

/** The longest a process takes from SIGTERM to exit: what an orchestrator's grace period must exceed. */
export const shutdownDeadlineMs = (config: Pick<AppConfig, 'shutdownGraceMs'>): number =>
  config.shutdownGraceMs + SHUTDOWN_FORCE_MS;

export interface ShutdownSteps {
  /** Finishes the work under way (a worker: take no new jobs, finish the active ones). Cut off at the grace deadline. */
  drain?: () => Promise<unknown>;
  /** Closes everything, forcing what draining would wait for; it has SHUTDOWN_FORCE_MS (or `forceMs`). */
  close: () => Promise<unknown>;
}

export interface ShutdownOptions {
  graceMs: number;
  forceMs?: number;
  log: LogFn;
  /** Resolving it ends the grace period early (a second signal). */
  hurry?: Promise<void>;
}

/**
 * `closed`: drained within the grace period and closed. `forced`: the grace period ran out (work was
 * abandoned: BullMQ's stalled-job check hands it to another worker) but everything closed.
 * `timed_out`: the close did not finish in time either. `failed`: the close threw.
 */
export type ShutdownOutcome = 'closed' | 'forced' | 'timed_out' | 'failed';

function within<T>(
  work: Promise<T>,
  ms: number,
  also?: Promise<void>,
): Promise<{ done: true; value: T } | { done: false }> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<{ done: false }>((resolve) => {
    timer = setTimeout(() => resolve({ done: false }), ms);
    void also?.then(() => resolve({ done: false }));
  });
  return Promise.race([work.then((value) => ({ done: true as const, value })), deadline]).finally(() =>
    clearTimeout(timer),
  );
}

/** Runs the steps, each against its deadline; at most graceMs + forceMs in all. Never throws. */
export async function shutDown(
  steps: ShutdownSteps,
  options: ShutdownOptions,
): Promise<{ outcome: ShutdownOutcome; ms: number }> {
  const started = Date.now();
  const forceMs = options.forceMs ?? SHUTDOWN_FORCE_MS;
  let drained = true;
  if (steps.drain) {
    const drain = steps
      .drain()
      .catch((error: unknown) =>
        options.log('warn', 'draining failed; closing anyway', { err: (error as Error).message }),
      );
    drained = (await within(drain, options.graceMs, options.hurry)).done;
    if (!drained) {
      options.log(
        'warn',
        `not drained after ${Date.now() - started} ms (work still running, or Redis unreachable): closing with force; unfinished jobs run again elsewhere once their locks expire`,
      );
    }
  }
  const close = steps.close().then(
    () => true,
    (error: unknown) => {
      options.log('error', 'closing failed', { err: (error as Error).message });
      return false;
    },
  );
  const closed = await within(close, forceMs);
  const ms = Date.now() - started;
  if (!closed.done) return { outcome: 'timed_out', ms };
  if (!closed.value) return { outcome: 'failed', ms };
  return { outcome: drained ? 'closed' : 'forced', ms };
}

/** 0 when everything closed (drained or forced), 124 when the deadline passed, 1 when closing threw. */
export const exitCodeOf = (outcome: ShutdownOutcome): number =>
  outcome === 'timed_out' ? EXIT_SHUTDOWN_TIMED_OUT : outcome === 'failed' ? 1 : 0;

const STOP_SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];
/**
 * A repeat this soon is the same request delivered twice (Ctrl-C reaches the whole process group,
 * and `npm start` forwards it too), not an impatient operator.
 */
const REPEAT_IGNORED_MS = 1_000;

/**
 * SIGTERM/SIGINT stop the process within a deadline: drain for up to graceMs, then close (forcing)
 * within SHUTDOWN_FORCE_MS, then exit — 0 when everything closed, EXIT_SHUTDOWN_TIMED_OUT when not,
 * 1 when closing threw (exitCodeOf). A second signal (a second later or more) ends the grace period at once. Use it instead of Nest's
 * enableShutdownHooks.
 */
export function stopOnSignals(
  steps: ShutdownSteps,
  options: Omit<ShutdownOptions, 'hurry'> & { exit?: (code: number) => void },
): void {
  let hurry: () => void = () => undefined;
  const hurried = new Promise<void>((resolve) => (hurry = resolve));
  let stoppingSince: number | null = null;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stoppingSince !== null) {
      if (Date.now() - stoppingSince < REPEAT_IGNORED_MS) return;
      options.log('warn', `${signal} again: ending the grace period now`);
      hurry();
      return;
    }
    stoppingSince = Date.now();
    options.log(
      'info',
      `${signal}: stopping (grace ${options.graceMs} ms, then ${options.forceMs ?? SHUTDOWN_FORCE_MS} ms to close)`,
    );
    void shutDown(steps, { ...options, hurry: hurried }).then(({ outcome, ms }) => {
      options.log(
        outcome === 'closed' ? 'info' : outcome === 'forced' ? 'warn' : 'error',
        `stopped (${outcome}) after ${ms} ms`,
        { outcome, ms },
      );
      (options.exit ?? ((code: number) => process.exit(code)))(exitCodeOf(outcome));
    });
  };
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
}

/**
 * For a process whose own hooks do the closing (the API: Nest's enableShutdownHooks): the first
 * SIGTERM/SIGINT arms a timer that exits with EXIT_SHUTDOWN_TIMED_OUT if the process is still
 * there after `ms`. The timer does not keep the process alive, and the listeners remove themselves,
 * so a close that finishes ends the process as it would have anyway (Nest re-raises the signal).
 */
export function armShutdownDeadline(
  service: string,
  ms: number,
  exit: (code: number) => void = (code) => process.exit(code),
): void {
  const arm = (signal: NodeJS.Signals): void => {
    for (const s of STOP_SIGNALS) process.removeListener(s, arm);
    setTimeout(() => {
      bootLog(service, `still not stopped ${ms} ms after ${signal}: exiting`, 'error');
      exit(EXIT_SHUTDOWN_TIMED_OUT);
    }, ms).unref();
  };
  for (const signal of STOP_SIGNALS) process.on(signal, arm);
}
