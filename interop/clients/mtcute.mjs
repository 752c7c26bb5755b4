// mtcute (@mtcute/node) as the suite drives it: its BaseTelegramClient, configured with the test server's
// address and RSA key, and a transport for each framing. Nothing of mtcute is patched: the transports are
// implementations of its public TelegramTransport interface over its own packet codecs.
import { connectWs } from '@fuman/net';
import schema from '@mtcute/core/tl/api-schema.json' with { type: 'json' };
import { addPublicKey } from '@mtcute/core/utils.js';
import {
  BaseTelegramClient,
  IntermediatePacketCodec,
  Long,
  MemoryStorage,
  ObfuscatedPacketCodec,
  PaddedIntermediatePacketCodec,
  TcpTransport,
  tl,
} from '@mtcute/node';
import { NodeCryptoProvider } from '@mtcute/node/utils.js';
import WebSocket from 'ws';

const CODECS = {
  intermediate: () => new IntermediatePacketCodec(),
  padded: () => new PaddedIntermediatePacketCodec(),
  'obfuscated intermediate': () => new ObfuscatedPacketCodec(new IntermediatePacketCodec()),
  'obfuscated padded': () => new ObfuscatedPacketCodec(new PaddedIntermediatePacketCodec()),
};

/** Every framing mtcute has, over each transport; the WebSocket endpoint (like Telegram's) takes only obfuscated ones. */
const COMBINATIONS = [
  ...Object.keys(CODECS).map((framing) => ({ transport: 'tcp', framing })),
  { transport: 'websocket', framing: 'obfuscated intermediate' },
  { transport: 'websocket', framing: 'obfuscated padded' },
];

class FramedTcpTransport extends TcpTransport {
  constructor(framing) {
    super();
    this.framing = framing;
  }

  packetCodec() {
    return CODECS[this.framing]();
  }
}

/** mtcute's codecs over a WebSocket to the server's /apiws, with the `ws` package as the WebSocket class (Node 20 has none). */
class WebSocketTransport {
  constructor(framing, url) {
    this.framing = framing;
    this.url = url;
  }

  connect() {
    return connectWs({ url: this.url, protocols: 'binary', implementation: WebSocket });
  }

  packetCodec() {
    return CODECS[this.framing]();
  }
}

// --- Values: the suite speaks mtwire's shapes (long = bigint); mtcute takes Long, and number for the longs it
// calls int53 (user and chat ids). Its own schema says which field is which.
const fieldsByName = new Map(schema.e.map((entry) => [entry.name, new Map(entry.arguments.map((arg) => [camelCase(arg.name), arg.type]))]));

function camelCase(snake) {
  return snake.replace(/_(\w)/g, (_, c) => c.toUpperCase());
}

function toMtcute(value, type) {
  if (Array.isArray(value)) return value.map((item) => toMtcute(item, type));
  if (typeof value === 'bigint') return type === 'int53' ? Number(value) : Long.fromString(value.toString());
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return value;
  const fields = fieldsByName.get(value._);
  return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, toMtcute(v, fields?.get(key))]));
}

function fromMtcute(value, type) {
  if (Array.isArray(value)) return value.map((item) => fromMtcute(item, type));
  if (Long.isLong(value)) return BigInt(value.toString());
  if (typeof value === 'number' && type === 'int53') return BigInt(value);
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return value;
  const fields = fieldsByName.get(value._);
  return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, fromMtcute(v, fields?.get(key))]));
}

/** The updates of one Updates object, whatever its constructor. */
function updatesIn(updates) {
  if (updates._ === 'updateShort') return [updates.update];
  return updates.updates ?? [];
}

export const mtcute = {
  name: 'mtcute',
  version: '@mtcute/node 0.30.3',
  layer: tl.LAYER,
  combinations: COMBINATIONS,

  /** A client for `server` over one transport and framing; `session` is what exportSession gave. */
  async create(server, { transport, framing }, session) {
    const crypto = new NodeCryptoProvider();
    await crypto.initialize();
    addPublicKey(crypto, server.publicKeyPem);
    const dc = { id: server.dcId, ipAddress: server.host, port: server.tcpPort };
    const client = new BaseTelegramClient({
      apiId: 1,
      apiHash: 'interop',
      crypto,
      storage: new MemoryStorage(),
      defaultDcs: { main: dc, media: dc },
      transport: transport === 'tcp' ? new FramedTcpTransport(framing) : new WebSocketTransport(framing, server.wsUrl),
      // Server updates reach onServerUpdate as they come; the suite needs no pts/seq bookkeeping on top.
      updates: false,
      logLevel: 1,
    });
    if (session !== undefined) await client.importSession(session);
    const listeners = new Set();
    client.onServerUpdate.add((updates) => {
      for (const update of updatesIn(updates)) for (const listener of listeners) listener(fromMtcute(update));
    });
    return {
      connect: () => client.connect(),
      invoke: async (request) => fromMtcute(await client.call(toMtcute(request))),
      onUpdate: (listener) => listeners.add(listener),
      exportSession: () => client.exportSession(),
      close: () => client.destroy(),
    };
  },
};
