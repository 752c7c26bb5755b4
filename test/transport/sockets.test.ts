import { WebSocket, WebSocketServer } from 'ws';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { nodeCrypto } from '../../src/crypto/node.js';
import { createClientCodec, createServerCodec } from '../../src/transport/codec.js';
import type { Connection, Listener } from '../../src/transport/connection.js';
import { TransportError } from '../../src/transport/errors.js';
import type { Framing, TransportEvent } from '../../src/transport/framing.js';
import { connectTcp, listenTcp } from '../../src/transport/tcp.js';
import type { WebSocketConnectOptions } from '../../src/transport/websocket-common.js';
import { connectStandardWebSocket } from '../../src/transport/websocket-standard.js';
import { connectWebSocket, listenWebSocket } from '../../src/transport/websocket.js';
import { MODES, carriedLength, digest, modeName, payloadsOf } from './helpers.js';

const listeners: Listener[] = [];
afterEach(async () => {
  await Promise.all(listeners.splice(0).map((listener) => listener.close()));
});

/**
 * An echo server: every frame goes back, a quick-ack request is answered
 * first with a token derived from the payload, a payload starting ff ff ff ff asks for error -429.
 * Plain framings are told from obfuscated2 by their first bytes, over TCP and WebSocket alike.
 */
function serveEcho(connection: Connection, requireObfuscation = false): void {
  const codec = createServerCodec({ crypto: nodeCrypto, requireObfuscation });
  // A FramingError thrown here closes the connection (ConnectionEvents turns it into onClose).
  connection.onData((bytes) => {
    for (const event of codec.decode(bytes)) {
      if (event.kind !== 'frame') continue;
      if (event.quickAck) connection.send(codec.encodeQuickAck(tokenOf(event.payload)));
      const wantsError = event.payload.length >= 4 && event.payload.every((byte, i) => i >= 4 || byte === 0xff);
      connection.send(wantsError ? codec.encodeError(429) : codec.encode(event.payload));
    }
  });
}

const tokenOf = (payload: Uint8Array): number => (0x80000000 | Buffer.from(payload.subarray(0, 4)).readUInt32LE(0)) >>> 0;

/** Collects a client's events until `count` of them arrived. */
function collect(connection: Connection, decode: (bytes: Uint8Array) => TransportEvent[], count: number): Promise<TransportEvent[]> {
  const events: TransportEvent[] = [];
  return new Promise((resolve, reject) => {
    connection.onData((bytes) => {
      events.push(...decode(bytes));
      if (events.length >= count) resolve(events);
    });
    connection.onClose((error) => reject(error ?? new Error(`closed after ${events.length} events`)));
  });
}

const SIZES = [24, 504, 508, 70000, 1024];
const payloadsFor = (framing: Framing): Uint8Array[] =>
  SIZES.map((size, n) => Uint8Array.from({ length: carriedLength(framing, size) }, (_, i) => (i * 7 + n) & 0xff));

async function echoRoundTrip(connection: Connection, framing: Framing, obfuscated: boolean): Promise<void> {
  const payloads = payloadsFor(framing);
  const client = createClientCodec({ framing, obfuscation: obfuscated ? { dcId: 2 } : undefined, crypto: nodeCrypto });
  const ackable = framing !== 'full';
  const expectedCount = payloads.length + (ackable ? 1 : 0);
  const received = collect(connection, (bytes) => client.decode(bytes), expectedCount);
  connection.send(client.start());
  payloads.forEach((payload, i) => connection.send(client.encode(payload, { quickAck: ackable && i === 3 })));
  const events = await received;
  const frames = events.filter((event) => event.kind === 'frame');
  expect(digest(payloadsOf(frames))).toEqual(digest(payloads));
  if (ackable) expect(events.filter((event) => event.kind === 'quickAck')).toEqual([{ kind: 'quickAck', token: tokenOf(payloads[3]!) }]);
  connection.close();
}

describe('TCP loopback', () => {
  it.each(MODES.map((mode) => [modeName(mode), mode] as const))('echo over %s', async (_name, { framing, obfuscated }) => {
    const listener = await listenTcp({}, serveEcho);
    listeners.push(listener);
    await echoRoundTrip(await connectTcp({ host: listener.host, port: listener.port }), framing, obfuscated);
  });

  it('transport error frame from the server, then a clean close reported once', async () => {
    const listener = await listenTcp({}, serveEcho);
    listeners.push(listener);
    const connection = await connectTcp({ host: '127.0.0.1', port: listener.port });
    const client = createClientCodec({ framing: 'intermediate', crypto: nodeCrypto });
    const received = collect(connection, (bytes) => client.decode(bytes), 1);
    connection.send(client.start());
    connection.send(client.encode(new Uint8Array(24).fill(0xff)));
    const [event] = await received;
    expect(event).toEqual({ kind: 'error', code: 429 });
    const closes: Array<Error | undefined> = [];
    const closed = new Promise<void>((resolve) =>
      connection.onClose((error) => {
        closes.push(error);
        resolve();
      }),
    );
    connection.close();
    connection.close();
    await closed;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(closes).toEqual([undefined]);
    connection.send(new Uint8Array(4)); // a no-op after close
  });

  it('backpressure: writable drops under a large write and comes back on drain', async () => {
    let sink: Connection | undefined;
    let received = 0;
    const listener = await listenTcp({}, (connection) => {
      sink = connection;
      connection.onData((bytes) => (received += bytes.length));
    });
    listeners.push(listener);
    const connection = await connectTcp({ host: '127.0.0.1', port: listener.port });
    const drained = new Promise<void>((resolve) => connection.onDrain(resolve));
    connection.send(new Uint8Array(8 * 1024 * 1024));
    expect(connection.writable).toBe(false);
    await drained;
    expect(connection.writable).toBe(true);
    expect(sink).toBeDefined();
    connection.close();
  });

  it('a data handler that throws closes the connection with its error, once', async () => {
    const serverCloses: Array<Error | undefined> = [];
    let serverClosed!: () => void;
    const done = new Promise<void>((resolve) => (serverClosed = resolve));
    const listener = await listenTcp({}, (connection) => {
      const codec = createServerCodec({ crypto: nodeCrypto });
      connection.onData((bytes) => codec.decode(bytes));
      connection.onClose((error) => {
        serverCloses.push(error);
        serverClosed();
      });
    });
    listeners.push(listener);
    const connection = await connectTcp({ host: '127.0.0.1', port: listener.port });
    const clientClosed = new Promise<Error | undefined>((resolve) => connection.onClose(resolve));
    connection.send(new TextEncoder().encode('GET / HTTP/1.1\r\n\r\n'));
    await Promise.all([done, clientClosed]);
    expect(serverCloses).toHaveLength(1);
    expect(serverCloses[0]).toMatchObject({ code: 'TRANSPORT_UNSUPPORTED' });
  });

  it('connection refused rejects', async () => {
    const listener = await listenTcp({}, () => undefined);
    const port = listener.port;
    await listener.close();
    await expect(connectTcp({ host: '127.0.0.1', port })).rejects.toThrow();
  });
});

const url = (listener: Listener, path = '/apiws') => `ws://127.0.0.1:${listener.port}${path}`;

/** The standard-API adapter, given ws's class (Node 20 has no global WebSocket; browsers run it in test/browser). */
const connectStandard = (options: WebSocketConnectOptions): Promise<Connection> => connectStandardWebSocket({ ...options, WebSocket });

describe.each([
  ['ws', connectWebSocket],
  ['standard API', connectStandard],
])('WebSocket loopback, %s client adapter', (_name, connectWebSocket) => {
  it.each(MODES.map((mode) => [modeName(mode), mode] as const))('echo over %s', async (_name, { framing, obfuscated }) => {
    const listener = await listenWebSocket({}, serveEcho);
    listeners.push(listener);
    await echoRoundTrip(await connectWebSocket({ url: url(listener) }), framing, obfuscated);
  });

  it('message boundaries carry no meaning: one frame split over many messages', async () => {
    const listener = await listenWebSocket({}, serveEcho);
    listeners.push(listener);
    const connection = await connectWebSocket({ url: url(listener) });
    const client = createClientCodec({ framing: 'abridged', obfuscation: { dcId: 1 }, crypto: nodeCrypto });
    const received = collect(connection, (bytes) => client.decode(bytes), 1);
    const payload = payloadsFor('abridged')[2]!;
    const wire = new Uint8Array([...client.start(), ...client.encode(payload)]);
    for (let i = 0; i < wire.length; i += 5) connection.send(wire.subarray(i, i + 5));
    expect(digest(payloadsOf(await received))).toEqual(digest([payload]));
    connection.close();
  });

  it('plain framing over WebSocket is refused by a codec that requires obfuscation (as Telegram does)', async () => {
    const listener = await listenWebSocket({}, (connection) => serveEcho(connection, true));
    listeners.push(listener);
    const connection = await connectWebSocket({ url: url(listener) });
    const closed = new Promise<Error | undefined>((resolve) => connection.onClose(resolve));
    connection.send(Uint8Array.of(0xef, 0x01, 1, 2, 3, 4));
    // The server's codec threw OBFUSCATION_REQUIRED; its connection was torn down (no close frame).
    expect(await closed).toMatchObject({ code: 'WEBSOCKET_CLOSED' });
  });

  it('a close reason holding an error code surfaces as TransportError', async () => {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: () => 'binary' });
    server.on('connection', (socket) => socket.close(1000, '404'));
    await new Promise((resolve) => server.once('listening', resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      const connection = await connectWebSocket({ url: `ws://127.0.0.1:${port}/apiws` });
      const error = await new Promise<Error | undefined>((resolve) => connection.onClose(resolve));
      expect(error).toBeInstanceOf(TransportError);
      expect((error as TransportError).transportCode).toBe(404);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('WebSocket server and standard-API client rules', () => {
  it('the server refuses a handshake without the binary subprotocol, or on another path', async () => {
    const listener = await listenWebSocket({}, serveEcho);
    listeners.push(listener);
    const status = (socket: WebSocket) =>
      new Promise<number>((resolve) => socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0)));
    expect(await status(new WebSocket(url(listener)))).toBeGreaterThanOrEqual(400);
    expect(await status(new WebSocket(url(listener), 'chat'))).toBeGreaterThanOrEqual(400);
    expect(await status(new WebSocket(url(listener, '/other'), 'binary'))).toBeGreaterThanOrEqual(400);
  });

  it('a server that does not agree to the binary subprotocol is refused by the standard-API adapter', async () => {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: () => false });
    await new Promise((resolve) => server.once('listening', resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      await expect(connectStandard({ url: `ws://127.0.0.1:${port}/apiws` })).rejects.toMatchObject({
        code: expect.stringMatching(/^WEBSOCKET_/),
      });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('a text message closes a standard-API connection with WEBSOCKET_MESSAGE', async () => {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: () => 'binary' });
    server.on('connection', (socket) => socket.send('not bytes'));
    await new Promise((resolve) => server.once('listening', resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      const connection = await connectStandard({ url: `ws://127.0.0.1:${port}/apiws` });
      const error = await new Promise<Error | undefined>((resolve) => connection.onClose(resolve));
      expect(error).toMatchObject({ code: 'WEBSOCKET_MESSAGE', message: 'WebSocket delivered a string message, expected binary data' });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('without a WebSocket class the standard-API adapter rejects with HOST_UNSUPPORTED', async () => {
    vi.stubGlobal('WebSocket', undefined);
    try {
      await expect(connectStandardWebSocket({ url: 'ws://127.0.0.1:1/apiws' })).rejects.toMatchObject({ code: 'HOST_UNSUPPORTED' });
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('standard-API backpressure: writable drops under a large write and drain follows', async () => {
    const listener = await listenWebSocket({}, () => {});
    listeners.push(listener);
    const connection = await connectStandard({ url: url(listener) });
    const drained = new Promise<void>((resolve) => connection.onDrain(resolve));
    connection.send(new Uint8Array(4 * 1024 * 1024));
    expect(connection.writable).toBe(false);
    await drained;
    expect(connection.writable).toBe(true);
    connection.close();
  });
});
