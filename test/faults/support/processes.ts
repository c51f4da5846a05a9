import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..', '..');
const REGISTER = resolve(__dirname, 'register.cjs');
const ENTRY = { worker: 'apps/worker/src/main.ts', api: 'apps/api/src/main.ts' } as const;

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Date.now() when the process was gone. */
  at: number;
}

export type LogEntry = Record<string, unknown> & { msg?: string; level?: number };

/**
 * The worker or the API as a real process of its own (`main.ts` run from source, see register.cjs),
 * so that a test can SIGKILL or SIGTERM it like an orchestrator would. Its JSON log lines are kept.
 */
export class AppProcess {
  readonly lines: string[] = [];
  readonly exited: Promise<Exit>;
  private readonly child: ChildProcess;
  private readonly listeners = new Set<() => void>();

  private constructor(
    readonly name: string,
    entry: string,
    env: Record<string, string>,
    args: string[],
  ) {
    // The test runner's environment (the run's secrets, NODE_ENV=test) with the test's overrides.
    this.child = spawn(process.execPath, ['-r', REGISTER, entry, ...args], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [this.child.stdout, this.child.stderr]) {
      let rest = '';
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        const parts = (rest + chunk).split('\n');
        rest = parts.pop() ?? '';
        this.lines.push(...parts.filter((line) => line.trim() !== ''));
        for (const listener of this.listeners) listener();
      });
    }
    this.exited = new Promise((resolveExit) =>
      this.child.once('exit', (code, signal) => resolveExit({ code, signal, at: Date.now() })),
    );
  }

  /** `app`: the worker, the API, or a script (a path from the repository root) run the same way. */
  static start(name: string, app: string, env: Record<string, string> = {}, args: string[] = []): AppProcess {
    return new AppProcess(name, app in ENTRY ? ENTRY[app as keyof typeof ENTRY] : app, env, args);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Every line that was JSON (pino's), parsed. */
  entries(): LogEntry[] {
    const entries: LogEntry[] = [];
    for (const line of this.lines) {
      try {
        const parsed: unknown = JSON.parse(line);
        if (typeof parsed === 'object' && parsed !== null) entries.push(parsed as LogEntry);
      } catch {
        // Not JSON: BullMQ's console warnings, stack traces.
      }
    }
    return entries;
  }

  /** The first log entry that matches, waiting for it; fails early if the process exits first. */
  async waitForLog(match: (entry: LogEntry) => boolean, timeoutMs: number, what: string): Promise<LogEntry> {
    const found = () => this.entries().find(match);
    const already = found();
    if (already) return already;
    return new Promise<LogEntry>((resolveLog, reject) => {
      const done = (error: Error | null, entry?: LogEntry): void => {
        clearTimeout(timer);
        this.listeners.delete(check);
        if (error) reject(error);
        else resolveLog(entry as LogEntry);
      };
      const check = (): void => {
        const entry = found();
        if (entry) done(null, entry);
      };
      const timer = setTimeout(
        () =>
          done(new Error(`${this.name}: no log line "${what}" within ${timeoutMs} ms; last lines:\n${this.tail()}`)),
        timeoutMs,
      );
      this.listeners.add(check);
      void this.exited.then((exit) => {
        if (!found())
          done(
            new Error(
              `${this.name} exited (${exit.code ?? exit.signal}) before logging "${what}"; last lines:\n${this.tail()}`,
            ),
          );
      });
    });
  }

  /** Sends a signal; returns when it was sent (Date.now()). */
  signal(signal: NodeJS.Signals): number {
    const at = Date.now();
    this.child.kill(signal);
    return at;
  }

  /** Waits for the exit; SIGKILLs it (and reports so) when it takes longer than timeoutMs. */
  async exit(timeoutMs: number): Promise<Exit & { killed: boolean }> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolveLate) => (timer = setTimeout(() => resolveLate('late'), timeoutMs)));
    const first = await Promise.race([this.exited, late]);
    clearTimeout(timer);
    if (first !== 'late') return { ...first, killed: false };
    this.child.kill('SIGKILL');
    return { ...(await this.exited), killed: true };
  }

  /** Ends it, whatever state it is in (for afterAll). */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }

  tail(lines = 15): string {
    return this.lines
      .slice(-lines)
      .map((line) => `  ${line.slice(0, 300)}`)
      .join('\n');
  }
}
