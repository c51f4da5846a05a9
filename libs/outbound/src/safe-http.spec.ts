import { once } from 'node:events';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { Agent } from 'undici';
import * as address from './address';
import { describeOutboundFailure, failureOfCode, OUTBOUND_FAILURES } from './failure';
import {
  BlockedDestinationError,
  DEFAULT_USER_AGENT,
  LookupFn,
  NameNotResolvedError,
  OutboundRequestError,
  OutboundTimeoutError,
  SafeHttpClient,
  TooManyRedirectsError,
} from './safe-http';

/**
 * Every server here listens on loopback only. 127.0.0.1 is the allow-listed test origin; the servers on
 * 127.0.0.2 and ::1 stand for "internal" hosts and must never see a connection.
 */
interface TestServer {
  server: Server;
  port: number;
  connections: number;
  requests: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[];
}

type Handler = (req: IncomingMessage, res: ServerResponse, body: string, self: TestServer) => void;

async function startServer(host: string, handler: Handler, port = 0): Promise<TestServer> {
  const server = createServer();
  const state: TestServer = { server, port: 0, connections: 0, requests: [] };
  server.on('connection', () => {
    state.connections += 1;
  });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      state.requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      handler(req, res, body, state);
    });
  });
  server.listen(port, host);
  await once(server, 'listening');
  state.port = (server.address() as AddressInfo).port;
  return state;
}

async function stopServer(s: TestServer | undefined): Promise<void> {
  if (s === undefined) return;
  s.server.closeAllConnections();
  await new Promise<void>((resolve) => s.server.close(() => resolve()));
}

const ipv6Loopback = Object.values(networkInterfaces())
  .flat()
  .some((i) => i?.address === '::1');
const itIPv6 = ipv6Loopback ? it : it.skip;

function redirect(res: ServerResponse, status: number, location: string): void {
  res.writeHead(status, { location });
  res.end('moved');
}

const mainHandler: Handler = (req, res, body) => {
  const url = new URL(req.url ?? '/', 'http://placeholder');
  const path = url.pathname;
  if (path === '/ok') {
    res.writeHead(200, { 'content-type': 'text/plain', 'set-cookie': ['a=1', 'b=2'], 'x-custom': 'yes' });
    res.end('hello world');
  } else if (path === '/big') {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('x'.repeat(200_000));
  } else if (path === '/echo') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ method: req.method, body, headers: req.headers }));
  } else if (path === '/r301') {
    redirect(res, 301, '/r302');
  } else if (path === '/r302') {
    redirect(res, 302, `http://${req.headers.host}/final`);
  } else if (path === '/final') {
    res.writeHead(200);
    res.end('done');
  } else if (path === '/see-other') {
    redirect(res, 303, '/echo');
  } else if (path === '/temporary') {
    redirect(res, 307, '/echo');
  } else if (path === '/rel/start') {
    redirect(res, 302, 'next?x=1');
  } else if (path === '/rel/next') {
    res.writeHead(200);
    res.end(`next ${url.search}`);
  } else if (path.startsWith('/chain/')) {
    const left = Number(path.slice('/chain/'.length));
    if (left > 0) redirect(res, 302, `/chain/${left - 1}`);
    else {
      res.writeHead(200);
      res.end('end of chain');
    }
  } else if (path === '/to') {
    redirect(res, 302, url.searchParams.get('target') ?? '/');
  } else if (path === '/hang') {
    // never answers
  } else if (path === '/stall-body') {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.write('partial');
  } else if (path === '/reset') {
    req.socket.destroy();
  } else if (path === '/bad-location') {
    redirect(res, 302, 'http://[not an address/');
  } else {
    res.writeHead(404);
    res.end();
  }
};

const forbiddenHandler: Handler = (_req, res) => {
  res.writeHead(200);
  res.end('you should not be here');
};

describe('SafeHttpClient', () => {
  let main: TestServer;
  let other: TestServer; // a second allow-listed origin, for cross-origin redirects
  let internal: TestServer; // 127.0.0.2, not allow-listed
  let internalV6: TestServer | undefined; // ::1, not allow-listed
  let client: SafeHttpClient;
  let lookup: jest.MockedFunction<LookupFn>;
  let dispatch: jest.SpyInstance;

  const hostTable: Record<string, { address: string; family: 4 | 6 }[]> = {
    localhost: [
      { address: '127.0.0.1', family: 4 },
      { address: '::1', family: 6 },
    ],
    'internal.example': [{ address: '10.0.0.5', family: 4 }],
    'mixed.example': [
      { address: '8.8.8.8', family: 4 },
      { address: '192.168.0.10', family: 4 },
    ],
  };

  function notFound(code: string, host: string): Error {
    return Object.assign(new Error(`getaddrinfo ${code} ${host}`), { code });
  }

  beforeAll(async () => {
    main = await startServer('127.0.0.1', mainHandler);
    other = await startServer('127.0.0.1', mainHandler);
    internal = await startServer('127.0.0.2', forbiddenHandler);
    if (ipv6Loopback) internalV6 = await startServer('::1', forbiddenHandler);
    lookup = jest.fn<ReturnType<LookupFn>, Parameters<LookupFn>>(async (host) => {
      if (host === 'nodata.example') throw notFound('ENODATA', host);
      const entry = hostTable[host];
      if (entry === undefined) throw notFound('ENOTFOUND', host);
      return entry;
    });
    client = new SafeHttpClient({ allowHosts: ['127.0.0.1'], timeoutMs: 2_000, lookup });
  });

  beforeEach(() => {
    lookup.mockClear();
    dispatch = jest.spyOn(Agent.prototype, 'dispatch');
  });

  afterEach(() => {
    dispatch.mockRestore();
  });

  afterAll(async () => {
    await client.close();
    await Promise.all([stopServer(main), stopServer(other), stopServer(internal), stopServer(internalV6)]);
  });

  const base = (path: string): string => `http://127.0.0.1:${main.port}${path}`;

  function expectUntouched(): void {
    expect(internal.connections).toBe(0);
    if (internalV6 !== undefined) expect(internalV6.connections).toBe(0);
  }

  describe('single requests', () => {
    it('returns status, lower-case joined headers and no body by default', async () => {
      const res = await client.request(base('/ok'), { method: 'GET' });
      expect(res).toMatchObject({ url: base('/ok'), status: 200, body: '' });
      expect(res.headers['set-cookie']).toBe('a=1, b=2');
      expect(res.headers['x-custom']).toBe('yes');
      expect(res.headers['content-type']).toBe('text/plain');
      expect(dispatch).toHaveBeenCalledTimes(1);
    });

    it('reads the body up to maxBodyBytes and keeps working afterwards', async () => {
      const small = await client.request(base('/ok'), { method: 'GET', maxBodyBytes: 5 });
      expect(small.body).toBe('hello');
      const whole = await client.request(base('/ok'), { method: 'GET', maxBodyBytes: 1_000 });
      expect(whole.body).toBe('hello world');
      const big = await client.request(base('/big'), { method: 'GET', maxBodyBytes: 70_000 });
      expect(big.body).toBe('x'.repeat(70_000));
      const again = await client.request(base('/ok'), { method: 'HEAD' });
      expect(again.status).toBe(200);
    });

    it('sends the default user agent, caller headers and a POST body', async () => {
      const res = await client.request(base('/echo'), {
        method: 'POST',
        headers: { 'Content-Type': 'text/plain', 'X-Trace': 't1', Host: 'evil.test' },
        body: 'payload',
        maxBodyBytes: 10_000,
      });
      const echoed = JSON.parse(res.body);
      expect(echoed.method).toBe('POST');
      expect(echoed.body).toBe('payload');
      expect(echoed.headers['user-agent']).toBe(DEFAULT_USER_AGENT);
      expect(echoed.headers['x-trace']).toBe('t1');
      expect(echoed.headers.host).toBe(`127.0.0.1:${main.port}`);
    });

    it('uses the policy user agent when one is given', async () => {
      const custom = new SafeHttpClient({ allowHosts: ['127.0.0.1'], timeoutMs: 2_000, userAgent: 'Test/2.0' });
      try {
        const res = await custom.request(base('/echo'), { method: 'GET', maxBodyBytes: 10_000 });
        expect(JSON.parse(res.body).headers['user-agent']).toBe('Test/2.0');
      } finally {
        await custom.close();
      }
    });

    it('keeps the connection after a HEAD, even to a server that wrongly sends a body with it', async () => {
      const plain = await startServer('127.0.0.1', (_req, res) => {
        res.writeHead(200, { 'content-length': '0' });
        res.end();
      });
      // Node's server drops a body written to a HEAD; a raw socket shows what a broken server sends.
      const broken = await startServer('127.0.0.1', (_req, res) => {
        res.socket?.write('HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nstray');
        res.socket?.uncork();
        res.detachSocket(res.socket!);
      });
      const own = new SafeHttpClient({ allowHosts: ['127.0.0.1'], timeoutMs: 2_000 });
      try {
        for (let i = 0; i < 10; i++) {
          const res = await own.request(`http://127.0.0.1:${plain.port}/h${i}`, { method: 'HEAD' });
          expect(res.status).toBe(200);
        }
        // undici closes the connection after every HEAD unless told not to: that would be 10.
        // (It may open a second while it checks the idle first one before reusing it.)
        expect(plain.connections).toBeLessThanOrEqual(2);
        // The stray bytes arrive with no request waiting for them: that connection is dropped, and
        // every answer is still the right one.
        for (let i = 0; i < 3; i++) {
          const res = await own.request(`http://127.0.0.1:${broken.port}/b${i}`, { method: 'HEAD' });
          expect(res.status).toBe(200);
        }
        expect(broken.requests.map((r) => r.url)).toEqual(['/b0', '/b1', '/b2']);
      } finally {
        await own.close();
        await Promise.all([stopServer(plain), stopServer(broken)]);
      }
    });

    it('does not follow redirects', async () => {
      const res = await client.request(base('/r301'), { method: 'GET' });
      expect(res.status).toBe(301);
      expect(res.headers.location).toBe('/r302');
    });
  });

  describe('redirects', () => {
    it('reports a 301 → 302 → 200 chain hop by hop', async () => {
      const { response, hops } = await client.follow(base('/r301'), { method: 'GET', maxBodyBytes: 100 });
      expect(hops).toEqual([
        { url: base('/r301'), status: 301 },
        { url: base('/r302'), status: 302 },
      ]);
      expect(response).toMatchObject({ url: base('/final'), status: 200, body: 'done' });
    });

    it('turns a POST into a GET without body on 303', async () => {
      const { response, hops } = await client.follow(base('/see-other'), {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: 'payload',
        maxBodyBytes: 10_000,
      });
      expect(hops).toEqual([{ url: base('/see-other'), status: 303 }]);
      const echoed = JSON.parse(response.body);
      expect(echoed.method).toBe('GET');
      expect(echoed.body).toBe('');
      expect(echoed.headers['content-type']).toBeUndefined();
    });

    it('keeps method and body on 307', async () => {
      const { response } = await client.follow(base('/temporary'), {
        method: 'POST',
        body: 'payload',
        maxBodyBytes: 10_000,
      });
      const echoed = JSON.parse(response.body);
      expect(echoed.method).toBe('POST');
      expect(echoed.body).toBe('payload');
    });

    it('resolves a relative Location against the current URL', async () => {
      const { response, hops } = await client.follow(base('/rel/start'), { method: 'GET', maxBodyBytes: 100 });
      expect(hops).toEqual([{ url: base('/rel/start'), status: 302 }]);
      expect(response).toMatchObject({ url: base('/rel/next?x=1'), body: 'next ?x=1' });
    });

    it('follows exactly maxRedirects and fails on one more', async () => {
      const ten = await client.follow(base('/chain/10'), { method: 'GET', maxBodyBytes: 100 });
      expect(ten.hops).toHaveLength(10);
      expect(ten.response.body).toBe('end of chain');

      const before = main.requests.length;
      const error = await client.follow(base('/chain/11'), { method: 'GET' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TooManyRedirectsError);
      const hops = (error as TooManyRedirectsError).hops;
      expect(hops).toHaveLength(11);
      expect(hops[0]).toEqual({ url: base('/chain/11'), status: 302 });
      expect(hops[10]).toEqual({ url: base('/chain/1'), status: 302 });
      expect(main.requests.length - before).toBe(11); // the twelfth URL is never requested
    });

    it('honours a smaller maxRedirects', async () => {
      await expect(client.follow(base('/chain/3'), { method: 'GET', maxRedirects: 2 })).rejects.toBeInstanceOf(
        TooManyRedirectsError,
      );
      const { hops } = await client.follow(base('/chain/3'), { method: 'GET', maxRedirects: 3 });
      expect(hops).toHaveLength(3);
    });

    it('drops credentials when a redirect leaves the origin but keeps them on the same origin', async () => {
      const headers = { authorization: 'Bearer secret', cookie: 'sid=1', 'x-keep': 'kept' };
      const crossTarget = `http://127.0.0.1:${other.port}/echo`;
      const cross = await client.follow(base(`/to?target=${encodeURIComponent(crossTarget)}`), {
        method: 'GET',
        headers,
        maxBodyBytes: 10_000,
      });
      const crossEcho = JSON.parse(cross.response.body);
      expect(crossEcho.headers.authorization).toBeUndefined();
      expect(crossEcho.headers.cookie).toBeUndefined();
      expect(crossEcho.headers['x-keep']).toBe('kept');

      const same = await client.follow(base('/to?target=/echo'), { method: 'GET', headers, maxBodyBytes: 10_000 });
      expect(JSON.parse(same.response.body).headers.authorization).toBe('Bearer secret');
    });

    it('blocks a redirect from the allow-listed origin to 127.0.0.2 before connecting', async () => {
      const target = `http://127.0.0.2:${internal.port}/`;
      const error = await client
        .follow(base(`/to?target=${encodeURIComponent(target)}`), { method: 'GET' })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BlockedDestinationError);
      expect(error).toMatchObject({ url: target, reason: 'loopback', address: '127.0.0.2' });
      expect(dispatch).toHaveBeenCalledTimes(1); // only the first hop was dispatched
      expectUntouched();
    });

    itIPv6('blocks a redirect to [::1]', async () => {
      const target = `http://[::1]:${internalV6?.port}/`;
      const error = await client
        .follow(base(`/to?target=${encodeURIComponent(target)}`), { method: 'GET' })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'BlockedDestinationError', reason: 'loopback', address: '::1' });
      expectUntouched();
    });

    it('blocks a redirect to another scheme', async () => {
      const error = await client
        .follow(base(`/to?target=${encodeURIComponent('file:///etc/passwd')}`), { method: 'GET' })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'BlockedDestinationError', reason: 'scheme' });
    });
  });

  describe('blocked destinations', () => {
    it.each([
      ['127.0.0.2 directly', () => `http://127.0.0.2:${internal.port}/`, '127.0.0.2'],
      ['127.0.0.2 written as one hex number', () => `http://0x7f000002:${internal.port}/`, '127.0.0.2'],
      ['127.0.0.2 written in octal', () => `http://0177.0.0.2:${internal.port}/`, '127.0.0.2'],
      [
        '127.0.0.2 as an IPv4-mapped IPv6 literal',
        () => `http://[::ffff:127.0.0.2]:${internal.port}/`,
        '::ffff:7f00:2',
      ],
    ])('refuses %s without connecting', async (_label, url, blockedAddress) => {
      const error = await client.request(url(), { method: 'GET' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BlockedDestinationError);
      expect(error).toMatchObject({ reason: 'loopback', address: blockedAddress });
      expect(dispatch).not.toHaveBeenCalled();
      expect(lookup).not.toHaveBeenCalled();
      expectUntouched();
    });

    itIPv6('refuses http://[::1]:port/ without connecting', async () => {
      const error = await client
        .request(`http://[::1]:${internalV6?.port}/`, { method: 'GET' })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'BlockedDestinationError', reason: 'loopback', address: '::1' });
      expect(dispatch).not.toHaveBeenCalled();
      expectUntouched();
    });

    it('refuses localhost although 127.0.0.1 is allow-listed', async () => {
      const before = { connections: main.connections, requests: main.requests.length };
      const error = await client
        .request(`http://localhost:${main.port}/ok`, { method: 'GET' })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BlockedDestinationError);
      expect(error).toMatchObject({ reason: 'loopback', address: '127.0.0.1' });
      expect(lookup).toHaveBeenCalledWith('localhost');
      expect(dispatch).not.toHaveBeenCalled();
      expect(main.connections).toBe(before.connections);
      expect(main.requests.length).toBe(before.requests);
    });

    it('refuses a name that resolves to a private address, before any connection', async () => {
      const error = await client.request('http://internal.example/', { method: 'GET' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BlockedDestinationError);
      expect(error).toMatchObject({ url: 'http://internal.example/', reason: 'private', address: '10.0.0.5' });
      expect(lookup).toHaveBeenCalledTimes(1);
      expect(lookup).toHaveBeenCalledWith('internal.example');
      expect(dispatch).not.toHaveBeenCalled();
    });

    it('refuses a name when any one of its addresses is not public', async () => {
      const error = await client.request('https://mixed.example/', { method: 'GET' }).catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'BlockedDestinationError', reason: 'private', address: '192.168.0.10' });
      expect(dispatch).not.toHaveBeenCalled();
    });

    it.each([
      ['ftp://127.0.0.1/file', 'scheme'],
      ['file:///etc/passwd', 'scheme'],
      ['gopher://127.0.0.1:70/', 'scheme'],
    ])('refuses %s', async (url, reason) => {
      await expect(client.request(url, { method: 'GET' })).rejects.toMatchObject({
        name: 'BlockedDestinationError',
        reason,
      });
      expect(dispatch).not.toHaveBeenCalled();
    });

    it('refuses URLs with credentials even to an allow-listed host', async () => {
      const before = main.connections;
      for (const url of [`http://user:pw@127.0.0.1:${main.port}/ok`, `http://user@127.0.0.1:${main.port}/ok`]) {
        await expect(client.request(url, { method: 'GET' })).rejects.toMatchObject({
          name: 'BlockedDestinationError',
          reason: 'credentials',
        });
      }
      expect(dispatch).not.toHaveBeenCalled();
      expect(main.connections).toBe(before);
    });

    it('refuses a connection the pre-flight check did not vet (the connector guard)', async () => {
      // Bypasses request() on purpose: the Agent itself must not connect to a non-public, non-allow-listed host.
      const agent = (client as unknown as { agent: Agent }).agent;
      const error = await agent
        .request({ origin: `http://127.0.0.2:${internal.port}`, path: '/', method: 'GET' })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BlockedDestinationError);
      expect(error).toMatchObject({ reason: 'loopback', address: '127.0.0.2' });
      expectUntouched();
    });
  });

  describe('name resolution', () => {
    it.each([
      ['missing.example', 'ENOTFOUND'],
      ['nodata.example', 'ENODATA'],
    ])('%s → NameNotResolvedError %s', async (host, code) => {
      const error = await client.request(`http://${host}/`, { method: 'GET' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NameNotResolvedError);
      expect(error).toMatchObject({ host, code });
      expect(dispatch).not.toHaveBeenCalled();
    });

    it('treats an empty answer as a name that does not resolve', async () => {
      const empty = new SafeHttpClient({ allowHosts: [], timeoutMs: 1_000, lookup: async () => [] });
      try {
        await expect(empty.request('http://void.example/', { method: 'GET' })).rejects.toBeInstanceOf(
          NameNotResolvedError,
        );
      } finally {
        await empty.close();
      }
    });

    it('propagates other resolver failures as errors', async () => {
      const flaky = new SafeHttpClient({
        allowHosts: [],
        timeoutMs: 1_000,
        lookup: async (host) => {
          throw Object.assign(new Error(`getaddrinfo EAI_AGAIN ${host}`), { code: 'EAI_AGAIN' });
        },
      });
      try {
        const error = await flaky.request('http://flaky.example/', { method: 'GET' }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(OutboundRequestError);
        expect(error).toMatchObject({ code: 'EAI_AGAIN' });
        expect((error as Error).message).toContain('flaky.example');
      } finally {
        await flaky.close();
      }
    });

    it('connects only to the vetted address: a later, different answer is never used (pinning)', async () => {
      // Pretend 127.0.0.1 is public so a name can legitimately resolve to a loopback test server.
      const realClassify = address.classifyAddress;
      const classify = jest
        .spyOn(address, 'classifyAddress')
        .mockImplementation((a) => (a === '127.0.0.1' ? 'public' : realClassify(a)));
      const pinnedServer = await startServer('127.0.0.1', (req, res) => {
        res.writeHead(200);
        res.end(`host=${req.headers.host}`);
      });
      // The "rebound" answer is a server on the same port, so connect-time resolution would reach it.
      const rebound = await startServer('127.0.0.2', forbiddenHandler, pinnedServer.port);
      const rebinding = jest.fn<ReturnType<LookupFn>, Parameters<LookupFn>>();
      rebinding
        .mockResolvedValueOnce([{ address: '127.0.0.1', family: 4 }])
        .mockResolvedValue([{ address: '127.0.0.2', family: 4 }]);
      const pinning = new SafeHttpClient({ allowHosts: [], timeoutMs: 2_000, lookup: rebinding });
      try {
        const res = await pinning.request(`http://rebind.test:${pinnedServer.port}/`, {
          method: 'GET',
          maxBodyBytes: 100,
        });
        expect(res.body).toBe(`host=rebind.test:${pinnedServer.port}`);
        expect(rebinding).toHaveBeenCalledTimes(1);
        expect(pinnedServer.connections).toBe(1);
        expect(rebound.connections).toBe(0);

        // The next request resolves again, gets the rebound answer, and is refused before connecting.
        await expect(
          pinning.request(`http://rebind.test:${pinnedServer.port}/`, { method: 'GET' }),
        ).rejects.toMatchObject({
          name: 'BlockedDestinationError',
          address: '127.0.0.2',
        });
        expect(rebound.connections).toBe(0);
        expect(pinnedServer.requests).toHaveLength(1);
      } finally {
        classify.mockRestore();
        await pinning.close();
        await Promise.all([stopServer(pinnedServer), stopServer(rebound)]);
      }
    });

    it('keeps the name as TLS servername and Host header when pinning an https URL', async () => {
      const realClassify = address.classifyAddress;
      const classify = jest
        .spyOn(address, 'classifyAddress')
        .mockImplementation((a) => (a === '127.0.0.1' ? 'public' : realClassify(a)));
      const plain = await startServer('127.0.0.1', forbiddenHandler);
      const pinning = new SafeHttpClient({
        allowHosts: [],
        timeoutMs: 2_000,
        lookup: async () => [{ address: '127.0.0.1', family: 4 }],
      });
      try {
        // The loopback server speaks plain HTTP, so the TLS handshake fails; what matters is what was dispatched.
        const error = await pinning
          .request(`https://secure.test:${plain.port}/path?q=1`, { method: 'GET' })
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(Error);
        expect(describeOutboundFailure(error)).toEqual({ code: 'tls_error', message: OUTBOUND_FAILURES.tls_error });
        expect(dispatch).toHaveBeenCalledTimes(1);
        const [options] = dispatch.mock.calls[0] as [Record<string, unknown>];
        expect(options).toMatchObject({
          origin: `https://127.0.0.1:${plain.port}`,
          path: '/path?q=1',
          servername: 'secure.test',
          headers: expect.objectContaining({ host: `secure.test:${plain.port}` }),
        });
        expect(plain.requests).toHaveLength(0);
      } finally {
        classify.mockRestore();
        await pinning.close();
        await stopServer(plain);
      }
    });
  });

  describe('timeouts and failures', () => {
    it('gives up on a server that never answers after about timeoutMs', async () => {
      const started = Date.now();
      const error = await client.request(base('/hang'), { method: 'GET', timeoutMs: 200 }).catch((e: unknown) => e);
      const elapsed = Date.now() - started;
      expect(error).toBeInstanceOf(OutboundTimeoutError);
      expect((error as Error).message).toContain('200 ms');
      expect(elapsed).toBeGreaterThanOrEqual(180);
      expect(elapsed).toBeLessThan(1_500);
    });

    it('counts the body against the same deadline', async () => {
      const started = Date.now();
      const error = await client
        .request(base('/stall-body'), { method: 'GET', timeoutMs: 200, maxBodyBytes: 1_000 })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OutboundTimeoutError);
      expect(Date.now() - started).toBeLessThan(1_500);
    });

    it('uses the policy timeout when the request gives none', async () => {
      const quick = new SafeHttpClient({ allowHosts: ['127.0.0.1'], timeoutMs: 200 });
      try {
        const started = Date.now();
        await expect(quick.request(base('/hang'), { method: 'GET' })).rejects.toBeInstanceOf(OutboundTimeoutError);
        expect(Date.now() - started).toBeLessThan(1_500);
      } finally {
        await quick.close();
      }
    });

    it('counts a hanging name lookup against the deadline', async () => {
      const stuck = new SafeHttpClient({ allowHosts: [], timeoutMs: 200, lookup: () => new Promise(() => undefined) });
      try {
        await expect(stuck.request('http://slow-dns.example/', { method: 'GET' })).rejects.toBeInstanceOf(
          OutboundTimeoutError,
        );
      } finally {
        await stuck.close();
      }
    });

    it('reports a refused connection with its code', async () => {
      // A port that was just free on the allow-listed host: nothing listens there any more.
      const gone = await startServer('127.0.0.1', forbiddenHandler);
      const port = gone.port;
      await stopServer(gone);
      const error = await client.request(`http://127.0.0.1:${port}/`, { method: 'GET' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OutboundRequestError);
      expect(error).toMatchObject({ code: 'ECONNREFUSED' });
      expect((error as Error).message).toContain(`127.0.0.1:${port}`);
    });

    it('rejects a URL that does not parse', async () => {
      await expect(client.request('not a url', { method: 'GET' })).rejects.toBeInstanceOf(OutboundRequestError);
    });
  });
  describe('failures described for users (never the address, never the raw message)', () => {
    const described = async (promise: Promise<unknown>) => {
      const error = await promise.then(
        () => new Error('the request should have failed'),
        (e: unknown) => e,
      );
      const description = describeOutboundFailure(error);
      // The fixed sentence of its code, whatever the error said.
      expect(description.message).toBe(OUTBOUND_FAILURES[description.code]);
      return { error: error as Error, ...description };
    };

    it('says only that the address is not allowed: no resolved or literal address', async () => {
      const literal = await described(client.request(`http://127.0.0.2:${internal.port}/x`, { method: 'GET' }));
      expect(literal.code).toBe('address_not_allowed');
      expect(literal.error.message).toContain('127.0.0.2'); // the log keeps it...
      expect(literal.message).not.toMatch(/127\.0\.0\.2|loopback/); // ...the user does not get it
      const resolved = await described(client.request('http://internal.example/', { method: 'GET' }));
      expect(resolved).toMatchObject({ code: 'address_not_allowed', message: 'the address is not allowed' });
      expect(resolved.error.message).toContain('10.0.0.5');
      const redirected = await described(
        client.follow(base(`/to?target=${encodeURIComponent(`http://127.0.0.2:${internal.port}/secret`)}`), {
          method: 'GET',
        }),
      );
      expect(redirected.code).toBe('address_not_allowed');
      expectUntouched();
    });

    it('names refused schemes and credentials', async () => {
      expect((await described(client.request('file:///etc/passwd', { method: 'GET' }))).code).toBe(
        'scheme_not_allowed',
      );
      expect(
        (await described(client.request(base('/ok').replace('http://', 'http://user:pw@'), { method: 'GET' }))).code,
      ).toBe('credentials_not_allowed');
    });

    it('gives refused connections, resets, timeouts, DNS and URL failures a code of their own', async () => {
      const gone = await startServer('127.0.0.1', forbiddenHandler);
      const port = gone.port;
      await stopServer(gone);
      const refused = await described(client.request(`http://127.0.0.1:${port}/`, { method: 'GET' }));
      expect(refused.code).toBe('connection_refused');
      expect(refused.message).not.toContain(String(port));
      expect((await described(client.request(base('/reset'), { method: 'GET' }))).code).toBe('reset');
      expect((await described(client.request(base('/hang'), { method: 'GET', timeoutMs: 100 }))).code).toBe('timeout');
      expect((await described(client.request('http://missing.example/', { method: 'GET' }))).code).toBe('dns_failure');
      expect((await described(client.request('not a url', { method: 'GET' }))).code).toBe('invalid_url');
      expect((await described(client.follow(base('/bad-location'), { method: 'GET' }))).code).toBe('invalid_redirect');
      expect((await described(client.follow(base('/chain/3'), { method: 'GET', maxRedirects: 2 }))).code).toBe(
        'too_many_redirects',
      );
      const flaky = new SafeHttpClient({
        allowHosts: [],
        timeoutMs: 1_000,
        lookup: async (host) => {
          throw Object.assign(new Error(`getaddrinfo EAI_AGAIN ${host}`), { code: 'EAI_AGAIN' });
        },
      });
      try {
        expect((await described(flaky.request('http://flaky.example/', { method: 'GET' }))).code).toBe('dns_failure');
      } finally {
        await flaky.close();
      }
    });

    it('maps system and TLS codes, and anything unknown to request_failed', () => {
      expect(failureOfCode('ECONNRESET')).toBe('reset');
      expect(failureOfCode('EHOSTUNREACH')).toBe('unreachable');
      expect(failureOfCode('ERR_TLS_CERT_ALTNAME_INVALID')).toBe('tls_error');
      expect(failureOfCode('CERT_HAS_EXPIRED')).toBe('tls_error');
      expect(failureOfCode('DEPTH_ZERO_SELF_SIGNED_CERT')).toBe('tls_error');
      expect(failureOfCode('ERR_SSL_WRONG_VERSION_NUMBER')).toBe('tls_error');
      expect(failureOfCode('SOMETHING_NEW')).toBe('request_failed');
      expect(failureOfCode(undefined)).toBe('request_failed');
      // Not from the client at all (a bug, say): generic, and its message is not repeated.
      expect(
        describeOutboundFailure(new TypeError('Cannot read properties of undefined (reading "x") at /srv/app.js:12')),
      ).toEqual({
        code: 'request_failed',
        message: 'the request failed',
      });
    });
  });
});
