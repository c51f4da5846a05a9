import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type Handler = (req: IncomingMessage, res: ServerResponse, hit: number) => unknown;

/**
 * A web of our own on a loopback address: routes by path (or by path prefix, for paths that carry an
 * id), counts hits per "METHOD path", the connections it accepted and the most requests it had in flight at once.
 */
export class LocalWeb {
  readonly hits = new Map<string, number>();
  connections = 0;
  inFlight = 0;
  maxInFlight = 0;
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private readonly routes = new Map<string, Handler>();
  private readonly prefixRoutes = new Map<string, Handler>();

  constructor(readonly host = '127.0.0.1') {}

  route(path: string, handler: Handler): this {
    this.routes.set(path, handler);
    return this;
  }

  /** Every path that starts with `prefix`, unless an exact route or a longer prefix claims it. */
  routePrefix(prefix: string, handler: Handler): this {
    this.prefixRoutes.set(prefix, handler);
    return this;
  }

  private handlerFor(path: string): Handler | undefined {
    const exact = this.routes.get(path);
    if (exact) return exact;
    const prefixes = [...this.prefixRoutes.keys()].filter((prefix) => path.startsWith(prefix));
    const longest = prefixes.sort((a, b) => b.length - a.length)[0];
    return longest === undefined ? undefined : this.prefixRoutes.get(longest);
  }

  get port(): number {
    return (this.server?.address() as AddressInfo).port;
  }

  url(path: string): string {
    return `http://${this.host}:${this.port}${path}`;
  }

  count(method: string, path: string): number {
    return this.hits.get(`${method} ${path}`) ?? 0;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      const key = `${req.method} ${req.url}`;
      const hit = (this.hits.get(key) ?? 0) + 1;
      this.hits.set(key, hit);
      this.inFlight++;
      this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
      res.on('close', () => this.inFlight--);
      const handler = this.handlerFor(path);
      if (!handler) {
        res.writeHead(404).end();
        return;
      }
      void Promise.resolve(handler(req, res, hit)).catch(() => res.destroy());
    });
    this.server.on('connection', (socket) => {
      this.connections++;
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, this.host, resolve));
    return this;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

export const after = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A route handler that keeps each request's JSON body in `into` and answers 204: a webhook receiver
 * for tests that look at what was delivered, not at how it was signed.
 */
export function collectJson<T>(into: T[]): Handler {
  return (req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
    req.on('end', () => {
      into.push(JSON.parse(raw) as T);
      res.writeHead(204).end();
    });
  };
}
