/**
 * client/link.ts against a real local socket: a TCP or WebSocket listener with a server codec on the
 * other end, which records what the link sent and answers as a test tells it to.
 */
import { WebSocket } from 'ws';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Link, type LinkHandlers, type LinkOptions } from '../../src/client/link.js';
import { nodeCrypto } from '../../src/crypto/node.js';
import { createServerCodec, type ServerCodec } from '../../src/transport/codec.js';
import type { Connection, Listener } from '../../src/transport/connection.js';
import { FramingError, TransportError } from '../../src/transport/errors.js';
import { listenTcp } from '../../src/transport/tcp.js';
import { listenWebSocket } from '../../src/transport/websocket.js';

const SECRET = '0123456789abcdef0123456789abcdef';

/** The server end of one connection: what arrived (frame payloads) and a way to answer. */
interface Peer {
  readonly codec: ServerCodec;
  readonly connection: Connection;
  readonly frames: Uint8Array[];
  readonly closed: Promise<void>;
}

const listeners: Listener[] = [];
const links: Link[] = [];
afterEach(async () => {
  for (const link of links.splice(0)) link.close();
  await Promise.all(listeners.splice(0).map((listener) => listener.close()));
});

/** A listener whose connections resolve `peers` one by one; `onFrame` answers each frame that arrives. */
async function serve(
  kind: 'tcp' | 'websocket',
  options: { secret?: string; onFrame?: (peer: Peer, payload: Uint8Array) => void } = {},
): Promise<{ transport: LinkOptions['transport']; peer: () => Promise<Peer> }> {
  const waiting: ((peer: Peer) => void)[] = [];
  const ready: Peer[] = [];
  const accept = (connection: Connection) => {
    // Like the test server: plain framings are told from obfuscated2 by their first bytes, over either transport.
    const codec = createServerCodec({ crypto: nodeCrypto, secret: options.secret });
    const closed = new Promise<void>((resolve) => connection.onClose(() => resolve()));
    const peer: Peer = { codec, connection, frames: [], closed };
    connection.onData((bytes) => {
      for (const event of codec.decode(bytes)) {
        if (event.kind !== 'frame') continue;
        peer.frames.push(event.payload);
        options.onFrame?.(peer, event.payload);
      }
    });
    const next = waiting.shift();
    if (next) next(peer);
    else ready.push(peer);
  };
  const listener = kind === 'tcp' ? await listenTcp({}, accept) : await listenWebSocket({}, accept);
  listeners.push(listener);
  const transport: LinkOptions['transport'] =
    kind === 'tcp' ? { kind, host: listener.host, port: listener.port } : { kind, url: `ws://127.0.0.1:${listener.port}/apiws` };
  const peer = () => {
    const first = ready.shift();
    return first ? Promise.resolve(first) : new Promise<Peer>((resolve) => waiting.push(resolve));
  };
  return { transport, peer };
}

/** Handlers that record what the link reports. */
function recorder(): { handlers: LinkHandlers; messages: Uint8Array[]; closes: (Error | undefined)[]; closed: Promise<void> } {
  const messages: Uint8Array[] = [];
  const closes: (Error | undefined)[] = [];
  let resolveClosed!: () => void;
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));
  const handlers: LinkHandlers = {
    message: (payload) => messages.push(payload),
    closed(error) {
      closes.push(error);
      resolveClosed();
    },
  };
  return { handlers, messages, closes, closed };
}

async function open(options: Omit<LinkOptions, 'crypto' | 'dcId'> & { dcId?: number }, handlers: LinkHandlers): Promise<Link> {
  const link = await Link.open({ dcId: 2, crypto: nodeCrypto, ...options }, handlers);
  links.push(link);
  return link;
}

/** An encrypted-message-shaped payload (auth_key_id ≠ 0, 24 + 16k bytes), what padded frames may carry. */
const message = (length: number, seed: number): Uint8Array => Uint8Array.from({ length }, (_, i) => (i * 13 + seed + 1) & 0xff);

const until = async (condition: () => boolean): Promise<void> => {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(condition()).toBe(true);
};

describe('Link', () => {
  const modes = [
    { name: 'TCP, intermediate (the default)', kind: 'tcp' as const, options: {}, framing: 'intermediate', obfuscated: false },
    {
      name: 'TCP, abridged, obfuscated',
      kind: 'tcp' as const,
      options: { framing: 'abridged' as const, obfuscated: true },
      framing: 'abridged',
      obfuscated: true,
    },
    { name: 'TCP, padded', kind: 'tcp' as const, options: { framing: 'padded' as const }, framing: 'padded', obfuscated: false },
    {
      name: 'WebSocket, intermediate (obfuscated by default)',
      kind: 'websocket' as const,
      options: {},
      framing: 'intermediate',
      obfuscated: true,
    },
    {
      name: 'WebSocket, intermediate, TCP-only obfuscated: false (WebSocket still obfuscated)',
      kind: 'websocket' as const,
      options: { obfuscated: false },
      framing: 'intermediate',
      obfuscated: true,
    },
    {
      name: 'WebSocket, abridged, transport.obfuscated: false',
      kind: 'websocket' as const,
      options: { framing: 'abridged' as const },
      plainWebSocket: true,
      framing: 'abridged',
      obfuscated: false,
    },
    {
      name: 'WebSocket, padded, transport.obfuscated: false',
      kind: 'websocket' as const,
      options: { framing: 'padded' as const },
      plainWebSocket: true,
      framing: 'padded',
      obfuscated: false,
    },
  ];

  it.each(modes)(
    '$name: sends the framing the options ask for and carries messages both ways',
    async ({ kind, options, plainWebSocket, framing, obfuscated }) => {
      const server = await serve(kind, { onFrame: (peer, payload) => peer.connection.send(peer.codec.encode(payload.slice().reverse())) });
      const { handlers, messages } = recorder();
      const transport = plainWebSocket ? { ...server.transport, obfuscated: false } : server.transport;
      const link = await open({ transport, ...options }, handlers);
      const peer = await server.peer();
      const sent = [message(24, 1), message(1032, 2)];
      for (const payload of sent) link.send(payload);
      await until(() => messages.length === sent.length);
      expect([peer.codec.framing, peer.codec.obfuscated]).toEqual([framing, obfuscated]);
      expect(peer.frames).toEqual(sent);
      expect(messages).toEqual(sent.map((payload) => payload.slice().reverse()));
    },
  );

  it('padded framing: messages reach the handler without the 0..15 random bytes the server appends', async () => {
    const server = await serve('tcp');
    const { handlers, messages } = recorder();
    await open({ transport: server.transport, framing: 'padded' }, handlers);
    const peer = await server.peer();
    await until(() => peer.codec.framing === 'padded'); // the server codec can send once the init bytes arrived
    // An encrypted-message shape (24 + 16k bytes) and a plain one (auth_key_id 0, its length at offset 16).
    const plain = new Uint8Array(20 + 12);
    new DataView(plain.buffer).setUint32(16, 12, true);
    plain.fill(7, 20);
    const sent = Array.from({ length: 8 }, (_, i) => message(24 + 16 * i, i)).concat(plain);
    for (const payload of sent) peer.connection.send(peer.codec.encode(payload));
    await until(() => messages.length === sent.length);
    expect(messages).toEqual(sent);
  });

  it('an MTProxy dd secret: obfuscated with the secret, padded framing whatever was asked', async () => {
    const server = await serve('tcp', { secret: 'dd' + SECRET });
    const { handlers } = recorder();
    const link = await open({ transport: server.transport, framing: 'intermediate', proxySecret: 'dd' + SECRET }, handlers);
    const peer = await server.peer();
    link.send(message(40, 3));
    await until(() => peer.frames.length === 1);
    expect([peer.codec.framing, peer.codec.obfuscated, peer.codec.dcId]).toEqual(['padded', true, 2]);
    expect(peer.frames).toEqual([message(40, 3)]);
  });

  it('a transport error from the server: closed once with TransportError, and the socket goes down', async () => {
    const server = await serve('tcp', { onFrame: (peer) => peer.connection.send(peer.codec.encodeError(404)) });
    const { handlers, messages, closes, closed } = recorder();
    const link = await open({ transport: server.transport }, handlers);
    const peer = await server.peer();
    link.send(message(24, 4));
    await closed;
    await peer.closed;
    link.close();
    expect(messages).toEqual([]);
    expect(closes).toHaveLength(1);
    expect(closes[0]).toBeInstanceOf(TransportError);
    expect((closes[0] as TransportError).transportCode).toBe(404);
  });

  it('bytes that break the framing close the link with the FramingError', async () => {
    const server = await serve('tcp');
    const { handlers, closes, closed } = recorder();
    await open({ transport: server.transport }, handlers);
    const peer = await server.peer();
    peer.connection.send(Uint8Array.of(0xff, 0xff, 0xff, 0x7f)); // an intermediate length far above the cap
    await closed;
    expect(closes).toHaveLength(1);
    expect(closes[0]).toBeInstanceOf(FramingError);
  });

  it('the server closing, and close() on our side, are each reported once, without an error', async () => {
    const server = await serve('tcp');
    const remote = recorder();
    await open({ transport: server.transport }, remote.handlers);
    (await server.peer()).connection.close();
    await remote.closed;

    const local = recorder();
    const link = await open({ transport: server.transport }, local.handlers);
    const peer = await server.peer();
    link.close();
    link.close();
    await Promise.all([local.closed, peer.closed]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect([remote.closes, local.closes]).toEqual([[undefined], [undefined]]);
  });

  it('open rejects when nothing listens', async () => {
    const listener = await listenTcp({}, () => undefined);
    await listener.close();
    const { handlers, closes } = recorder();
    const opening = Link.open(
      { transport: { kind: 'tcp', host: '127.0.0.1', port: listener.port }, dcId: 2, crypto: nodeCrypto },
      handlers,
    );
    await expect(opening).rejects.toThrow();
    expect(closes).toEqual([]);
  });
  it('WebSocket with obfuscated: false and an MTProxy secret is refused with INVALID_ARGUMENT, before any connection', async () => {
    let connections = 0;
    const listener = await listenWebSocket({}, () => connections++);
    listeners.push(listener);
    const url = `ws://127.0.0.1:${listener.port}/apiws`;
    const { handlers } = recorder();
    const opening = open({ transport: { kind: 'websocket', url, obfuscated: false }, proxySecret: SECRET }, handlers);
    await expect(opening).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining(url) });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(connections).toBe(0);
  });

  it.each([true, false])(
    "WebSocket: the host's standard WebSocket class is used when globalThis has one (obfuscated: %s)",
    async (obfuscated) => {
      // ws's class stands in for a browser's: the link must construct it (and not load ws's own adapter).
      const constructed: string[] = [];
      class HostWebSocket extends WebSocket {
        constructor(url: string, protocol: string) {
          super(url, protocol);
          constructed.push(`${url} ${protocol}`);
        }
      }
      vi.stubGlobal('WebSocket', HostWebSocket);
      try {
        const server = await serve('websocket', { onFrame: (peer, payload) => peer.connection.send(peer.codec.encode(payload)) });
        const { handlers, messages } = recorder();
        const link = await open({ transport: { ...server.transport, obfuscated } as LinkOptions['transport'] }, handlers);
        expect(constructed).toEqual([`${(server.transport as { url: string }).url} binary`]);
        link.send(message(40, 3));
        await until(() => messages.length === 1);
        expect(messages).toEqual([message(40, 3)]);
        expect((await server.peer()).codec.obfuscated).toBe(obfuscated);
      } finally {
        vi.unstubAllGlobals();
      }
    },
  );
});
