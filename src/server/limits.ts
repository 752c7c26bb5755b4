/**
 * What one peer may cost the test server, and the shared counters that enforce it. Every limit has a
 * default safe for a server on a public port; tests set small ones to reach them quickly.
 */
import { MtwireError } from '../base/errors.js';

export interface ServerLimits {
  /** Largest frame, in bytes, from a peer that has named a known auth key (default 2 MiB: upload parts are 512 KiB). */
  readonly maxFrame: number;
  /**
   * Largest frame whose auth_key_id names no key the server holds (default 4 KiB): handshake messages are
   * under 1 KiB, so a peer without a key cannot make the server buffer more; refused before the body.
   */
  readonly maxAnonymousFrame: number;
  /** Bytes of unfinished frames held across all connections (default 64 MiB); the connection that passes it is closed. */
  readonly maxBufferedBytes: number;
  /** A connection that has neither completed a handshake nor sent a message under a known key by then is closed (default 10 s). */
  readonly handshakeTimeoutMs: number;
  /** A connection with no complete frame for this long is closed (default 120 s; clients ping every 60 s). */
  readonly idleTimeoutMs: number;
  /** Open connections over all transports (default 4096); one more is closed on arrival. */
  readonly maxConnections: number;
  /** The kernel's queue of connections not yet accepted (default: maxConnections, capped by somaxconn). */
  readonly listenBacklog: number;
  /** Handshakes one source address may start per second on average, and at once (defaults 10, 20); beyond, -429. */
  readonly handshakesPerSecond: number;
  readonly handshakeBurst: number;
  /** Answers kept per session for requests repeated with the same msg_id (default 128), and their bytes (default 1 MiB). */
  readonly maxStoredAnswers: number;
  readonly maxStoredAnswerBytes: number;
  /** Bytes of stored answers over all sessions (default 64 MiB); the oldest go first. */
  readonly maxStoredAnswerBytesTotal: number;
  /**
   * Bytes all gzip_packed parts of one message may inflate to (default 1 MiB). Inflating runs on the event
   * loop, and its time grows with the output, so this cap bounds the time one message can block it.
   */
  readonly maxInflatedBytes: number;
  /** A session with no message for this long is forgotten (default 30 min), and the least recently used beyond maxSessions. */
  readonly sessionIdleMs: number;
  readonly maxSessions: number;
  /** An auth key with no message for this long is forgotten (default 24 h), and the least recently used beyond maxAuthKeys: it then gets -404. */
  readonly authKeyIdleMs: number;
  readonly maxAuthKeys: number;
}

export const DEFAULT_SERVER_LIMITS: ServerLimits = {
  maxFrame: 2 * 1024 * 1024,
  maxAnonymousFrame: 4096,
  maxBufferedBytes: 64 * 1024 * 1024,
  handshakeTimeoutMs: 10_000,
  idleTimeoutMs: 120_000,
  maxConnections: 4096,
  listenBacklog: 4096,
  handshakesPerSecond: 10,
  handshakeBurst: 20,
  maxStoredAnswers: 128,
  maxStoredAnswerBytes: 1024 * 1024,
  maxStoredAnswerBytesTotal: 64 * 1024 * 1024,
  maxInflatedBytes: 1024 * 1024,
  sessionIdleMs: 30 * 60_000,
  maxSessions: 20_000,
  authKeyIdleMs: 24 * 3600_000,
  maxAuthKeys: 10_000,
};

const MAX_TIMER_MS = 2 ** 31 - 1;

/** The defaults with `overrides` applied; listenBacklog follows maxConnections unless given. Throws on a limit that is not a positive number. */
export function resolveLimits(overrides: Partial<ServerLimits> = {}): ServerLimits {
  const limits: ServerLimits = {
    ...DEFAULT_SERVER_LIMITS,
    listenBacklog: overrides.maxConnections ?? DEFAULT_SERVER_LIMITS.listenBacklog,
    ...overrides,
  };
  for (const [name, value] of Object.entries(limits)) {
    if (typeof value !== 'number' || !(value > 0))
      throw new MtwireError('INVALID_ARGUMENT', `server limit ${name} must be a positive number`);
  }
  if (limits.maxAnonymousFrame > limits.maxFrame) throw new MtwireError('INVALID_ARGUMENT', 'maxAnonymousFrame must not exceed maxFrame');
  // setTimeout fires at once for a delay above 2^31 - 1 ms, which would close every connection.
  if (Math.max(limits.handshakeTimeoutMs, limits.idleTimeoutMs) > MAX_TIMER_MS) {
    throw new MtwireError('INVALID_ARGUMENT', `handshakeTimeoutMs and idleTimeoutMs must be at most ${MAX_TIMER_MS}`);
  }
  return limits;
}

/** Open connections and the bytes their codecs hold, over every transport. */
export class ConnectionBudget {
  private connections = 0;
  private buffered = 0;

  constructor(private readonly limits: ServerLimits) {}

  get openConnections(): number {
    return this.connections;
  }

  get bufferedBytes(): number {
    return this.buffered;
  }

  /** Counts a new connection; false (and nothing counted) when the server is full. */
  admit(): boolean {
    if (this.connections >= this.limits.maxConnections) return false;
    this.connections++;
    return true;
  }

  release(): void {
    this.connections--;
  }

  /** Records that one connection now holds `delta` bytes more (or fewer); false when the total is over budget. */
  buffer(delta: number): boolean {
    this.buffered += delta;
    return this.buffered <= this.limits.maxBufferedBytes;
  }
}

/**
 * A token bucket per source address for handshakes, whose RSA and DH work is the most a peer can make the
 * server spend. Buckets that have refilled hold nothing worth keeping and are dropped in sweeps, so the
 * table stays as small as the set of recently active sources.
 */
export class HandshakeRateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly limits: ServerLimits,
    private readonly now: () => number,
  ) {}

  /** Takes one handshake from `source`'s bucket; false when it is empty. */
  take(source: string): boolean {
    const now = this.now();
    const bucket = this.buckets.get(source) ?? { tokens: this.limits.handshakeBurst, at: now };
    bucket.tokens = this.refilled(bucket, now);
    bucket.at = now;
    this.buckets.set(source, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens--;
    return true;
  }

  /** Drops the buckets that are full again. */
  sweep(): void {
    const now = this.now();
    for (const [source, bucket] of this.buckets) {
      if (this.refilled(bucket, now) >= this.limits.handshakeBurst) this.buckets.delete(source);
    }
  }

  private refilled(bucket: { tokens: number; at: number }, now: number): number {
    const gained = ((now - bucket.at) / 1000) * this.limits.handshakesPerSecond;
    return Math.min(this.limits.handshakeBurst, bucket.tokens + gained);
  }
}
