/**
 * A WebSocket client adapter on the standard WebSocket API (browsers, Node ≥ 22, Deno, Bun): no `ws`, no
 * node: module. The standard API has no write callback, so backpressure is read from `bufferedAmount`.
 */
import { MtwireError } from '../base/errors.js';
import { ConnectionEvents } from './connection.js';
import type { Connection } from './connection.js';
import { DEFAULT_CONNECT_TIMEOUT_MS, HIGH_WATER_MARK, SUBPROTOCOL, closeError, type WebSocketConnectOptions } from './websocket-common.js';

/** The part of the standard WebSocket interface this adapter uses (so that `ws`'s class fits it in tests). */
export interface StandardWebSocket {
  binaryType: string;
  readonly readyState: number;
  readonly bufferedAmount: number;
  readonly protocol: string;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open' | 'error', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'close', listener: (event: { code: number; reason: string }) => void): void;
}

export type StandardWebSocketConstructor = new (url: string, protocols: string) => StandardWebSocket;

export interface StandardWebSocketConnectOptions extends WebSocketConnectOptions {
  /** The WebSocket class (default globalThis.WebSocket). */
  WebSocket?: StandardWebSocketConstructor;
}

/** The standard readyState of an open socket. */
const OPEN = 1;
/** How often a blocked connection looks at bufferedAmount again to report drain. */
const DRAIN_POLL_MS = 10;

/** The host's standard WebSocket class, if it has one. */
export function globalWebSocket(): StandardWebSocketConstructor | undefined {
  return (globalThis as { WebSocket?: StandardWebSocketConstructor }).WebSocket;
}

class StandardWebSocketConnection extends ConnectionEvents implements Connection {
  readonly transport = 'websocket';
  readonly remoteAddress = undefined; // the standard API does not expose the peer's address
  private drainTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly socket: StandardWebSocket) {
    super();
    socket.addEventListener('message', (event) => {
      if (event.data instanceof ArrayBuffer) this.emitData(new Uint8Array(event.data));
      else {
        // MTProto is bytes only: a text message means the peer is not speaking it.
        this.emitClose(new MtwireError('WEBSOCKET_MESSAGE', `WebSocket delivered a ${typeof event.data} message, expected binary data`));
        this.destroy();
      }
    });
    socket.addEventListener('close', (event) => {
      clearTimeout(this.drainTimer);
      this.emitClose(closeError(event.code, event.reason));
    });
  }

  get writable(): boolean {
    return this.socket.readyState === OPEN && this.socket.bufferedAmount < HIGH_WATER_MARK;
  }

  send(bytes: Uint8Array): void {
    if (this.socket.readyState !== OPEN) return;
    this.socket.send(bytes);
    if (this.socket.bufferedAmount >= HIGH_WATER_MARK && this.drainTimer === undefined) this.watchDrain();
  }

  close(): void {
    this.socket.close(1000);
  }

  protected destroy(): void {
    // The standard API has no way to drop queued bytes: closing is the nearest thing.
    this.socket.close();
  }

  private watchDrain(): void {
    this.drainTimer = setTimeout(() => {
      this.drainTimer = undefined;
      if (this.socket.readyState !== OPEN) return;
      if (this.socket.bufferedAmount < HIGH_WATER_MARK) this.emitDrain();
      else this.watchDrain();
    }, DRAIN_POLL_MS);
  }
}

export function connectStandardWebSocket(options: StandardWebSocketConnectOptions): Promise<Connection> {
  const WebSocketClass = options.WebSocket ?? globalWebSocket();
  if (WebSocketClass === undefined) {
    return Promise.reject(new MtwireError('HOST_UNSUPPORTED', 'connectStandardWebSocket: this host has no global WebSocket'));
  }
  return new Promise((resolve, reject) => {
    const socket = new WebSocketClass(options.url, SUBPROTOCOL);
    socket.binaryType = 'arraybuffer';
    let settled = false;
    const settle = (error?: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error === undefined) resolve(new StandardWebSocketConnection(socket));
      else reject(error);
    };
    const timer = setTimeout(() => {
      settle(new MtwireError('CONNECT_TIMEOUT', `no WebSocket connection to ${options.url}`));
      socket.close();
    }, options.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS);
    // The standard error event carries no detail; the close event that follows it has the code. Listening
    // anyway keeps an EventEmitter-based class (ws) from throwing an unhandled 'error'.
    socket.addEventListener('error', () => {});
    socket.addEventListener('close', (event) =>
      settle(new MtwireError('WEBSOCKET_CLOSED', `WebSocket to ${options.url} closed before opening (code ${event.code})`)),
    );
    socket.addEventListener('open', () => {
      if (socket.protocol === SUBPROTOCOL) settle();
      else {
        settle(
          new MtwireError('WEBSOCKET_PROTOCOL', `WebSocket server at ${options.url} did not agree to the "${SUBPROTOCOL}" subprotocol`),
        );
        socket.close();
      }
    });
  });
}
