import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';

export interface HostLimiterOptions {
  /** Every key lives under it, e.g. `${QUEUE_PREFIX}:hosts`. */
  keyPrefix: string;
  /** At most this many requests in flight to one host, across all processes. */
  concurrency: number;
  /** At least this long between the starts of two requests to one host, across all processes. */
  spacingMs: number;
  /**
   * A slot held longer than this is considered abandoned (crashed worker) and freed. It must exceed
   * the longest the work can take (the request timeout), or a slow request loses its slot early.
   */
  leaseMs: number;
  /**
   * Longest a waiter for a full host waits for word of a released slot before asking Redis again.
   * Releases are announced over pub/sub, which drops messages while the subscriber reconnects; this
   * bounds what a lost message costs. Default 1,000.
   */
  recheckMs?: number;
}

/** What a refusal means: wait exactly this long (spacing), or until a slot is released (full). */
const SPACING = 1;
const FULL = 2;

/**
 * Takes a slot of the host for token ARGV[4] if its limits allow, in the script that calls it, so
 * two processes can never both see a free slot. The clock is Redis's own (TIME), so workers with
 * skewed clocks still agree on lease expiry and spacing. Returns {1, 0, 0} when the slot is taken;
 * {0, ms, SPACING} when spacing says to wait ms; {0, ms, FULL} when every slot is held, ms being when
 * the oldest lease runs out (a crashed holder's slot frees then).
 */
const TAKE_SLOT_LUA = `
local function take(leases, last, concurrency, spacing, leaseMs, token)
  local time = redis.call('TIME')
  local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
  redis.call('ZREMRANGEBYSCORE', leases, '-inf', now)
  if redis.call('ZCARD', leases) >= concurrency then
    local oldest = redis.call('ZRANGE', leases, 0, 0, 'WITHSCORES')
    return {0, math.max(tonumber(oldest[2]) - now, 1), ${FULL}}
  end
  if spacing > 0 then
    local previous = tonumber(redis.call('GET', last))
    if previous then
      local wait = previous + spacing - now
      if wait > 0 then
        return {0, wait, ${SPACING}}
      end
    end
    -- Only needed until the next start is allowed, so an idle host leaves nothing behind.
    redis.call('SET', last, now, 'PX', spacing)
  end
  redis.call('ZADD', leases, now + leaseMs, token)
  -- Expire with the latest lease rather than this one: limiters with different leaseMs may share a host.
  local newest = redis.call('ZRANGE', leases, -1, -1, 'WITHSCORES')
  redis.call('PEXPIREAT', leases, newest[2])
  return {1, 0, 0}
end
`;

const ACQUIRE_LUA = `${TAKE_SLOT_LUA}
return take(KEYS[1], KEYS[2], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4])
`;

/**
 * Frees the slot of ARGV[5] and, in the same round trip, tries to take one for this process's next
 * waiter (ARGV[4]; none when empty): under load a slot then passes from one request to the next at
 * the cost of one command. Only a slot that is left free (and was still ours: not expired and
 * taken by another) is announced to every process. Returns what take() does, for the next waiter.
 */
const RELEASE_LUA = `${TAKE_SLOT_LUA}
local removed = redis.call('ZREM', KEYS[1], ARGV[5])
local answer = {0, 0, 0}
if ARGV[4] ~= '' then
  answer = take(KEYS[1], KEYS[2], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4])
end
if removed == 1 and answer[1] == 0 then
  redis.call('PUBLISH', ARGV[6], ARGV[7])
end
return answer
`;

const ACQUIRE_COMMAND = 'outboundHostLimiterAcquire';
const RELEASE_COMMAND = 'outboundHostLimiterRelease';

interface LimiterCommands {
  [ACQUIRE_COMMAND](
    leasesKey: string,
    lastKey: string,
    concurrency: number,
    spacingMs: number,
    leaseMs: number,
    token: string,
  ): Promise<[number, number, number]>;
  [RELEASE_COMMAND](
    leasesKey: string,
    lastKey: string,
    concurrency: number,
    spacingMs: number,
    leaseMs: number,
    nextToken: string,
    releasedToken: string,
    channel: string,
    message: string,
  ): Promise<[number, number, number]>;
}

/** Until the subscription is confirmed (start-up, a reconnect), a full host is asked again this often. */
const UNSUBSCRIBED_RECHECK_MS = 25;

/**
 * The release announcements of every limiter on one Redis connection, on one subscriber connection
 * of its own (a subscribed connection can run no other command). It closes when the connection it
 * was made from ends, so whoever owns that connection needs to know nothing about it.
 */
class ReleaseFeed {
  private readonly subscriber: Redis;
  private readonly listeners = new Map<string, Set<(message: string) => void>>();
  private readonly confirmed = new Set<string>();

  constructor(redis: Redis) {
    // Subscriptions made before the connection is up must wait for it rather than fail, whatever
    // the caller chose for its own commands; ioredis subscribes again by itself after a reconnect.
    this.subscriber = redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null, lazyConnect: false });
    this.subscriber.on('error', () => undefined);
    this.subscriber.on('message', (channel: string, message: string) => {
      for (const listener of this.listeners.get(channel) ?? []) listener(message);
    });
    redis.once('end', () => this.close());
  }

  close(): void {
    this.subscriber.disconnect();
  }

  listen(channel: string, listener: (message: string) => void): void {
    let set = this.listeners.get(channel);
    if (!set) {
      set = new Set();
      this.listeners.set(channel, set);
      this.subscriber.subscribe(channel).then(
        () => this.confirmed.add(channel),
        // Only a closed connection refuses; the limiter then keeps working by asking again.
        () => undefined,
      );
    }
    set.add(listener);
  }

  /** Whether a release published now would reach this process. */
  hears(channel: string): boolean {
    return this.confirmed.has(channel) && this.subscriber.status === 'ready';
  }
}

const feeds = new WeakMap<Redis, ReleaseFeed>();

/**
 * Closes the subscriber connection that the limiters on `redis` share; call it with the connection's
 * own close. (The feed also closes when `redis` ends, but a connection closed while it was still
 * reconnecting never emits 'end', and the subscriber would then go on reconnecting for ever.)
 */
export function closeHostLimiters(redis: Redis): void {
  feeds.get(redis)?.close();
  feeds.delete(redis);
}

function feedFor(redis: Redis): ReleaseFeed {
  let feed = feeds.get(redis);
  if (!feed) {
    feed = new ReleaseFeed(redis);
    feeds.set(redis, feed);
  }
  return feed;
}

/**
 * A wait for a host's slot given up because this process is stopping (abandonHostWaits): the work
 * never started, so whoever runs the job next can do it from the start.
 */
export class HostWaitAbandonedError extends Error {
  constructor(host: string) {
    super(`gave up waiting for a slot of ${host}: this process is stopping`);
    this.name = 'HostWaitAbandonedError';
  }
}

/** Every limiter of this process, for abandonHostWaits; weakly, so short-lived ones (tests) can go. */
const limiters = new Set<WeakRef<HostLimiter>>();

/**
 * For a process that is stopping: every wait for a host's slot, now and later, ends at once with
 * HostWaitAbandonedError, so jobs that only wait can be handed back instead of holding up the drain.
 * Requests already holding a slot go on and release it as usual.
 */
export function abandonHostWaits(): void {
  for (const ref of limiters) {
    const limiter = ref.deref();
    if (limiter) limiter.abandonWaits();
    else limiters.delete(ref);
  }
}

interface Waiter {
  token: string;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** This process's waiters for one host, served in arrival order, and whether one of them is asking Redis. */
interface HostQueue {
  name: string;
  keys: { leases: string; last: string };
  waiters: Waiter[];
  asking: boolean;
  /** Slots this process holds for the host: when they are all of them, asking Redis is pointless. */
  held: number;
  /** Set when a slot may have been freed while a request to Redis was out: ask again before sleeping. */
  freed: boolean;
  timer?: NodeJS.Timeout;
}

/**
 * Politeness towards the hosts we request, shared by every worker process through Redis: BullMQ's
 * open-source edition has no per-group rate limit. Each process queues its own waiters per host in
 * arrival order, and only the first of them asks Redis, so waiting costs nothing while a host is busy.
 * A released slot is announced on pub/sub and wakes the waiting processes at once; a spacing wait
 * sleeps exactly as long as Redis says. Across processes the next slot goes to whichever asks first.
 */
export class HostLimiter {
  private readonly redis: Redis & LimiterCommands;
  private readonly recheckMs: number;
  private readonly queues = new Map<string, HostQueue>();
  private readonly feed: ReleaseFeed;
  private readonly channel: string;
  /** Marks this process's own announcements, which it has acted on already. */
  private readonly self = randomUUID();
  private abandoned = false;

  constructor(
    redis: Redis,
    private readonly options: HostLimiterOptions,
  ) {
    if (!options.keyPrefix) throw new Error('HostLimiter needs a keyPrefix');
    if (!Number.isInteger(options.concurrency) || options.concurrency < 1)
      throw new Error(`HostLimiter concurrency must be a positive integer, got ${options.concurrency}`);
    if (!Number.isInteger(options.spacingMs) || options.spacingMs < 0)
      throw new Error(`HostLimiter spacingMs must be a non-negative integer, got ${options.spacingMs}`);
    if (!Number.isInteger(options.leaseMs) || options.leaseMs < 1)
      throw new Error(`HostLimiter leaseMs must be a positive integer, got ${options.leaseMs}`);
    if (options.recheckMs !== undefined && (!Number.isInteger(options.recheckMs) || options.recheckMs < 1))
      throw new Error(`HostLimiter recheckMs must be a positive integer, got ${options.recheckMs}`);
    this.recheckMs = options.recheckMs ?? 1_000;
    // Redefining on a shared connection is harmless: ioredis replaces the script with the same one.
    redis.defineCommand(ACQUIRE_COMMAND, { numberOfKeys: 2, lua: ACQUIRE_LUA });
    redis.defineCommand(RELEASE_COMMAND, { numberOfKeys: 2, lua: RELEASE_LUA });
    this.redis = redis as Redis & LimiterCommands;
    this.channel = `${options.keyPrefix}:released`;
    this.feed = feedFor(redis);
    this.feed.listen(this.channel, (message) => this.onReleased(message));
    limiters.add(new WeakRef(this));
  }

  /** See abandonHostWaits. */
  abandonWaits(): void {
    this.abandoned = true;
    for (const queue of this.queues.values()) {
      clearTimeout(queue.timer);
      queue.timer = undefined;
      for (const waiter of queue.waiters.splice(0)) waiter.reject(new HostWaitAbandonedError(queue.name));
      this.forgetIfIdle(queue);
    }
  }

  /** Waits for a slot for `host` (case-insensitive hostname), runs work, always releases the slot. */
  async run<T>(host: string, work: () => Promise<T>): Promise<T> {
    const name = hostName(host);
    if (this.abandoned) throw new HostWaitAbandonedError(name);
    const token = randomUUID();
    await new Promise<void>((resolve, reject) => {
      const queue = this.queueFor(name);
      queue.waiters.push({ token, resolve, reject });
      void this.serve(queue);
    });
    try {
      return await work();
    } finally {
      await this.release(name, token);
    }
  }

  private async release(name: string, token: string): Promise<void> {
    // The queue lives on while this process holds one of its slots.
    const queue = this.queueFor(name);
    queue.held -= 1;
    if (queue.waiters.length > 0 && !queue.asking) {
      // The next waiter asks for the slot in the same round trip that frees it.
      await this.serve(queue, token);
    } else {
      // A failed release must not replace the work's outcome; the lease expires after leaseMs anyway.
      await this.releaseCommand(queue, '', token).catch(() => undefined);
      this.wake(queue);
    }
    this.forgetIfIdle(queue);
  }

  private releaseCommand(
    queue: HostQueue,
    nextToken: string,
    releasedToken: string,
  ): Promise<[number, number, number]> {
    const { concurrency, spacingMs, leaseMs } = this.options;
    return this.redis[RELEASE_COMMAND](
      queue.keys.leases,
      queue.keys.last,
      concurrency,
      spacingMs,
      leaseMs,
      nextToken,
      releasedToken,
      this.channel,
      `${this.self} ${queue.name}`,
    );
  }

  /** Another process (or this one: ignored, it woke its waiters already) freed a slot of a host. */
  private onReleased(message: string): void {
    const space = message.indexOf(' ');
    if (message.slice(0, space) === this.self) return;
    const queue = this.queues.get(message.slice(space + 1));
    if (queue) this.wake(queue);
  }

  private wake(queue: HostQueue): void {
    queue.freed = true;
    if (queue.waiters.length > 0) void this.serve(queue);
  }

  /**
   * Hands out slots to the queue's waiters, first come first served, until Redis refuses; then
   * sleeps until a release wakes it, the spacing has passed or (a safety net) recheckMs is up.
   * `releasing`: a slot of this process's to free in the first request, for the first waiter.
   */
  private async serve(queue: HostQueue, releasing?: string): Promise<void> {
    if (queue.asking) return;
    queue.asking = true;
    clearTimeout(queue.timer);
    queue.timer = undefined;
    try {
      // With every slot held here, only one of our own releases can free one, and it wakes us.
      while (queue.waiters.length > 0 && queue.held < this.options.concurrency) {
        queue.freed = false;
        const listening = this.feed.hears(this.channel);
        const head = queue.waiters[0];
        const { concurrency, spacingMs, leaseMs } = this.options;
        let answer: [number, number, number];
        try {
          answer =
            releasing === undefined
              ? await this.redis[ACQUIRE_COMMAND](
                  queue.keys.leases,
                  queue.keys.last,
                  concurrency,
                  spacingMs,
                  leaseMs,
                  head.token,
                )
              : await this.releaseCommand(queue, head.token, releasing);
        } catch (error) {
          // Redis is unreachable: this waiter's work fails as its request to Redis did; the next one asks anew.
          queue.waiters.shift();
          head.reject(error);
          continue;
        } finally {
          releasing = undefined;
        }
        const [granted, waitMs, reason] = answer;
        if (granted === 1) {
          queue.waiters.shift();
          queue.held += 1;
          head.resolve();
          continue;
        }
        if (queue.freed) continue;
        const delay =
          reason === SPACING ? waitMs : Math.min(waitMs, listening ? this.recheckMs : UNSUBSCRIBED_RECHECK_MS);
        queue.timer = setTimeout(() => {
          queue.timer = undefined;
          void this.serve(queue);
        }, delay);
        return;
      }
    } finally {
      queue.asking = false;
    }
    this.forgetIfIdle(queue);
  }

  /** A host nobody here waits for or holds is forgotten, or a long-running worker would keep every host it saw. */
  private forgetIfIdle(queue: HostQueue): void {
    if (queue.waiters.length > 0 || queue.held > 0 || queue.asking || queue.timer) return;
    if (this.queues.get(queue.name) === queue) this.queues.delete(queue.name);
  }

  private queueFor(name: string): HostQueue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = { name, keys: this.keysFor(name), waiters: [], asking: false, held: 0, freed: false };
      this.queues.set(name, queue);
    }
    return queue;
  }

  private keysFor(name: string): { leases: string; last: string } {
    // The hash tag keeps both keys of a host in one cluster slot, as a multi-key script requires.
    const base = `${this.options.keyPrefix}:{${name}}`;
    return { leases: `${base}:leases`, last: `${base}:last` };
  }
}

/** DNS names are case-insensitive and "example.org." is the same host as "example.org". */
function hostName(host: string): string {
  const name = host.trim().toLowerCase().replace(/\.$/, '');
  if (!name) throw new Error('HostLimiter.run needs a host');
  return name;
}
