import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { nodeCrypto } from '../../src/crypto/node.js';
import { createClientCodec, createServerCodec } from '../../src/transport/codec.js';
import { FramingError } from '../../src/transport/errors.js';
import { FrameCodec } from '../../src/transport/framing.js';
import type { Framing } from '../../src/transport/framing.js';
import {
  acceptClientObfuscation,
  createClientObfuscation,
  deriveObfuscationKeys,
  parseMtproxySecret,
} from '../../src/transport/obfuscation.js';

const transports = JSON.parse(readFileSync('fixtures/transports.json', 'utf8')).vectors;
const obfuscated2 = JSON.parse(readFileSync('fixtures/obfuscated2.json', 'utf8')).vectors;

/** Vector files are plain JSON, read without a schema. */
type Vector = any;

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const unhex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'hex'));
/** grammers' payloads: bytes 0,1,2,... */
const counting = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => i & 0xff);
const fixed = (bytes: Uint8Array) => (): Uint8Array => bytes.slice();

function plainClient(framing: Framing) {
  const client = createClientCodec({ framing, crypto: nodeCrypto });
  return { init: client.start(), client };
}

describe('transports.json (grammers)', () => {
  it('abridged packing', () => {
    const [empty, normal, large] = transports.abridged;
    const { init, client } = plainClient('abridged');
    expect(hex(init) + hex(client.encode(counting(0)))).toBe(empty.first_packet_bytes);
    expect(hex(init) + hex(client.encode(counting(128)))).toBe(normal.prefix + hex(counting(128)));
    expect(hex(init) + hex(client.encode(counting(1024)))).toBe(large.prefix + hex(counting(1024)));
  });

  it('intermediate packing', () => {
    const [empty, normal] = transports.intermediate;
    const { init, client } = plainClient('intermediate');
    expect(hex(init) + hex(client.encode(counting(0)))).toBe(empty.first_packet_bytes);
    expect(hex(init) + hex(client.encode(counting(128)))).toBe(normal.prefix + hex(counting(128)));
  });

  it('full packing, seq counting up per packet', () => {
    const [empty, normal, second] = transports.full;
    const { init, client } = plainClient('full');
    expect(init.length).toBe(0);
    expect(hex(client.encode(counting(0)))).toBe(empty.packet);
    expect(hex(client.encode(counting(128)))).toBe(second.packet);
    const fresh = plainClient('full').client;
    expect(hex(fresh.encode(counting(128)))).toBe(normal.packet);
  });

  it('full unpacking rejects the flipped-CRC packet', () => {
    const packet = unhex(transports.full[1].packet);
    packet[packet.length - 1]! ^= 0xff;
    const decoder = new FrameCodec({ framing: 'full', side: 'client' });
    expect(() => decoder.decode(packet)).toThrow(expect.objectContaining({ code: 'FRAME_BAD_CRC' }));
    const got = Buffer.from(packet).readUInt32LE(packet.length - 4);
    expect(got).toBe(transports.full[3].got_crc_uint32);
  });

  it.each([
    ['abridged', transports.abridged[3].server_bytes],
    ['intermediate', transports.intermediate[2].server_bytes],
    ['full', transports.full[4].server_bytes],
  ] as const)('%s: server bytes %s are transport error 404', (framing, bytes) => {
    const decoder = new FrameCodec({ framing, side: 'client' });
    expect(decoder.decode(unhex(bytes))).toEqual([{ kind: 'error', code: 404 }]);
  });
});

describe('obfuscated2.json (mtcute)', () => {
  it.each((obfuscated2.header_vectors as Vector[]).map((v: Vector): [string, Vector] => [v.name, v]))('header: %s', (_name, vector) => {
    const secret = vector.mtproxy_secret === null ? undefined : parseMtproxySecret(vector.mtproxy_secret).key;
    const dcId = vector.dc_id_int16_le_at_60 ?? undefined;
    const { header } = createClientObfuscation({
      framing: 'intermediate',
      dcId,
      secret,
      crypto: nodeCrypto,
      random: fixed(unhex(vector.random64)),
    });
    expect(hex(header)).toBe(vector.sent_64_bytes);
    expect(hex(header.subarray(56))).toBe(vector.expected_bytes_56_64_from_test);
    const keys = deriveObfuscationKeys(unhex(vector.header_before_encryption), nodeCrypto, secret);
    expect(hex(keys.encryptKey)).toBe(vector.enc_key);
    expect(hex(keys.encryptIv)).toBe(vector.enc_iv);
    expect(hex(keys.decryptKey)).toBe(vector.dec_key);
    expect(hex(keys.decryptIv)).toBe(vector.dec_iv);
    // The server side recovers the tag and DC id from the sent bytes.
    const accepted = acceptClientObfuscation(header, nodeCrypto, secret && { key: secret, paddedOnly: false });
    expect(accepted.framing).toBe('intermediate');
    if (dcId !== undefined) expect(accepted.dcId).toBe(dcId);
  });

  it('key derivation from mtcute DEFAULT_ENTROPY', () => {
    const vector = obfuscated2.key_derivation_vector;
    const { header } = createClientObfuscation({
      framing: 'intermediate',
      crypto: nodeCrypto,
      random: fixed(unhex(vector.random64)),
    });
    expect(hex(header)).toBe(vector.sent_64_bytes);
    const keys = deriveObfuscationKeys(unhex(vector.header_before_encryption), nodeCrypto);
    expect([keys.encryptKey, keys.encryptIv, keys.decryptKey, keys.decryptIv].map(hex)).toEqual([
      vector.enc_key,
      vector.enc_iv,
      vector.dec_key,
      vector.dec_iv,
    ]);
  });

  it('MTProxy key derivation', () => {
    const vector = obfuscated2.mtproxy_key_derivation_vector;
    const random = unhex(vector.random64);
    const keys = deriveObfuscationKeys(random, nodeCrypto, parseMtproxySecret(vector.secret).key);
    expect([keys.encryptKey, keys.encryptIv, keys.decryptKey, keys.decryptIv].map(hex)).toEqual([
      vector.enc_key,
      vector.enc_iv,
      vector.dec_key,
      vector.dec_iv,
    ]);
  });

  it('stream continues after the header (encrypt twice) and decrypts the server -404', () => {
    const client = createClientCodec({
      framing: 'intermediate',
      obfuscation: {},
      crypto: nodeCrypto,
      random: fixed(unhex(obfuscated2.key_derivation_vector.random64)),
    });
    client.start();
    const payload = unhex(obfuscated2.stream_vector.frame_plain).subarray(4);
    expect(hex(client.encode(payload))).toBe(obfuscated2.stream_vector.first_ciphertext);
    expect(hex(client.encode(payload))).toBe(obfuscated2.stream_vector.second_ciphertext);
    expect(client.decode(unhex(obfuscated2.decrypt_vector.incoming_ciphertext))).toEqual([{ kind: 'error', code: 404 }]);
  });

  it('a server codec reads the same stream', () => {
    const random = fixed(unhex(obfuscated2.key_derivation_vector.random64));
    const client = createClientCodec({ framing: 'intermediate', obfuscation: {}, crypto: nodeCrypto, random });
    const server = createServerCodec({ crypto: nodeCrypto });
    const payload = unhex('6cfeffff');
    const sent = [client.start(), client.encode(payload), client.encode(payload)];
    expect(server.decode(Buffer.concat(sent))).toEqual([
      { kind: 'frame', payload, quickAck: false },
      { kind: 'frame', payload, quickAck: false },
    ]);
    expect(hex(server.encodeError(404))).toBe(obfuscated2.decrypt_vector.incoming_ciphertext);
  });

  it.each((obfuscated2.aes_ctr_primitive_vectors as Vector[]).slice(0, 1).map((v: Vector): [Vector] => [v]))(
    'AES-CTR KAT (mtcute)',
    (vector) => {
      const ctr = nodeCrypto.createAesCtr(unhex(vector.key), unhex(vector.iv));
      for (const expected of vector.ciphertexts_in_order) {
        expect(hex(ctr.process(unhex(vector.plaintext_block_repeated)))).toBe(expected);
      }
    },
  );

  it('AES-CTR KAT (gramjs, odd chunk sizes continue the stream)', () => {
    const vector = obfuscated2.aes_ctr_primitive_vectors[1];
    const ascii = (text: string) => new Uint8Array(Buffer.from(text, 'ascii'));
    const ctr = nodeCrypto.createAesCtr(ascii(vector.key_ascii), ascii(vector.iv_ascii));
    vector.chunks_ascii.forEach((chunk: string, i: number) => {
      expect(hex(ctr.process(ascii(chunk)))).toBe(vector.ciphertexts_in_order[i]);
    });
  });

  it.each((obfuscated2.forbidden_first_bytes_test_cases_from_mtcute as string[]).map((p: string): [string] => [p]))(
    'regenerates a header starting %s',
    (prefix) => {
      const bad = new Uint8Array(64).fill(0x11);
      bad.set(unhex(prefix));
      const good = new Uint8Array(64).fill(0x22);
      const draws = [bad, good];
      const { header } = createClientObfuscation({
        framing: 'abridged',
        crypto: nodeCrypto,
        random: () => draws.shift()!,
      });
      expect(draws).toEqual([]);
      expect(hex(header.subarray(0, 56))).toBe('22'.repeat(56));
    },
  );

  it('regenerates a header whose bytes 4..8 are zero (would read as full transport seq 0)', () => {
    const bad = new Uint8Array(64).fill(0x11);
    bad.fill(0, 4, 8);
    const draws = [bad, new Uint8Array(64).fill(0x22)];
    createClientObfuscation({ framing: 'abridged', crypto: nodeCrypto, random: () => draws.shift()! });
    expect(draws).toEqual([]);
  });

  it('MTProxy secrets: dd forces padded, ee is unsupported, other shapes are refused', () => {
    const dd = createClientCodec({
      framing: 'abridged',
      obfuscation: { dcId: 2, secret: 'dd' + '99'.repeat(16) },
      crypto: nodeCrypto,
    });
    expect(dd.framing).toBe('padded');
    const server = createServerCodec({ crypto: nodeCrypto, secret: 'dd' + '99'.repeat(16) });
    server.decode(dd.start());
    expect([server.framing, server.dcId]).toEqual(['padded', 2]);
    expect(() => parseMtproxySecret('ee' + '00'.repeat(16) + Buffer.from('example.com').toString('hex'))).toThrow(
      expect.objectContaining({ code: 'TRANSPORT_UNSUPPORTED' }),
    );
    for (const bad of ['00'.repeat(15), 'zz'.repeat(16), new Uint8Array(20)]) {
      expect(() => parseMtproxySecret(bad)).toThrow(FramingError);
    }
  });

  it('DC id encoding: test +10000, media negated (media DC 4 → fc ff)', () => {
    const at60 = (obfuscation: { dcId: number; test?: boolean; media?: boolean }) => {
      const client = createClientCodec({ framing: 'padded', obfuscation, crypto: nodeCrypto });
      const server = createServerCodec({ crypto: nodeCrypto });
      server.decode(client.start());
      return server.dcId;
    };
    expect(at60({ dcId: 4, media: true })).toBe(-4);
    expect(at60({ dcId: 2, test: true })).toBe(10002);
    expect(at60({ dcId: 2, test: true, media: true })).toBe(-10002);
    expect(() => at60({ dcId: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => at60({ dcId: 30000, test: true })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
