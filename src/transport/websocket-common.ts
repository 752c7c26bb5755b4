/**
 * What both WebSocket adapters share: the `ws`-based one (./websocket.ts: Node 20 clients and the server)
 * and the one on the standard WebSocket API (./websocket-standard.ts: browsers, Node ≥ 22, Deno, Bun).
 *
 * MTProto over WebSocket (spec §2): path /apiws (/apiws_test for test DCs), subprotocol "binary",
 * obfuscation mandatory on Telegram's servers (the codec's job; mtwire's test server takes plain framings
 * too). Message boundaries mean nothing: each message is just the next piece of one byte stream.
 */
import { MtwireError } from '../base/errors.js';
import { TransportError } from './errors.js';

export const SUBPROTOCOL = 'binary';
/** Above this many unsent bytes the connection reports itself not writable. */
export const HIGH_WATER_MARK = 1024 * 1024;

export interface WebSocketConnectOptions {
  /** e.g. wss://venus.web.telegram.org/apiws */
  url: string;
  /** Give up on the HTTP upgrade after this long (default 15 s). */
  timeoutMs?: number;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 15_000;

/**
 * Telegram closes with code 1000 and the transport error as the reason ("404", possibly padded);
 * any other abnormal close is reported as a plain error.
 */
export function closeError(code: number, reason: string): Error | undefined {
  const transportCode = /^\s*-?(\d{3})\s*$/.exec(reason);
  if (transportCode !== null) return new TransportError(Number(transportCode[1]));
  if (code === 1000 || code === 1005) return undefined;
  return new MtwireError('WEBSOCKET_CLOSED', `WebSocket closed with code ${code}${reason ? `: ${reason}` : ''}`);
}
