/**
 * Crypto targets: decryptMessage on random frames and on authentic frames (right msg_key) whose
 * plaintext header and padding are arbitrary, so every check after authentication is reached; the
 * server side of RSA_PAD and of the legacy RSA scheme. The keys are fixed test keys.
 */
import fc from 'fast-check';
import { bigIntFromBytes, bigIntToBytes } from '../src/crypto/bigint.js';
import { authKeyIdFor } from '../src/crypto/handshake-kdf.js';
import { aesIgeEncrypt } from '../src/crypto/ige.js';
import { deriveAesKeyIv, msgKeyFor, type Direction } from '../src/crypto/kdf.js';
import { decryptMessage } from '../src/crypto/message.js';
import { nodeCrypto } from '../src/crypto/node.js';
import {
  rsaFingerprint,
  rsaLegacyDecrypt,
  rsaPadDecrypt,
  rsaPadEncrypt,
  type RsaPrivateKey,
  type RsaPublicKey,
} from '../src/crypto/rsa.js';
import { readObject, TlReader } from '../src/api/index.js';
import { ByteSource, concat, mutated, randomBytes, xorshift } from './bytes.js';
import { FUZZ_RSA_HEX } from './keys.js';
import { ContractViolation, checkTyped, type FuzzTarget } from './harness.js';

export const FUZZ_RSA_KEY: RsaPrivateKey & RsaPublicKey = loadKey();

function loadKey(): RsaPrivateKey & RsaPublicKey {
  const n = BigInt('0x' + FUZZ_RSA_HEX.n);
  const e = BigInt('0x' + FUZZ_RSA_HEX.e);
  const big = (hex: string): bigint => BigInt('0x' + hex);
  return { n, e, d: big(FUZZ_RSA_HEX.d), p: big(FUZZ_RSA_HEX.p), q: big(FUZZ_RSA_HEX.q), fingerprint: rsaFingerprint(n, e) };
}

/** Deterministic bytes (for keys and "random" padding that must replay from the input alone). */
export function patternBytes(length: number, seed: number): Uint8Array {
  const next = xorshift(seed * 7919 + 17);
  return Uint8Array.from({ length }, () => next() & 0xff);
}

/** A stateful deterministic random source (each call continues the stream). */
export function streamRandom(seed: number): (length: number) => Uint8Array {
  const next = xorshift(seed * 7919 + 29);
  return (length) => Uint8Array.from({ length }, () => next() & 0xff);
}

export const AUTH_KEY = patternBytes(256, 1);
export const AUTH_KEY_ID = authKeyIdFor(AUTH_KEY, nodeCrypto);
export const SESSION_ID = 0x1122334455667788n;

/** An authentic frame around any plaintext-with-padding (a multiple of 16): the msg_key matches, whatever the fields say. */
export function sealRaw(paddedPlaintext: Uint8Array, x: Direction, authKey = AUTH_KEY, authKeyId = AUTH_KEY_ID): Uint8Array {
  const msgKey = msgKeyFor(authKey, paddedPlaintext, x, nodeCrypto);
  const { key, iv } = deriveAesKeyIv(authKey, msgKey, x, nodeCrypto);
  return concat(authKeyId, msgKey, aesIgeEncrypt(paddedPlaintext, key, iv));
}

function le64(v: bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigInt64(0, BigInt.asIntN(64, v), true);
  return out;
}

/** Plaintext with padding: header fields and data_length sometimes right, sometimes not; total length a multiple of 16. */
const paddedPlaintexts = fc
  .record({
    session: fc.oneof(fc.constant(SESSION_ID), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })),
    bodyLength: fc.oneof(
      fc.nat(64).map((n) => n * 4),
      fc.nat(300),
    ),
    lengthField: fc.oneof(
      { weight: 4, arbitrary: fc.constant(-1) },
      { weight: 1, arbitrary: fc.nat({ max: 0xffffffff }) },
      { weight: 1, arbitrary: fc.constantFrom(0, 4, 0x7ffffffc, 0xfffffffc) },
    ),
    padding: fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 12, max: 27 }) }, { weight: 1, arbitrary: fc.nat(1100) }),
    fill: fc.nat(),
  })
  .map(({ session, bodyLength, lengthField, padding, fill }) => {
    const raw = patternBytes(bodyLength, fill);
    const header = new Uint8Array(32);
    const v = new DataView(header.buffer);
    header.set(patternBytes(8, fill + 1), 0);
    header.set(le64(session), 8);
    header.set(patternBytes(12, fill + 2), 16);
    v.setUint32(28, lengthField === -1 ? bodyLength : lengthField, true);
    const unpadded = 32 + bodyLength + padding;
    const total = unpadded + ((16 - (unpadded % 16)) % 16);
    const out = new Uint8Array(total);
    out.set(header);
    out.set(raw, 32);
    out.set(patternBytes(total - 32 - bodyLength, fill + 3), 32 + bodyLength);
    return out;
  });

/** `options byte | frame`: bit 0 x = 8, bit 1 strip transport padding, bit 2 check the session id, bit 3 quick-ack token. */
const authenticFrames = fc.tuple(fc.nat(15), paddedPlaintexts, fc.nat(15)).map(([options, plain, extra]) => {
  const x: Direction = options & 1 ? 8 : 0;
  return concat(Uint8Array.of(options), sealRaw(plain, x), patternBytes(options & 2 ? extra : 0, extra));
});

const randomFrames = fc
  .tuple(fc.nat(15), randomBytes(300), fc.boolean())
  .map(([options, rest, keyed]) => concat(Uint8Array.of(options), keyed ? AUTH_KEY_ID : new Uint8Array(0), rest));

export const decryptMessageTarget: FuzzTarget = {
  name: 'decrypt-message',
  description:
    'decryptMessage (x = 0 and 8, session check, quick-ack token) on random frames and authentic frames with arbitrary plaintext, mutated',
  cost: 'expensive',
  arbitrary: fc.oneof(
    { weight: 1, arbitrary: randomFrames },
    { weight: 3, arbitrary: authenticFrames },
    { weight: 1, arbitrary: mutated(authenticFrames, [], 2) },
  ),
  run(data) {
    const src = new ByteSource(data);
    const options = src.u8();
    const frame = src.rest();
    const message = checkTyped(() =>
      decryptMessage(AUTH_KEY, AUTH_KEY_ID, frame, options & 1 ? 8 : 0, {
        provider: nodeCrypto,
        ...(options & 4 ? { sessionId: SESSION_ID } : {}),
        quickAckToken: (options & 8) !== 0,
      }),
    );
    if (message && (message.body.length % 4 !== 0 || message.body.length > frame.length - 24 - 32 - 12)) {
      throw new ContractViolation(`accepted a ${message.body.length}-byte body from a ${frame.length}-byte frame`);
    }
    return message;
  },
};

/** SHA1(data) + data + random over 255 bytes, RSA-encrypted: what old clients send. */
function legacyEncrypt(data: Uint8Array, fill: number): Uint8Array {
  const block = new Uint8Array(255);
  block.set(nodeCrypto.sha1(data));
  block.set(data.subarray(0, 235), 20);
  block.set(patternBytes(Math.max(0, 235 - data.length), fill), 20 + Math.min(data.length, 235));
  return bigIntToBytes(nodeCrypto.modPow(bigIntFromBytes(block), FUZZ_RSA_KEY.e, FUZZ_RSA_KEY.n), 256);
}

const rsaInputs = fc.oneof(
  { weight: 1, arbitrary: randomBytes(300) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      new Uint8Array(256).fill(0xff),
      new Uint8Array(256),
      bigIntToBytes(FUZZ_RSA_KEY.n, 256),
      bigIntToBytes(FUZZ_RSA_KEY.n - 1n, 256),
    ),
  },
  {
    weight: 2,
    arbitrary: mutated(
      fc
        .tuple(fc.uint8Array({ maxLength: 144, size: 'max' }), fc.nat())
        .map(([d, f]) => rsaPadEncrypt(d, FUZZ_RSA_KEY, nodeCrypto, streamRandom(f))),
      [],
      2,
    ),
  },
  {
    weight: 2,
    arbitrary: mutated(
      fc.tuple(fc.uint8Array({ maxLength: 235, size: 'max' }), fc.nat()).map(([d, f]) => legacyEncrypt(d, f)),
      [],
      2,
    ),
  },
);

/** The server's own object-length function, then hostile ones (a caller bug must not turn into ours). */
const LENGTHS: ((payload: Uint8Array) => number)[] = [
  (payload) => {
    const r = new TlReader(payload);
    readObject(r);
    return r.pos;
  },
  (payload) => payload[0]! * 2,
  () => Number.NaN,
  () => -5,
  () => 1e12,
  () => {
    throw new TypeError('caller bug');
  },
];

export const rsaDecryptTarget: FuzzTarget = {
  name: 'rsa-decrypt',
  description:
    'server side rsaPadDecrypt and rsaLegacyDecrypt (with the server object-length function and hostile ones) on random, edge and mutated valid blocks',
  cost: 'expensive',
  allocBudget: () => 16 * 1024 * 1024, // two 2048-bit modPows of bigint garbage per input, whatever the input
  arbitrary: fc.tuple(fc.nat(255), rsaInputs).map(([s, b]) => concat(Uint8Array.of(s), b)),
  run(data) {
    const src = new ByteSource(data);
    const lengthFn = LENGTHS[src.u8() % LENGTHS.length]!;
    const encrypted = src.rest();
    const pad = checkTyped(() => rsaPadDecrypt(encrypted, FUZZ_RSA_KEY, nodeCrypto));
    if (pad && pad.length !== 192) throw new ContractViolation(`rsaPadDecrypt returned ${pad.length} bytes`);
    const legacy = checkTyped(() => rsaLegacyDecrypt(encrypted, FUZZ_RSA_KEY, nodeCrypto, lengthFn));
    if (legacy && legacy.length > 235) throw new ContractViolation(`rsaLegacyDecrypt returned ${legacy.length} bytes`);
    return [pad, legacy];
  },
};

export const cryptoTargets: FuzzTarget[] = [decryptMessageTarget, rsaDecryptTarget];
