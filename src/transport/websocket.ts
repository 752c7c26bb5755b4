/** The `ws` adapter: clients on Node 20 (which has no standard WebSocket) and the test server. */
import type { IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import type { RawData } from 'ws';
import { ConnectionEvents } from './connection.js';
import type { Connection, Listener } from './connection.js';
import { DEFAULT_MAX_FRAME } from './framing.js';
import { DEFAULT_CONNECT_TIMEOUT_MS, HIGH_WATER_MARK, SUBPROTOCOL, closeError, type WebSocketConnectOptions } from './websocket-common.js';

export type { WebSocketConnectOptions } from './websocket-common.js';

/** One message may carry a whole frame plus the next ones' beginnings; beyond that, refuse it. */
const MAX_MESSAGE = 2 * DEFAULT_MAX_FRAME;

class WebSocketConnection extends ConnectionEvents implements Connection {
  readonly transport = 'websocket';
  private blocked = false;
  /** Bytes read from the TCP socket that no delivered message has accounted for yet (server side only). */
  private held = 0;
  private lastChunkLength = 0;
  private heldHandler: ((bytes: number) => void) | undefined;

  constructor(
    private readonly socket: WebSocket,
    readonly remoteAddress: string | undefined,
  ) {
    super();
    let failure: Error | undefined;
    socket.binaryType = 'nodebuffer';
    socket.on('message', (data: RawData) => {
      const bytes = toBytes(data);
      // The message's own frame leaves the count. Fragments and control frames are not subtracted, so the
      // count can only be too high; what ws still holds is at most the rest of the chunk that completed the
      // message, which caps that drift.
      this.setHeld(Math.max(0, Math.min(this.held - maskedFrameLength(bytes.length), this.lastChunkLength)));
      this.emitData(bytes);
    });
    socket.on('error', (error) => (failure = error));
    socket.on('close', (code, reason) => this.emitClose(failure ?? closeError(code, reason.toString())));
  }

  onHeldBytes(handler: (bytes: number) => void): void {
    this.heldHandler = handler;
  }

  /**
   * Counts what ws reads from `raw` before it can deliver a message. Listening ahead of ws (prepend) means a
   * chunk is counted before the message it completes is emitted, which the server's synchronous events
   * guarantee happens inside ws's own data listener. Frame headers and control frames count too: an upper bound.
   */
  watchReceivedBytes(raw: Socket): void {
    raw.prependListener('data', (chunk: Buffer) => {
      this.lastChunkLength = chunk.length;
      this.setHeld(this.held + chunk.length);
    });
  }

  private setHeld(bytes: number): void {
    if (bytes === this.held) return;
    this.held = bytes;
    this.heldHandler?.(bytes);
  }

  get writable(): boolean {
    return !this.blocked && this.socket.readyState === WebSocket.OPEN;
  }

  send(bytes: Uint8Array): void {
    if (this.socket.readyState !== WebSocket.OPEN) return;
    this.socket.send(bytes, { binary: true }, () => {
      if (this.blocked && this.socket.bufferedAmount < HIGH_WATER_MARK) {
        this.blocked = false;
        this.emitDrain();
      }
    });
    if (this.socket.bufferedAmount >= HIGH_WATER_MARK) this.blocked = true;
  }

  close(): void {
    this.socket.close(1000);
  }

  protected destroy(): void {
    this.socket.terminate();
  }
}

/** A client's frame carrying `payload` bytes whole: 2 header bytes, the extended length, the 4-byte mask (RFC 6455 §5.2). */
function maskedFrameLength(payload: number): number {
  const extendedLength = payload < 126 ? 0 : payload < 65536 ? 2 : 8;
  return 2 + extendedLength + 4 + payload;
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

export function connectWebSocket(options: WebSocketConnectOptions): Promise<Connection> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(options.url, SUBPROTOCOL, {
      handshakeTimeout: options.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      perMessageDeflate: false, // encrypted bytes do not compress
      maxPayload: MAX_MESSAGE,
    });
    socket.once('error', reject);
    socket.once('open', () => {
      socket.off('error', reject);
      resolve(new WebSocketConnection(socket, undefined)); // ws hides the client's TCP socket
    });
  });
}

export interface WebSocketListenOptions {
  host?: string;
  port?: number;
  /** Default /apiws. */
  path?: string;
  /** As TcpListenOptions.backlog. */
  backlog?: number;
  /** Largest WebSocket message, which ws buffers whole before delivering it (default twice the default frame cap). */
  maxMessage?: number;
}

export function listenWebSocket(options: WebSocketListenOptions, onConnection: (connection: Connection) => void): Promise<Listener> {
  const server = new WebSocketServer({
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    path: options.path ?? '/apiws',
    backlog: options.backlog ?? 511,
    perMessageDeflate: false,
    maxPayload: options.maxMessage ?? MAX_MESSAGE,
    allowSynchronousEvents: true, // WebSocketConnection.watchReceivedBytes relies on it

    // ws would accept a handshake without the subprotocol; the spec requires it, so refuse it here.
    verifyClient: ({ req }: { req: IncomingMessage }) => offeredProtocols(req.headers['sec-websocket-protocol']).includes(SUBPROTOCOL),
    handleProtocols: (protocols) => (protocols.has(SUBPROTOCOL) ? SUBPROTOCOL : false),
  });
  server.on('connection', (socket, request) => {
    const connection = new WebSocketConnection(socket, request.socket.remoteAddress);
    connection.watchReceivedBytes(request.socket);
    onConnection(connection);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.once('listening', () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      resolve({
        host: address.address,
        port: address.port,
        close: () =>
          new Promise<void>((done) => {
            for (const client of server.clients) client.terminate();
            server.close(() => done());
          }),
      });
    });
  });
}

function offeredProtocols(header: string | undefined): string[] {
  return header === undefined ? [] : header.split(',').map((protocol) => protocol.trim());
}
