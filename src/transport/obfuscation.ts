import type { AesCtr, CryptoProvider } from '../crypto/provider.js';
import { readUint32LE, writeUint32LE } from './bytes.js';
import { detectTransport } from './detect.js';
import { FramingError } from './errors.js';
import type { Framing, RandomSource } from './framing.js';

/**
 * obfuscated2 (spec §2.1): a 64-byte header that looks random, then every byte of the connection
 * passes through AES-256-CTR, one continuous keystream per direction. It hides the framing from
 * middleboxes and carries the DC id an MTProxy needs for routing.
 */

export const OBFUSCATION_HEADER_LENGTH = 64;

// Copies go through `new Uint8Array(view)`, never `.slice()`: callers may pass Node Buffers, whose
// slice() is a view, and the header bytes are reversed and overwritten in place below.

/** The full transport has no protocol tag, so it cannot be obfuscated. */
export type ObfuscatedFraming = Exclude<Framing, 'full'>;

const TAGS: Record<ObfuscatedFraming, number> = {
  abridged: 0xefefefef,
  intermediate: 0xeeeeeeee,
  padded: 0xdddddddd,
};

const FRAMING_BY_TAG = new Map<number, ObfuscatedFraming>(
  Object.entries(TAGS).map(([framing, tag]) => [tag, framing as ObfuscatedFraming]),
);

/** An MTProxy secret reduced to what obfuscation uses. */
export interface MtproxySecret {
  /** The 16 bytes mixed into both keys. */
  key: Uint8Array;
  /** `dd`-prefixed secrets: the proxy accepts only padded intermediate (it hides packet sizes). */
  paddedOnly: boolean;
}

/** Accepts 16 raw bytes, or `dd` + 16 bytes; bytes or hex. `ee…` (fake-TLS) is refused: it needs a TLS handshake. */
export function parseMtproxySecret(secret: Uint8Array | string): MtproxySecret {
  const bytes = typeof secret === 'string' ? hexToBytes(secret) : secret;
  if (bytes.length === 16) return { key: new Uint8Array(bytes), paddedOnly: false };
  if (bytes.length === 17 && bytes[0] === 0xdd) return { key: new Uint8Array(bytes.subarray(1)), paddedOnly: true };
  if (bytes.length >= 17 && bytes[0] === 0xee) {
    throw new FramingError('TRANSPORT_UNSUPPORTED', 'fake-TLS MTProxy secrets (ee…) need a TLS handshake mtwire does not implement');
  }
  throw new FramingError('OBFUSCATION_BAD_SECRET', `an MTProxy secret is 16 bytes or dd + 16 bytes, got ${bytes.length}`);
}

export interface DcTarget {
  dcId: number;
  test?: boolean;
  media?: boolean;
}

/** The int16 written at header[60..62]: DC id, +10000 for test DCs, negated for media DCs. */
export function headerDcId({ dcId, test = false, media = false }: DcTarget): number {
  const id = dcId + (test ? 10000 : 0);
  if (!Number.isInteger(dcId) || dcId < 1 || id > 0x7fff) {
    throw new FramingError('INVALID_ARGUMENT', `DC id ${dcId}${test ? ' (test)' : ''} does not fit the header's int16`);
  }
  return media ? -id : id;
}

/** AES-CTR keys and IVs as seen by the client: `encrypt*` protect client→server bytes. */
export interface ObfuscationKeys {
  encryptKey: Uint8Array;
  encryptIv: Uint8Array;
  decryptKey: Uint8Array;
  decryptIv: Uint8Array;
}

/**
 * Keys come from header[8..56] read forwards (client→server) and backwards (server→client), so one
 * header yields two unrelated keystreams. With an MTProxy secret each key becomes SHA-256(key + secret).
 */
export function deriveObfuscationKeys(header: Uint8Array, crypto: CryptoProvider, secret?: Uint8Array): ObfuscationKeys {
  const forward = new Uint8Array(header.subarray(8, 56));
  const backward = new Uint8Array(forward).reverse();
  const mix = (key: Uint8Array): Uint8Array => (secret === undefined ? key : crypto.sha256(key, secret));
  return {
    encryptKey: mix(forward.subarray(0, 32)),
    encryptIv: forward.subarray(32, 48),
    decryptKey: mix(backward.subarray(0, 32)),
    decryptIv: backward.subarray(32, 48),
  };
}

/** The two keystreams of one obfuscated connection, from the point of view of their owner. */
export interface ObfuscatedStreams {
  /** Applied to every byte this side sends. */
  encryptor: AesCtr;
  /** Applied to every byte this side receives. */
  decryptor: AesCtr;
}

export interface ClientObfuscationOptions {
  framing: ObfuscatedFraming;
  /** The int16 from headerDcId; omitted → bytes 60..62 stay random (fine for direct connections). */
  dcId?: number;
  /** MTProxy key (MtproxySecret.key). */
  secret?: Uint8Array;
  crypto: CryptoProvider;
  random: RandomSource;
}

/** Builds the header a client sends first, and its streams (the encryptor has consumed the header). */
export function createClientObfuscation(options: ClientObfuscationOptions): ObfuscatedStreams & { header: Uint8Array } {
  let header: Uint8Array;
  do {
    header = new Uint8Array(options.random(OBFUSCATION_HEADER_LENGTH));
    if (header.length !== OBFUSCATION_HEADER_LENGTH) {
      throw new FramingError('INVALID_ARGUMENT', `the random source returned ${header.length} bytes, not 64`);
    }
  } while (detectTransport(header).kind !== 'obfuscated'); // never look like a plain protocol (detect.ts)
  writeUint32LE(header, 56, TAGS[options.framing]);
  if (options.dcId !== undefined) {
    header[60] = options.dcId & 0xff;
    header[61] = (options.dcId >> 8) & 0xff;
  }
  const keys = deriveObfuscationKeys(header, options.crypto, options.secret);
  const encryptor = options.crypto.createAesCtr(keys.encryptKey, keys.encryptIv);
  const decryptor = options.crypto.createAesCtr(keys.decryptKey, keys.decryptIv);
  // The tag and DC id travel encrypted; bytes 0..56 must stay clear so the server can derive the keys.
  header.set(encryptor.process(header).subarray(56), 56);
  return { header, encryptor, decryptor };
}

export interface AcceptedObfuscation extends ObfuscatedStreams {
  framing: ObfuscatedFraming;
  /** The int16 at header[60..62]; random unless the client targets an MTProxy. */
  dcId: number;
}

/** Server side: derives the mirrored streams from a client's 64-byte header and reads its tag. */
export function acceptClientObfuscation(header: Uint8Array, crypto: CryptoProvider, secret?: MtproxySecret): AcceptedObfuscation {
  if (header.length !== OBFUSCATION_HEADER_LENGTH) {
    throw new FramingError('FRAME_TRUNCATED', `an obfuscation header is 64 bytes, got ${header.length}`);
  }
  const keys = deriveObfuscationKeys(header, crypto, secret?.key);
  const decryptor = crypto.createAesCtr(keys.encryptKey, keys.encryptIv);
  const encryptor = crypto.createAesCtr(keys.decryptKey, keys.decryptIv);
  const clear = decryptor.process(header);
  const tag = readUint32LE(clear, 56);
  const framing = FRAMING_BY_TAG.get(tag);
  if (framing === undefined || (secret?.paddedOnly === true && framing !== 'padded')) {
    throw new FramingError('OBFUSCATION_BAD_TAG', `obfuscation header carries unusable protocol tag ${tag.toString(16)}`);
  }
  const dcId = ((clear[60]! | (clear[61]! << 8)) << 16) >> 16;
  return { framing, dcId, encryptor, decryptor };
}

function hexToBytes(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9a-f]*$/i.test(hex)) {
    throw new FramingError('OBFUSCATION_BAD_SECRET', 'an MTProxy secret string must be hex');
  }
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}
