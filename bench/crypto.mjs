// Crypto cases: AES-256-IGE, SHA-256, 2048-bit modPow and the PQ factorization of the handshake.
import { createDiffieHellman, createHash, randomBytes } from 'node:crypto';
import { assertBytes, defineCase } from './peers.mjs';

const hex = (s) => Uint8Array.from(Buffer.from(s, 'hex'));
const random = (n) => new Uint8Array(randomBytes(n));
const toBig = (u8) => BigInt(`0x${Buffer.from(u8).toString('hex')}`);
const fromBig = (n) => hex(n.toString(16).padStart(512, '0'));

// AES-256-IGE known answer (grammers' verify_ige_encryption: key = iv = plaintext = bytes 0..31).
const counting = Uint8Array.from({ length: 32 }, (_, i) => i);
const igeKnownCipher = hex('e28112a53e5c89c7b1ea8071c133699fd4e86b26c4bac9fc5af1ab8ce27a44a4');
const key = random(32);
const iv = random(32);

function ige(direction, size) {
  const plain = random(size);
  return defineCase({ bytes: size }, ({ crypto }) => {
    const { igeEncrypt: enc, igeDecrypt: dec } = crypto;
    if (!enc || !dec) return undefined;
    assertBytes(enc(counting, counting, counting), igeKnownCipher, 'known answer');
    const cipher = enc(plain, key, iv);
    assertBytes(dec(cipher, key, iv), plain, 'decrypt(encrypt(x))');
    return direction === 'encrypt' ? () => enc(plain, key, iv) : () => dec(cipher, key, iv);
  });
}

function sha256(size) {
  const data = random(size);
  const digest = createHash('sha256').update(data).digest();
  return defineCase({ bytes: size }, ({ crypto: { sha256: hash } }) => {
    if (!hash) return undefined;
    assertBytes(hash(data), digest, 'digest');
    return () => hash(data);
  });
}

// Telegram's 2048-bit DH prime, a 2048-bit base below it and a 2048-bit exponent (as for g^a and g_a^b).
const prime = BigInt(
  '0xc71caeb9c6b1c9048e6c522f70f13f73980d40238e3e21c14934d037563d930f48198a0aa7c14058229493d22530f4dbfa336f6e' +
    '0ac925139543aed44cce7c3720fd51f69458705ac68cd4fe6b6b13abdc9746512969328454f18faf8c595f642477fe96bb2a941d5b' +
    'cd1d4ac8cc49880708fa9b378e3c4f3a9060bee67cf9a4a4a695811051907e162753b56b0f6b410dba74d8a84b2a14b3144e0ef128' +
    '4754fd17ed950d5965b4b9dd46582db1178d169c6bc465b0d6ff9ca3928fef5b9ae4e418fc15e83ebea0f87fa9ff5eed70050ded28' +
    '49f47bf959d956850ce929851f0d8115f635b105ee2e4e15d04b2454bf6f4fadf034b10403119cd8e3b92fcc5b',
);
const base = toBig(randomBytes(256)) % prime;
const exponent = toBig(randomBytes(256)) | (1n << 2047n);

function modPow() {
  const dh = createDiffieHellman(fromBig(prime), fromBig(base));
  dh.setPrivateKey(fromBig(exponent));
  dh.generateKeys();
  const expected = toBig(dh.getPublicKey());
  // generateKeys() caches its result, computeSecret(base) does base^exponent every call.
  const baseBytes = fromBig(base);
  if (toBig(dh.computeSecret(baseBytes)) !== expected) throw new Error('computeSecret is not base^exponent');
  const reference = () => dh.computeSecret(baseBytes);
  return defineCase({ reference }, ({ crypto: { modPow: pow } }) => {
    if (!pow) return undefined;
    if (pow(base, exponent, prime) !== expected) throw new Error('modPow result differs from OpenSSL');
    return () => pow(base, exponent, prime);
  });
}

function factorizePQ() {
  const pq = 0x17ed48941a08f981n;
  return defineCase({}, ({ crypto: { factorizePQ: factorize } }) => {
    if (!factorize) return undefined;
    const [p, q] = factorize(pq).sort((x, y) => (x < y ? -1 : 1));
    if (p !== 0x494c553bn || q !== 0x53911073n) throw new Error(`factors ${p} x ${q}`);
    return () => factorize(pq);
  });
}

export const title = 'Crypto';
export const notes = [
  'IGE: mtcute = @mtcute/wasm ige256 (as its Node crypto provider); ' +
    'gramjs = telegram/crypto/IGE, a new instance per call as gramjs does per message.',
  'SHA-256: mtcute = @mtcute/wasm sha256 (its Node provider would use node:crypto instead); ' + 'gramjs = Helpers.sha256 (node:crypto).',
  'modPow: mtcute = @fuman/utils bigint.modPowBinary (its auth code path); gramjs = Helpers.modExp on big-integer; ' +
    'all checked against OpenSSL. node = node:crypto DiffieHellman.computeSecret(base) with the exponent as private key ' +
    "(OpenSSL's constant-time path; its 300 ms primality check at construction is not timed): this machine's baseline.",
  'PQ: mtcute = BaseCryptoProvider.factorizePQ; gramjs = Factorizator.factorize. Randomized: ops/s is a mean over ' + 'each sample.',
];
export const cases = {
  'aes-ige-encrypt-1KiB': () => ige('encrypt', 1024),
  'aes-ige-decrypt-1KiB': () => ige('decrypt', 1024),
  'aes-ige-encrypt-1MiB': () => ige('encrypt', 1 << 20),
  'aes-ige-decrypt-1MiB': () => ige('decrypt', 1 << 20),
  'sha256-52B': () => sha256(52), // the size of each of the two KDF hashes of every message
  'sha256-1KiB': () => sha256(1024),
  'modpow-2048': () => modPow(),
  'pq-factorize': () => factorizePQ(),
};
