// mtwire, from the built library (dist/). Every mtwire call of the benchmarks is in this file.
const dist = new URL('../../dist/src/', import.meta.url);
const notBuilt = [];

async function load(path) {
  try {
    return await import(new URL(path, dist).href);
  } catch (e) {
    if (e?.code !== 'ERR_MODULE_NOT_FOUND') throw e;
    notBuilt.push(`dist/src/${path}`);
    return undefined;
  }
}

const tlLib = await load('api/index.js');
const ige = await load('crypto/ige.js');
const node = await load('crypto/node.js');
const pq = await load('crypto/pq.js');
const srp = await load('crypto/srp.js');

/** Why an entry below is undefined. */
export const missing = notBuilt.length ? `not built: ${notBuilt.join(', ')}` : undefined;

export const tl = tlLib && {
  payload: 'L228',
  decode: (bytes) => tlLib.decodeObject(bytes),
  encode: (obj) => tlLib.encodeObject(obj),
  request: (_bytes, json) => tlLib.objectFromJson(json),
};

export const crypto = {
  igeEncrypt: ige && ((data, key, iv) => ige.aesIgeEncrypt(data, key, iv)),
  igeDecrypt: ige && ((data, key, iv) => ige.aesIgeDecrypt(data, key, iv)),
  sha256: node && ((data) => node.nodeCrypto.sha256(data)),
  modPow: node && ((b, e, m) => node.nodeCrypto.modPow(b, e, m)),
  // Expected to return [p, q] as bigints.
  factorizePQ: pq && ((n) => pq.factorizePQ(n)),
};

/** One cloud-password check: the p/g/B checks, PBKDF2 and the SRP arithmetic, with `a` fixed by the caller. */
export const password = srp &&
  node && {
    prove: (algo, srpB, text, a) => srp.srpProve(algo, srpB, new TextEncoder().encode(text), node.nodeCrypto, { random: () => a }).M1,
  };

const transportLib = await load('transport/index.js');
const authClient = await load('mtproto/auth-key-client.js');
const authServer = await load('mtproto/auth-key-server.js');
const authMemory = await load('testing/auth-key-memory.js');
const rsaKeygen = await load('crypto/rsa-keygen.js');

/** One payload through a client codec and back out of a server codec (and the reverse direction). */
export const transport = transportLib &&
  node && {
    pipe(framing, obfuscated) {
      const crypto = node.nodeCrypto;
      const client = transportLib.createClientCodec({ framing, obfuscation: obfuscated ? { dcId: 2 } : undefined, crypto });
      const server = transportLib.createServerCodec({ crypto });
      server.decode(client.start());
      return {
        up: (payload) => server.decode(client.encode(payload))[0].payload,
        down: (payload) => client.decode(server.encode(payload))[0].payload,
      };
    },
  };

/** A full auth-key exchange, client and server state machines in memory (no sockets). */
export const handshake = authMemory &&
  rsaKeygen &&
  node && {
    prepare() {
      const { publicKey, privateKey } = rsaKeygen.generateRsaKeyPair(2048);
      const crypto = node.nodeCrypto;
      return () =>
        authMemory.runHandshakeInMemory(
          new authClient.AuthKeyExchange({ crypto, dcId: 2, publicKeys: [publicKey] }),
          new authServer.AuthKeyServer({ crypto, dcId: 2, privateKey: { ...privateKey, ...publicKey } }),
        );
    },
  };

const message = await load('crypto/message.js');
const envelope = await load('mtproto/envelope.js');

/** A client session's encrypted messages: request object → frame, server frame → object (no session state). */
export const session = tlLib &&
  message &&
  envelope &&
  node && {
    open(authKey, salt, sessionId) {
      const provider = node.nodeCrypto;
      const authKeyId = provider.sha1(authKey).subarray(12, 20);
      return {
        encrypt(obj, msgId, seqNo) {
          return this.encryptBytes(tlLib.encodeObject(obj), msgId, seqNo);
        },
        // As ClientSession does: the plaintext as its fields, written once into the frame's buffer.
        encryptBytes(data, msgId, seqNo) {
          return message.encryptMessage({ authKey, authKeyId, plaintext: { salt, sessionId, msgId, seqNo, data }, x: 0, provider });
        },
        decrypt(frame) {
          return tlLib.decodeObject(this.decryptBytes(frame));
        },
        decryptBytes(frame) {
          return message.decryptMessage(authKey, authKeyId, frame, 8, { provider, sessionId }).body;
        },
        /** The other side of the wire, outside the timed calls: what a server sends, what it reads. */
        serverFrame(body, msgId) {
          const plaintext = envelope.buildPlaintext(salt, sessionId, msgId, 1, body);
          return message.encryptMessage({ authKey, authKeyId, plaintext, x: 8, provider });
        },
        serverRead(frame) {
          return message.decryptMessage(authKey, authKeyId, frame, 0, { provider, sessionId }).body;
        },
      };
    },
  };
