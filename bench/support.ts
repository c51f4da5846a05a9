import { ChildProcess, fork } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { AddressInfo, createServer as createTcpServer } from 'node:net';
import Redis from 'ioredis';
import { redisOptions } from '@imprimatur/queue/connection';

/**
 * Deletes one run's Redis keys, and only them: SCAN for `<prefix>:*`, UNLINK what it finds. Shared by
 * the benchmarks and the browser story, which all work under a throwaway prefix of their own.
 */
export async function deleteKeys(redisUrl: string, prefix: string): Promise<number> {
  const redis = new Redis(redisOptions(redisUrl, 'worker'));
  redis.on('error', () => undefined);
  try {
    let cursor = '0';
    let deleted = 0;
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) deleted += await redis.unlink(...keys);
    } while (cursor !== '0');
    return deleted;
  } finally {
    redis.disconnect();
  }
}

/** A TCP port that was free a moment ago on `host`, for a child to listen on. */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createTcpServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** The nearest-rank percentile of an ascending array (0 when empty). */
export const percentile = (sorted: readonly number[], p: number): number =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];

/** CPU time (user + system) a process has used so far, in seconds, from /proc: no help needed from the process. */
export function cpuSecondsOf(pid: number): number {
  // Fields after the parenthesised command name, which may itself contain spaces; utime and stime are the 12th and 13th.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

/**
 * CPU seconds so far of every process whose command name (as in /proc/<pid>/comm) is one of `commands`, by
 * pid: for servers such as PostgreSQL, whose work is spread over a backend per connection.
 */
export function cpuSecondsByCommand(commands: readonly string[]): Map<number, number> {
  const seconds = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const command = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      if (commands.includes(command)) seconds.set(Number(entry), cpuSecondsOf(Number(entry)));
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return seconds;
}

/** CPU seconds spent between two `cpuSecondsByCommand` readings; a process gone by the second one is lost. */
export function cpuSecondsBetween(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, seconds] of after) total += seconds - (before.get(pid) ?? 0);
  return total;
}

/** Busy and total CPU time of the whole machine so far, in seconds, from the first line of /proc/stat. */
export function machineCpuSeconds(): { busy: number; total: number } {
  const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const values = ticks.map(Number);
  const total = values.reduce((s, n) => s + n, 0);
  // idle and iowait are the 4th and 5th.
  const idle = (values[3] ?? 0) + (values[4] ?? 0);
  return { busy: (total - idle) / CLOCK_TICKS_PER_SECOND, total: total / CLOCK_TICKS_PER_SECOND };
}

// USER_HZ, which Linux fixes at 100 for what /proc reports whatever the kernel's own tick rate.
const CLOCK_TICKS_PER_SECOND = 100;

export type AppRole = 'api' | 'worker';

/**
 * The real API or worker in a child process, so that the load generator does not share its event loop and
 * each one's CPU and memory are its own. `script` is the bench file that forks itself; its entry point calls
 * `serveApp(role)` when it finds the role in argv[2].
 */
export class AppProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {}

  get pid(): number {
    return this.child.pid ?? 0;
  }

  static async start(script: string, role: AppRole, env: NodeJS.ProcessEnv): Promise<AppProcess> {
    const child = fork(script, [role], {
      env,
      execArgv: process.execArgv,
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    });
    // Our stdout is the report: the child's logs go to stderr.
    child.stdout?.pipe(process.stderr);
    const port = await new Promise<number>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`${role} exited with ${code}`)));
      child.once('message', (m: { type: 'ready'; port: number }) => resolve(m.port));
    });
    child.removeAllListeners('exit');
    return new AppProcess(child, port);
  }

  cpuSeconds(): number {
    return cpuSecondsOf(this.pid);
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      if (this.child.exitCode !== null) return resolve();
      this.child.once('exit', () => resolve());
      this.child.send({ type: 'stop' });
      setTimeout(() => this.child.kill('SIGKILL'), 10_000).unref();
    });
  }
}

/**
 * The child side of AppProcess: builds the API (listening on HOST/PORT) or the worker as their mains do,
 * says 'ready' with the port, and closes on 'stop' (the worker lets its active jobs finish). The
 * application is imported here, not at the top, so that the benches and the browser story that only want
 * the helpers above do not load it.
 */
export async function serveApp(role: AppRole): Promise<void> {
  const { loadConfig } = await import('@imprimatur/config');
  const config = loadConfig(process.env);
  let close: () => Promise<void>;
  let port = 0;
  if (role === 'api') {
    const { createApiApp } = await import('../apps/api/src/app.factory');
    const app = await createApiApp(config);
    await app.listen(config.port, config.host);
    port = (app.getHttpServer().address() as AddressInfo).port;
    close = () => app.close();
  } else {
    const [{ NestFactory }, { Logger }, { WorkerModule }] = await Promise.all([
      import('@nestjs/core'),
      import('nestjs-pino'),
      import('../apps/worker/src/worker.module'),
    ]);
    const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), {
      bufferLogs: true,
      abortOnError: false,
    });
    app.useLogger(app.get(Logger));
    close = () => app.close();
  }
  process.on('message', (message: { type: string }) => {
    if (message.type === 'stop') void close().then(() => process.exit(0));
  });
  process.send?.({ type: 'ready', port });
}
