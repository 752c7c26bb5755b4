/**
 * The auth keys a test server created and their sessions. A key outlives its connections, so a client
 * that saved its key reconnects without a new handshake; a session outlives its connections, and what it
 * has to send waits until a connection of that session comes back. Neither lives for ever: a session or
 * key idle past its limit, or the least recently used beyond its cap, is forgotten (sweep), and a client
 * that comes back with a forgotten key gets -404 and makes a new one.
 */
import type { CryptoProvider, RandomSource } from '../crypto/provider.js';
import type { ServerAuthKeyResult } from '../mtproto/auth-key-server.js';
import type { Compression } from '../mtproto/compression.js';
import { ServerSalts } from '../mtproto/server-salts.js';
import { StoredAnswerBudget } from '../mtproto/stored-answers.js';
import { ApiServerSession, type ClientLayer } from './api-session.js';
import type { ServerLimits } from './limits.js';

/** Where a session's frames go: the connection its client used last. */
export interface FrameSink {
  readonly open: boolean;
  sendFrame(frame: Uint8Array): void;
}

export interface SessionSlot {
  readonly session: ApiServerSession;
  connection: FrameSink | undefined;
  /** Server clock (ms) of the last message received on this session. */
  lastActive: number;
}

export class ServerAuthKey implements ClientLayer {
  readonly sessions = new Map<bigint, SessionSlot>();
  /** The layer its client declared last (invokeWithLayer): answers and updates on every session are written in it. */
  layer: number | undefined;
  private ownUser: bigint | undefined;
  /** Temporary keys only: the server-clock unixtime it stops working (made shorter by a binding's expires_at). */
  expiresAt: number | undefined;
  /** Temporary keys only: the permanent key auth.bindTempAuthKey bound it to, whose user it shares. */
  permanent: ServerAuthKey | undefined;
  /** Passed the phone code, owes the cloud password (auth.checkPassword). */
  passwordPendingFor: bigint | undefined;
  /** Server clock (ms) of the last message received under this key. */
  lastActive: number;

  constructor(
    readonly authKey: Uint8Array,
    readonly authKeyId: Uint8Array,
    readonly salts: ServerSalts,
    now: number,
  ) {
    this.lastActive = now;
  }

  get idHex(): string {
    return hex(this.authKeyId);
  }

  /** The user this key (or the permanent key it is bound to) signed in as. */
  get userId(): bigint | undefined {
    return this.permanent ? this.permanent.userId : this.ownUser;
  }

  set userId(userId: bigint | undefined) {
    if (this.permanent) this.permanent.userId = userId;
    else this.ownUser = userId;
  }
}

export interface AuthKeyRegistryOptions {
  crypto: CryptoProvider;
  now: () => number;
  random: RandomSource;
  compression: Compression;
  limits: ServerLimits;
}

export class AuthKeyRegistry {
  /** By auth_key_id in hex, least recently active first (a Map keeps insertion order; `touch` re-inserts). */
  private readonly keys = new Map<string, ServerAuthKey>();
  /** Every session of every key with its key, least recently active first. */
  private readonly sessions = new Map<SessionSlot, ServerAuthKey>();
  private readonly answerBudget: StoredAnswerBudget;

  constructor(private readonly options: AuthKeyRegistryOptions) {
    this.answerBudget = new StoredAnswerBudget(options.limits.maxStoredAnswerBytesTotal);
  }

  /** Sessions held over all keys. */
  get sessionCount(): number {
    return this.sessions.size;
  }

  /** Bytes of stored answers over all sessions. */
  get storedAnswerBytes(): number {
    return this.answerBudget.totalBytes;
  }

  /** Stores a key the handshake just created. */
  add(result: ServerAuthKeyResult): ServerAuthKey {
    const now = this.options.now();
    const salts = new ServerSalts(result.serverSalt, now / 1000, this.options.random);
    const key = new ServerAuthKey(result.authKey, result.authKeyId, salts, now);
    if (result.expiresIn !== undefined) key.expiresAt = Math.floor(now / 1000) + result.expiresIn;
    this.keys.set(key.idHex, key);
    for (const oldest of this.keys.values()) {
      if (this.keys.size <= this.options.limits.maxAuthKeys) break;
      this.dropKey(oldest);
    }
    return key;
  }

  /** The key with this id; a temporary key past its expiry is forgotten here, so its client gets -404. */
  get(authKeyId: Uint8Array): ServerAuthKey | undefined {
    const key = this.keys.get(hex(authKeyId));
    if (key?.expiresAt !== undefined && key.expiresAt <= this.options.now() / 1000) {
      this.dropKey(key);
      return undefined;
    }
    return key;
  }

  all(): ServerAuthKey[] {
    return [...this.keys.values()];
  }

  /** The session with this id, created on its first message; a message just arrived on it. */
  session(key: ServerAuthKey, sessionId: bigint): SessionSlot {
    const now = this.options.now();
    let slot = key.sessions.get(sessionId);
    if (!slot) {
      const { crypto, random, compression, limits } = this.options;
      const session = new ApiServerSession({
        crypto,
        now: this.options.now,
        random,
        compression,
        authKey: key.authKey,
        sessionId,
        salts: key.salts,
        maxInflatedBytes: limits.maxInflatedBytes,
        storedAnswers: { maxCount: limits.maxStoredAnswers, maxBytes: limits.maxStoredAnswerBytes, budget: this.answerBudget },
        client: key,
        destroySession: (other) => {
          const existing = key.sessions.get(other);
          if (existing) this.dropSession(existing, key);
          return existing !== undefined;
        },
      });
      slot = { session, connection: undefined, lastActive: now };
      key.sessions.set(sessionId, slot);
    }
    slot.lastActive = key.lastActive = now;
    touch(this.keys, key.idHex, key);
    touch(this.sessions, slot, key);
    for (const [oldest, owner] of this.sessions) {
      if (this.sessions.size <= this.options.limits.maxSessions) break;
      this.dropSession(oldest, owner);
    }
    return slot;
  }

  /** Forgets the sessions and keys idle past their limits; the maps are in activity order, so it stops at the first active one. */
  sweep(): void {
    const now = this.options.now();
    const { sessionIdleMs, authKeyIdleMs } = this.options.limits;
    for (const [slot, key] of this.sessions) {
      if (now - slot.lastActive <= sessionIdleMs) break;
      this.dropSession(slot, key);
    }
    for (const key of this.keys.values()) {
      if (now - key.lastActive <= authKeyIdleMs) break;
      this.dropKey(key);
    }
  }

  private dropSession(slot: SessionSlot, key: ServerAuthKey): void {
    key.sessions.delete(slot.session.sessionId);
    this.sessions.delete(slot);
    slot.session.close();
  }

  private dropKey(key: ServerAuthKey): void {
    for (const slot of [...key.sessions.values()]) this.dropSession(slot, key);
    this.keys.delete(key.idHex);
  }
}

/** Sends what the session has queued, if its connection is still there; otherwise it keeps it queued. */
export function deliver(slot: SessionSlot): void {
  const connection = slot.connection;
  if (!connection?.open) return;
  for (const frame of slot.session.flush()) connection.sendFrame(frame);
}

/** Moves `key` to the end of `map`'s order: the most recently active. */
function touch<K, V>(map: Map<K, V>, key: K, value: V): void {
  map.delete(key);
  map.set(key, value);
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
