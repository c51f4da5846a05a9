/**
 * The link-check benchmark's hosts, in a process of their own so that the checker under test has its
 * event loop to itself (and linkinator, measured against the same hosts, too). One HTTP server per
 * loopback address in LINK_HOSTS answers every request 200 after LATENCY_MS and records how many it
 * had in flight at once, when each arrived and how long it was busy. The first host also serves
 * /page.html: an HTML page of the links the parent sent, for linkinator to crawl. Driven over IPC
 * by bench/link-check.ts: {type: 'page', links} | {type: 'reset'} | {type: 'stats'}.
 */
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

const HOSTS = (process.env.LINK_HOSTS ?? '').split(',').filter(Boolean);
const LATENCY_MS = Number(process.env.LATENCY_MS ?? 20);

export interface HostStats {
  host: string;
  requests: number;
  maxInFlight: number;
  busyMs: number;
  methods: Record<string, number>;
  minArrivalGapMs: number | null;
}

export type HostsMessage =
  | { type: 'ready'; ports: Record<string, number> }
  | { type: 'page-set' }
  | { type: 'reset-done' }
  | { type: 'stats'; hosts: HostStats[] };

class FakeHost {
  readonly server: Server;
  private inFlight = 0;
  private stats!: Omit<HostStats, 'minArrivalGapMs'> & { arrivals: number[] };

  constructor(readonly host: string) {
    this.reset();
    this.server = createServer((req, res) => this.answer(req, res));
    this.server.keepAliveTimeout = 30_000;
  }

  private answer(req: IncomingMessage, res: ServerResponse): void {
    req.resume();
    if (req.url === '/page.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(page) });
      res.end(page);
      return;
    }
    const arrivedAt = performance.now();
    const stats = this.stats;
    this.inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, this.inFlight);
    stats.requests++;
    stats.methods[req.method ?? '?'] = (stats.methods[req.method ?? '?'] ?? 0) + 1;
    stats.arrivals.push(arrivedAt);
    setTimeout(() => {
      // Counted out before the answer leaves, so the client cannot start its next request earlier.
      this.inFlight--;
      stats.busyMs += performance.now() - arrivedAt;
      res.writeHead(200, { 'content-type': 'text/html', 'content-length': '0' });
      res.end();
    }, LATENCY_MS);
  }

  reset(): void {
    this.stats = { host: this.host, requests: 0, maxInFlight: 0, busyMs: 0, methods: {}, arrivals: [] };
  }

  report(): HostStats {
    const { arrivals, ...rest } = this.stats;
    const gaps = arrivals.slice(1).map((at, i) => at - arrivals[i]);
    return { ...rest, busyMs: Math.round(rest.busyMs), minArrivalGapMs: gaps.length ? Math.min(...gaps) : null };
  }
}

let page = '<!doctype html><title>links</title>';
const hosts = HOSTS.map((host) => new FakeHost(host));
const send = (message: HostsMessage): void => {
  process.send?.(message);
};

process.on('message', (message: { type: string; links?: string[] }) => {
  switch (message.type) {
    case 'page':
      page = `<!doctype html><title>links</title><ul>${(message.links ?? []).map((href) => `<li><a href="${href}">${href}</a></li>`).join('')}</ul>`;
      send({ type: 'page-set' });
      break;
    case 'reset':
      for (const host of hosts) host.reset();
      send({ type: 'reset-done' });
      break;
    case 'stats':
      send({ type: 'stats', hosts: hosts.map((host) => host.report()) });
      break;
  }
});
// The parent gone (or killed): nothing left to serve.
process.on('disconnect', () => process.exit(0));

void Promise.all(
  hosts.map(
    (host) =>
      new Promise<[string, number]>((resolve, reject) => {
        host.server.once('error', reject);
        host.server.listen(0, host.host, () => resolve([host.host, (host.server.address() as AddressInfo).port]));
      }),
  ),
).then(
  (ports) => send({ type: 'ready', ports: Object.fromEntries(ports) }),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
