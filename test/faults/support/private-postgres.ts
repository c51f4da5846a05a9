import { execFile } from 'node:child_process';
import { chownSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The newest PostgreSQL installed from Debian's packages (its binaries are not on PATH). */
function binDir(): string {
  const versions = readdirSync('/usr/lib/postgresql')
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a));
  if (versions.length === 0) throw new Error('no PostgreSQL under /usr/lib/postgresql');
  return `/usr/lib/postgresql/${versions[0]}/bin`;
}

/**
 * A PostgreSQL cluster of the test's own, on a free port in a temporary directory, that the test may
 * stop and start: never the machine's. PostgreSQL refuses to run as root, so its commands run as the
 * `postgres` user when the tests run as root.
 */
export class PrivatePostgres {
  private readonly dir = mkdtempSync(join(tmpdir(), 'imprimatur-pg-'));
  private readonly data = join(this.dir, 'data');
  private readonly bin = binDir();
  private readonly owner = process.getuid?.() === 0 ? this.postgresUser() : null;

  constructor(readonly port: number) {
    if (this.owner) chownSync(this.dir, this.owner.uid, this.owner.gid);
  }

  url(database: string): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  async init(): Promise<void> {
    await this.pg('initdb', ['-D', this.data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
    await this.start();
  }

  async start(): Promise<void> {
    const options = [
      `-p ${this.port}`,
      `-k ${this.dir}`,
      '-c listen_addresses=127.0.0.1',
      // A throwaway cluster: durability is not what the test is about, speed is.
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
    ].join(' ');
    await this.pg('pg_ctl', ['-D', this.data, '-o', options, '-l', join(this.dir, 'log'), '-w', '-t', '60', 'start']);
  }

  /** `fast`: what a restart by an operator or an orchestrator does (open connections are terminated). */
  async stop(mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
    await this.pg('pg_ctl', ['-D', this.data, '-m', mode, '-w', '-t', '60', 'stop']);
  }

  async destroy(): Promise<void> {
    await this.stop('immediate').catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async pg(command: string, args: string[]): Promise<void> {
    await run(join(this.bin, command), args, {
      cwd: this.dir,
      ...(this.owner ? { uid: this.owner.uid, gid: this.owner.gid } : {}),
      env: { PATH: process.env.PATH ?? '', LANG: 'C.UTF-8' },
      timeout: 90_000,
    });
  }

  private postgresUser(): { uid: number; gid: number } {
    const passwd = readFileSync('/etc/passwd', 'utf8');
    const line = passwd.split('\n').find((l) => l.startsWith('postgres:'));
    if (!line) throw new Error('no postgres user to run PostgreSQL as (it refuses root)');
    const [, , uid, gid] = line.split(':');
    return { uid: Number(uid), gid: Number(gid) };
  }
}
