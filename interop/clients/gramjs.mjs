// gramjs (`telegram`) as the suite drives it: a TelegramClient on a StringSession that names the test server,
// with the server's RSA key in gramjs's key table. Nothing of gramjs is patched. It dials port 80 (443 with
// useWSS) whatever the session says, so each connection class is subclassed to pass the server's port: the
// `connection` option takes a class, and this is the one place that class learns its port.
import bigInt from 'big-integer';
import { Api, TelegramClient } from 'telegram';
import { _serverKeys } from 'telegram/crypto/RSA.js';
import { Raw } from 'telegram/events/index.js';
import { PromisedNetSockets, PromisedWebSockets } from 'telegram/extensions/index.js';
import { Logger, LogLevel } from 'telegram/extensions/Logger.js';
import { ConnectionTCPAbridged, ConnectionTCPFull, ConnectionTCPObfuscated } from 'telegram/network/connection/index.js';
import { StringSession } from 'telegram/sessions/index.js';
import { LAYER } from 'telegram/tl/AllTLObjects.js';

const CONNECTIONS = { full: ConnectionTCPFull, abridged: ConnectionTCPAbridged, 'obfuscated abridged': ConnectionTCPObfuscated };

/** Every framing gramjs has, over each transport; over WebSocket gramjs itself always obfuscates. */
const COMBINATIONS = [
  ...Object.keys(CONNECTIONS).map((framing) => ({ transport: 'tcp', framing })),
  { transport: 'websocket', framing: 'obfuscated abridged' },
];

function connectionTo(port, framing) {
  return class extends CONNECTIONS[framing] {
    constructor(params) {
      super({ ...params, port });
    }
  };
}

// --- Values: the suite speaks mtwire's shapes (plain objects named by `_`, long = bigint); gramjs has a class
// per constructor (`Api.phone.RequestCall` for phone.requestCall), big-integer longs and Buffer bytes.
function classFor(name) {
  const parts = name.split('.');
  const last = parts.pop();
  const namespace = parts.reduce((ns, part) => ns[part], Api);
  const cls = namespace[last[0].toUpperCase() + last.slice(1)];
  if (typeof cls !== 'function') throw new Error(`gramjs has no class for ${name}`);
  return cls;
}

function toGramjs(value) {
  if (Array.isArray(value)) return value.map(toGramjs);
  if (typeof value === 'bigint') return bigInt(value.toString());
  if (value instanceof Uint8Array) return Buffer.from(value);
  if (value === null || typeof value !== 'object') return value;
  const { _: name, ...fields } = value;
  const args = Object.fromEntries(Object.entries(fields).map(([key, v]) => [key, toGramjs(v)]));
  return name === undefined ? args : new (classFor(name))(args);
}

/** gramjs's bookkeeping on every object, not TL fields (it also adds `_entities` and other `_` names to updates). */
const GRAMJS_PROPERTIES = new Set(['CONSTRUCTOR_ID', 'SUBCLASS_OF_ID', 'className', 'classType', 'originalArgs']);
const isTlField = (key, value) => !GRAMJS_PROPERTIES.has(key) && !key.startsWith('_') && value !== null && value !== undefined;

function fromGramjs(value) {
  if (Array.isArray(value)) return value.map(fromGramjs);
  if (bigInt.isInstance(value)) return BigInt(value.toString());
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return value;
  const out = {};
  if (typeof value.className === 'string') {
    const parts = value.className.split('.');
    const last = parts.pop();
    out._ = [...parts, last[0].toLowerCase() + last.slice(1)].join('.');
  }
  for (const [key, v] of Object.entries(value)) if (isTlField(key, v)) out[key] = fromGramjs(v);
  return out;
}

export const gramjs = {
  name: 'gramjs',
  version: 'telegram 2.26.22',
  layer: LAYER,
  combinations: COMBINATIONS,

  async create(server, { transport, framing }, session) {
    const { n, e, fingerprint } = server.publicKey;
    _serverKeys.set(fingerprint.toString(), { n: bigInt(n.toString()), e: Number(e) });
    const port = transport === 'tcp' ? server.tcpPort : server.wsPort;
    const stringSession = new StringSession(session ?? '');
    if (session === undefined) stringSession.setDC(server.dcId, server.host, port);
    const client = new TelegramClient(stringSession, 1, 'interop', {
      connection: connectionTo(port, framing),
      networkSocket: transport === 'tcp' ? PromisedNetSockets : PromisedWebSockets,
      baseLogger: new Logger(process.env.INTEROP_DEBUG ? LogLevel.DEBUG : LogLevel.NONE),
    });
    const listeners = new Set();
    client.addEventHandler((update) => {
      for (const listener of listeners) listener(fromGramjs(update));
    }, new Raw({}));
    return {
      // gramjs resolves false when it gives up connecting. It does retry (5 times by default), which it needs:
      // about one auth key in 200 starts with a zero byte, gramjs hashes the key without that byte, and so
      // it refuses dh_gen_ok ("Step 3 invalid new nonce hash") and starts the handshake again.
      connect: async () => {
        if ((await client.connect()) === false) throw new Error('gramjs gave up connecting');
      },
      invoke: async (request) => fromGramjs(await client.invoke(toGramjs(request))),
      onUpdate: (listener) => listeners.add(listener),
      exportSession: async () => stringSession.save(),
      close: () => client.destroy(),
    };
  },
};
