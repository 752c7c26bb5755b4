/** What MtprotoClient takes and reports: its options, states and logger. */
import type { CryptoProvider } from '../crypto/provider.js';
import type { RsaPublicKey } from '../crypto/rsa.js';
import type { Compression } from '../mtproto/compression.js';
import type { LinkOptions } from './link.js';
import type { SavedSession } from './saved-session.js';

export type ClientState = 'disconnected' | 'connecting' | 'handshake' | 'ready' | 'reconnecting' | 'closed';
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type Logger = (level: LogLevel, message: string, data?: Record<string, unknown>) => void;

export interface ClientOptions extends Omit<LinkOptions, 'crypto'> {
  apiId: number;
  /** Default defaultCrypto(): node:crypto where present, else the portable provider. */
  crypto?: CryptoProvider;
  /** gzip for gzip_packed; default defaultCompression(): Node's zlib, or fflate where node:zlib is missing. */
  compression?: Compression;
  /** Requests over this many bytes may go as gzip_packed, if a sample looks compressible (default 1024; Infinity: never). */
  gzipAbove?: number;
  /** Keys the server's fingerprints may name (default: Telegram's). */
  publicKeys?: readonly RsaPublicKey[];
  session?: SavedSession;
  /** Default: the layer the API was generated for. */
  layer?: number;
  deviceModel?: string;
  systemVersion?: string;
  appVersion?: string;
  langCode?: string;
  logger?: Logger;
  /** Local clock in unix ms (default Date.now). */
  now?: () => number;
  /** Keepalive ping period (default 60 s; 0 turns pings off). */
  pingIntervalMs?: number;
  /** Reconnect backoff: first delay and cap (default 250 ms and 10 s, doubling). */
  reconnectDelayMs?: { initial: number; max: number };
  /** Reject a request that has no answer after this long (default: never). */
  requestTimeoutMs?: number;
  /** How long received messages may wait for their ack (default 500 ms; 16 pending acks go at once). */
  ackDelayMs?: number;
  /**
   * Updates an `updates` iterator holds while its consumer is busy (default 10,000); past that they are
   * replaced by one `updatesTooLong`, as Telegram does: catch up with updates.getDifference.
   */
  maxBufferedUpdates?: number;
}
