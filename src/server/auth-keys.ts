/**
 * The auth keys a test server created and their sessions. Keys live as long as the server, so a client
 * that saved its key reconnects without a new handshake; a session outlives its connections, and what it
 * has to send waits until a connection of that session comes back.
 */
import type { CryptoProvider, RandomSource } from '../crypto/provider.js';
import type { ServerAuthKeyResult } from '../mtproto/auth-key-server.js';
import type { Compression } from '../mtproto/compression.js';
import { ServerSalts } from '../mtproto/server-salts.js';
import { ApiServerSession } from './api-session.js';

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

export class ServerAuthKey {
  readonly sessions = new Map<bigint, SessionSlot>();
  /** The user this key signed in as. */
  userId: bigint | undefined;

  constructor(
    readonly authKey: Uint8Array,
    readonly authKeyId: Uint8Array,
    readonly salts: ServerSalts,
  ) {}

  get idHex(): string {
    return hex(this.authKeyId);
  }
}

export interface AuthKeyRegistryOptions {
  crypto: CryptoProvider;
  now: () => number;
  random: RandomSource;
  compression: Compression;
}

export class AuthKeyRegistry {
  private readonly keys = new Map<string, ServerAuthKey>();

  constructor(private readonly options: AuthKeyRegistryOptions) {}

  /** Stores a key the handshake just created. */
  add(result: ServerAuthKeyResult): ServerAuthKey {
    const salts = new ServerSalts(result.serverSalt, this.options.now() / 1000, this.options.random);
    const key = new ServerAuthKey(result.authKey, result.authKeyId, salts);
    this.keys.set(key.idHex, key);
    return key;
  }

  get(authKeyId: Uint8Array): ServerAuthKey | undefined {
    return this.keys.get(hex(authKeyId));
  }

  all(): ServerAuthKey[] {
    return [...this.keys.values()];
  }

  /** The session with this id, created on its first message. */
  session(key: ServerAuthKey, sessionId: bigint): SessionSlot {
    let slot = key.sessions.get(sessionId);
    if (!slot) {
      const session = new ApiServerSession({
        crypto: this.options.crypto,
        now: this.options.now,
        random: this.options.random,
        compression: this.options.compression,
        authKey: key.authKey,
        sessionId,
        salts: key.salts,
        destroySession: (other) => key.sessions.delete(other),
      });
      slot = { session, connection: undefined, lastActive: this.options.now() };
      key.sessions.set(sessionId, slot);
    }
    return slot;
  }
}

/** Sends what the session has queued, if its connection is still there; otherwise it keeps it queued. */
export function deliver(slot: SessionSlot): void {
  const connection = slot.connection;
  if (!connection?.open) return;
  for (const frame of slot.session.flush()) connection.sendFrame(frame);
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
