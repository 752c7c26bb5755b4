/**
 * MTProto 2.0 encrypted messages: `auth_key_id (8) | msg_key (16) | AES-256-IGE(plaintext + padding)`,
 * where plaintext = salt, session_id, msg_id, seq_no, message_data_length, message_data (spec §3, §5).
 *
 * decryptMessage runs every receiver check of the security guidelines that needs only the frame and the
 * key; msg_id parity, replay and time window belong to the session, which knows the history.
 */
import { MtwireError } from '../base/errors.js';
import { offerRoom } from '../base/room.js';
import { constantTimeEqual } from './compare.js';
import { aesIgeDecrypt, aesIgeEncrypt } from './ige.js';
import { AUTH_KEY_PART_LENGTH, deriveAesKeyIv, msgKeyLarge, msgKeyLargeInPlace, type Direction } from './kdf.js';
import { takeRandom, type CryptoProvider, type RandomSource } from './provider.js';
import { SecurityError } from './security-error.js';

/** salt, session_id, msg_id, seq_no, message_data_length */
export const PLAINTEXT_HEADER_LENGTH = 32;
const MIN_PADDING = 12;
const MAX_PADDING = 1024;
/** The shortest valid plaintext: an empty body plus 12 bytes of padding, rounded up to 16. */
const MIN_PLAINTEXT = 48;
const FRAME_PREFIX = 24; // auth_key_id + msg_key

/**
 * message_data written straight into the message's buffer (e.g. a container assembled from its parts):
 * `writeTo` writes exactly `length` bytes at `offset`.
 */
export interface MessageData {
  readonly length: number;
  writeTo(out: Uint8Array, offset: number): void;
}

/** The plaintext as its fields: encryptMessage writes them into the frame's own buffer, with no array between. */
export interface PlaintextFields {
  readonly salt: bigint;
  readonly sessionId: bigint;
  readonly msgId: bigint;
  readonly seqNo: number;
  readonly data: Uint8Array | MessageData;
}

export interface EncryptMessageParams {
  readonly authKey: Uint8Array;
  /** The 8 auth_key_id bytes as they go on the wire (SHA1(auth_key)[12:20]). */
  readonly authKeyId: Uint8Array;
  /** Everything from salt to the end of message_data, as bytes or as its fields. */
  readonly plaintext: Uint8Array | PlaintextFields;
  /** The sender's direction: 0 from the client, 8 from the server. */
  readonly x: Direction;
  readonly provider: CryptoProvider;
  /** Source of the padding bytes; defaults to the provider's CSPRNG. */
  readonly random?: RandomSource;
  /**
   * Extra 16-byte padding blocks on top of the minimum (12..27 bytes), to blur message sizes. The total
   * padding may not exceed 1024 bytes.
   */
  readonly extraPaddingBlocks?: number;
}

/**
 * Free bytes around every frame encryptMessage returns, offered to the transport (base/room.ts) for its
 * frame header (≤ 8 bytes: the full transport's length and seq) and trailer (≤ 16: padded intermediate's
 * 0..15 random bytes, the full transport's CRC32), so that framing writes around the frame, not a copy.
 */
export const FRAMING_ROOM_BEFORE = AUTH_KEY_PART_LENGTH - FRAME_PREFIX;
export const FRAMING_ROOM_AFTER = 16;

/** Writes salt, session_id, msg_id, seq_no, message_data_length and message_data at `offset`. */
export function writePlaintext(out: Uint8Array, offset: number, fields: PlaintextFields): void {
  const view = new DataView(out.buffer, out.byteOffset + offset, PLAINTEXT_HEADER_LENGTH);
  view.setBigInt64(0, fields.salt, true);
  view.setBigInt64(8, fields.sessionId, true);
  view.setBigInt64(16, fields.msgId, true);
  view.setInt32(24, fields.seqNo, true);
  view.setInt32(28, fields.data.length, true);
  if (fields.data instanceof Uint8Array) out.set(fields.data, offset + PLAINTEXT_HEADER_LENGTH);
  else fields.data.writeTo(out, offset + PLAINTEXT_HEADER_LENGTH);
}

export function encryptMessage(params: EncryptMessageParams): Uint8Array {
  const { authKey, authKeyId, plaintext, x, provider } = params;
  if (authKeyId.length !== 8) throw new MtwireError('CRYPTO_ARGUMENT', `auth_key_id must be 8 bytes, got ${authKeyId.length}`);
  const plaintextLength = plaintext instanceof Uint8Array ? plaintext.length : PLAINTEXT_HEADER_LENGTH + plaintext.data.length;
  const extra = params.extraPaddingBlocks ?? 0;
  const paddingLength = MIN_PADDING + ((16 - ((plaintextLength + MIN_PADDING) % 16)) % 16) + 16 * extra;
  if (!Number.isInteger(extra) || extra < 0 || paddingLength > MAX_PADDING) {
    throw new MtwireError('CRYPTO_ARGUMENT', `extraPaddingBlocks ${extra} gives padding outside 12..1024 bytes`);
  }
  const padding = takeRandom(params.random ?? ((n) => provider.randomBytes(n)), paddingLength);
  // One array holds the auth-key part msg_key_large hashes (32 bytes), then the padded plaintext, then the
  // transport's trailer room: SHA-256 reads the first two as one region, IGE encrypts the plaintext in
  // place, and the frame is 24 + n bytes from offset 8, its prefix written over the auth-key part once
  // that is hashed. The plaintext is written here once, from its fields or bytes.
  const paddedLength = plaintextLength + paddingLength;
  const buffer = new Uint8Array(AUTH_KEY_PART_LENGTH + paddedLength + FRAMING_ROOM_AFTER);
  const region = buffer.subarray(0, AUTH_KEY_PART_LENGTH + paddedLength);
  const padded = region.subarray(AUTH_KEY_PART_LENGTH);
  if (plaintext instanceof Uint8Array) padded.set(plaintext);
  else writePlaintext(region, AUTH_KEY_PART_LENGTH, plaintext);
  padded.set(padding, plaintextLength);
  const msgKey = msgKeyLargeInPlace(authKey, region, x, provider).subarray(8, 24);
  const { key, iv } = deriveAesKeyIv(authKey, msgKey, x, provider);
  aesIgeEncrypt(padded, key, iv, padded);
  // The auth-key part becomes 8 zero bytes (frame.buffer travels with the frame: no key bytes in it; they
  // are the transport's header room), then auth_key_id and msg_key, the frame's prefix. Byte loops: ~30 ns
  // cheaper than fill + set + set (measured).
  const frameStart = FRAMING_ROOM_BEFORE;
  for (let i = 0; i < 8; i++) {
    region[i] = 0;
    region[frameStart + i] = authKeyId[i]!;
  }
  for (let i = 0; i < 16; i++) region[frameStart + 8 + i] = msgKey[i]!;
  const frame = region.subarray(frameStart);
  offerRoom(frame, FRAMING_ROOM_BEFORE, FRAMING_ROOM_AFTER);
  return frame;
}

export interface DecryptOptions {
  readonly provider: CryptoProvider;
  /** When given, a message for any other session is rejected (check 'session_id'). */
  readonly sessionId?: bigint;
  /** Also return the quick ack token (a server answering a transport quick-ack request needs it). */
  readonly quickAckToken?: boolean;
  /**
   * Decrypt into the frame itself, so that the body (and every TL view decoded from it) is a view of the
   * frame's buffer: no array of the message's size is made. Only for a frame nobody else reads, such as
   * one the transport codec just cut from received bytes; its ciphertext is gone afterwards, also when
   * the message is rejected.
   */
  readonly inPlace?: boolean;
}

export interface DecryptedMessage {
  readonly salt: bigint;
  readonly sessionId: bigint;
  readonly msgId: bigint;
  readonly seqNo: number;
  /** message_data, a view into the decrypted plaintext (into the frame itself with `inPlace`). */
  readonly body: Uint8Array;
  /** Only with `quickAckToken`: msg_key_large[0:4] as a LE uint32 with the top bit set (spec §2). */
  readonly quickAckToken?: number;
}

/**
 * Every rejection looks the same from outside: one error class, one message. `check` names the failed
 * check for local logging and tests only.
 */
function reject(check: string): SecurityError {
  return new SecurityError(check, 'message rejected');
}

/** Decrypts and validates one frame sent with direction `x` (8 when a client reads server messages). */
export function decryptMessage(
  authKey: Uint8Array,
  authKeyId: Uint8Array,
  frame: Uint8Array,
  x: Direction,
  options: DecryptOptions,
): DecryptedMessage {
  const { provider } = options;
  if (frame.length < FRAME_PREFIX + MIN_PLAINTEXT) throw reject('frame_length');
  if ((frame.length - FRAME_PREFIX) % 16 !== 0) throw reject('frame_length');
  if (authKeyId.length !== 8 || !constantTimeEqual(frame.subarray(0, 8), authKeyId)) throw reject('auth_key_id');

  const msgKey = frame.subarray(8, FRAME_PREFIX);
  const { key, iv } = deriveAesKeyIv(authKey, msgKey, x, provider);
  const ciphertext = frame.subarray(FRAME_PREFIX);
  let plaintext: Uint8Array;
  let large: Uint8Array;
  if (options.inPlace) {
    // The bytes in front of the frame are not ours to borrow: msg_key_large hashes the key part and the
    // plaintext as two inputs.
    plaintext = aesIgeDecrypt(ciphertext, key, iv, ciphertext);
    large = msgKeyLarge(authKey, plaintext, x, provider);
  } else {
    // Decrypted behind 32 free bytes so msg_key_large hashes one region (as in encryptMessage).
    const region = new Uint8Array(AUTH_KEY_PART_LENGTH + ciphertext.length);
    plaintext = aesIgeDecrypt(ciphertext, key, iv, region.subarray(AUTH_KEY_PART_LENGTH));
    large = msgKeyLargeInPlace(authKey, region, x, provider);
    // The body handed back is a view of this buffer: the auth-key part must not travel with it.
    region.fill(0, 0, AUTH_KEY_PART_LENGTH);
  }
  // Authenticate before reading any decrypted field: until msg_key matches, the plaintext is attacker noise.
  if (!constantTimeEqual(large.subarray(8, 24), msgKey)) throw reject('msg_key');

  const view = new DataView(plaintext.buffer, plaintext.byteOffset, plaintext.byteLength);
  const dataLength = view.getUint32(28, true);
  if (dataLength % 4 !== 0 || dataLength > plaintext.length - PLAINTEXT_HEADER_LENGTH) throw reject('data_length');
  const paddingLength = plaintext.length - PLAINTEXT_HEADER_LENGTH - dataLength;
  if (paddingLength < MIN_PADDING || paddingLength > MAX_PADDING) throw reject('padding');
  const sessionId = view.getBigInt64(8, true);
  if (options.sessionId !== undefined && sessionId !== BigInt.asIntN(64, options.sessionId)) throw reject('session_id');
  const message: DecryptedMessage = {
    salt: view.getBigInt64(0, true),
    sessionId,
    msgId: view.getBigInt64(16, true),
    seqNo: view.getInt32(24, true),
    body: plaintext.subarray(PLAINTEXT_HEADER_LENGTH, PLAINTEXT_HEADER_LENGTH + dataLength),
  };
  // The common answer stays one plain object literal: no spread of an optional field on the hot path.
  if (!options.quickAckToken) return message;
  return { ...message, quickAckToken: (new DataView(large.buffer, large.byteOffset, 4).getUint32(0, true) | 0x80000000) >>> 0 };
}
