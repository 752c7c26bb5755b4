import { createCipheriv, createDecipheriv } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MtwireError } from '../../src/base/errors.js';
import { decryptBlockWords, encryptBlockWords, expandKey, invertKey } from '../../src/crypto/aes-core.js';
import { aesIgeDecrypt, aesIgeEncrypt, createAesIge, CryptoInputError, igeBackends, type IgeBackend } from '../../src/crypto/ige.js';
import { IGE_CBC_MIN_BYTES, igeEncryptCbc } from '../../src/crypto/ige-cbc.js';
import { generateIgeModule } from '../../src/crypto/ige-wasm-gen.js';
import { fixtureJson, fromHex, toHex } from '../helpers.js';

interface IgeVector {
  name: string;
  key: string;
  iv: string;
  plaintext?: string;
  ciphertext?: string;
  decrypt_input?: string;
  decrypt_output?: string;
}

const vectors = fixtureJson<{ vectors: IgeVector[] }>('aes-ige.json').vectors;

if (!igeBackends.wasm) throw new Error('the WebAssembly IGE backend failed to load under Node');
const backends: IgeBackend[] = [igeBackends.wasm, igeBackends.portable];

/** The slow reference: IGE chained by hand around one node:crypto ECB call per block. */
function referenceIge(decrypt: boolean, data: Uint8Array, key: Uint8Array, iv: Uint8Array): Uint8Array {
  const algorithm = key.length === 32 ? 'aes-256-ecb' : 'aes-128-ecb';
  const out = new Uint8Array(data.length);
  // y = previous output block, x = previous input block.
  let y = iv.slice(decrypt ? 16 : 0, decrypt ? 32 : 16);
  let x = iv.slice(decrypt ? 0 : 16, decrypt ? 16 : 32);
  // ECB without padding: every 16-byte update comes straight back as one transformed block.
  const cipher = decrypt ? createDecipheriv(algorithm, key, null) : createCipheriv(algorithm, key, null);
  cipher.setAutoPadding(false);
  for (let off = 0; off < data.length; off += 16) {
    const block = data.slice(off, off + 16);
    const f = cipher.update(block.map((b, i) => b ^ y[i]!));
    for (let i = 0; i < 16; i++) out[off + i] = f[i]! ^ x[i]!;
    y = out.slice(off, off + 16);
    x = block;
  }
  return out;
}

/** Byte equality via hex: vitest's deep equality walks typed arrays element by element (slow at 200 KiB). */
function expectSame(actual: Uint8Array, expected: Uint8Array): void {
  expect(toHex(actual)).toBe(toHex(expected));
}

const bytes = (min: number, max: number) => fc.uint8Array({ minLength: min, maxLength: max });
const key = fc.oneof(bytes(32, 32), bytes(16, 16));
const iv = bytes(32, 32);
/**
 * Whole blocks, 0..4 KiB, filled from a seed: fast-check builds long arrays element by element, which
 * made these properties many times slower without finding anything more.
 */
const data = fc.tuple(fc.integer({ min: 0, max: 256 }), fc.integer()).map(([blocks, seed]) => {
  const out = new Uint8Array(16 * blocks);
  let x = seed | 1;
  for (let i = 0; i < out.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x;
  }
  return out;
});

describe('AES core (FIPS-197 appendix C)', () => {
  const plain = fromHex('00112233445566778899aabbccddeeff');
  it.each([
    ['AES-128', '000102030405060708090a0b0c0d0e0f', '69c4e0d86a7b0430d8cdb78070b4c55a'],
    ['AES-256', '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', '8ea2b7ca516745bfeafc49904b496089'],
  ])('%s block encrypt and decrypt', (_, keyHex, cipherHex) => {
    const ek = expandKey(fromHex(keyHex));
    const words = new Int32Array(plain.slice().buffer);
    encryptBlockWords(ek, words, 0, words, 0);
    expect(toHex(new Uint8Array(words.buffer))).toBe(cipherHex);
    decryptBlockWords(invertKey(ek), words, 0, words, 0);
    expect(toHex(new Uint8Array(words.buffer))).toBe(toHex(plain));
  });
});

describe.each(backends.map((b) => [b.name, b] as const))('AES-IGE, %s backend', (_, backend) => {
  it.each(vectors.map((v) => [v.name, v] as const))('vector %s', (_, v) => {
    const k = fromHex(v.key);
    const i = fromHex(v.iv);
    const keyed = backend.create(k);
    if (v.plaintext !== undefined && v.ciphertext !== undefined) {
      expect(toHex(backend.encrypt(fromHex(v.plaintext), k, i))).toBe(v.ciphertext);
      expect(toHex(backend.decrypt(fromHex(v.ciphertext), k, i))).toBe(v.plaintext);
      expect(toHex(keyed.encrypt(fromHex(v.plaintext), i))).toBe(v.ciphertext);
      expect(toHex(keyed.decrypt(fromHex(v.ciphertext), i))).toBe(v.plaintext);
    } else {
      expect(toHex(backend.decrypt(fromHex(v.decrypt_input!), k, i))).toBe(v.decrypt_output);
      expect(toHex(keyed.decrypt(fromHex(v.decrypt_input!), i))).toBe(v.decrypt_output);
      expect(toHex(backend.encrypt(fromHex(v.decrypt_output!), k, i))).toBe(v.decrypt_input);
    }
  });

  it('decrypt(encrypt(x)) == x', () => {
    fc.assert(
      fc.property(data, key, iv, (d, k, i) => {
        expectSame(backend.decrypt(backend.encrypt(d, k, i), k, i), d);
      }),
      { numRuns: 200 },
    );
  });

  it('matches IGE built from node:crypto ECB block calls', () => {
    fc.assert(
      fc.property(data, key, iv, fc.boolean(), (d, k, i, decrypt) => {
        const ours = decrypt ? backend.decrypt(d, k, i) : backend.encrypt(d, k, i);
        expectSame(ours, referenceIge(decrypt, d, k, i));
      }),
      { numRuns: 60 },
    );
  });

  it('cached-key form equals the one-shot form', () => {
    fc.assert(
      fc.property(data, key, iv, (d, k, i) => {
        const keyed = backend.create(k);
        expectSame(keyed.encrypt(d, i), backend.encrypt(d, k, i));
        expectSame(keyed.decrypt(d, i), backend.decrypt(d, k, i));
      }),
      { numRuns: 100 },
    );
  });

  it('chains across the WebAssembly chunk size (64 KiB) and beyond', () => {
    const k = new Uint8Array(32).map((_, i) => i * 7 + 1);
    const i = new Uint8Array(32).map((_, j) => 255 - j);
    for (const length of [65536 - 16, 65536, 65536 + 16, 3 * 65536 + 48]) {
      const d = new Uint8Array(length).map((_, j) => (j * 31) ^ (j >>> 8));
      const c = backend.encrypt(d, k, i);
      expectSame(c, referenceIge(false, d, k, i));
      expectSame(backend.decrypt(c, k, i), d);
      expectSame(backend.create(k).decrypt(c, i), d);
      // In place across chunks: each chunk's output overwrites only the input that chunk has already read.
      const inPlace = d.slice();
      backend.encrypt(inPlace, k, i, inPlace);
      expectSame(inPlace, c);
      backend.decrypt(inPlace, k, i, inPlace);
      expectSame(inPlace, d);
    }
  });

  it('leaves its inputs untouched and returns fresh arrays', () => {
    fc.assert(
      fc.property(data, key, iv, fc.boolean(), (d, k, i, decrypt) => {
        const copies = [d.slice(), k.slice(), i.slice()];
        const run = () => (decrypt ? backend.decrypt(d, k, i) : backend.create(k).encrypt(d, i));
        const first = run();
        const firstCopy = first.slice();
        run(); // a second call reuses internal buffers; the first result must not change
        [d, k, i].forEach((input, n) => expectSame(input, copies[n]!));
        expectSame(first, firstCopy);
        expect(first.byteOffset).toBe(0);
        expect(first.buffer.byteLength).toBe(d.length);
      }),
      { numRuns: 50 },
    );
  });

  it('writes into a given array, the input itself included, with the same bytes as a fresh result', () => {
    fc.assert(
      fc.property(data, key, iv, fc.boolean(), (d, k, i, decrypt) => {
        const run = (into?: Uint8Array) => (decrypt ? backend.decrypt(d, k, i, into) : backend.encrypt(d, k, i, into));
        const expected = run();
        const out = new Uint8Array(d.length);
        expect(run(out)).toBe(out);
        expectSame(out, expected);
        const original = d.slice();
        const inPlace = decrypt ? backend.decrypt(d, k, i, d) : backend.encrypt(d, k, i, d);
        expect(inPlace).toBe(d);
        expectSame(d, expected);
        d.set(original);
      }),
      { numRuns: 100 },
    );
  });

  it('accepts views at any offset (e.g. pooled Buffers)', () => {
    const k = new Uint8Array(32).fill(9);
    const i = new Uint8Array(32).fill(3);
    const d = new Uint8Array(64).map((_, j) => j);
    const backing = new Uint8Array(3 + 32 + 32 + 64);
    const kv = backing.subarray(3, 35);
    const iv2 = backing.subarray(35, 67);
    const dv = backing.subarray(67);
    kv.set(k);
    iv2.set(i);
    dv.set(d);
    expectSame(backend.encrypt(dv, kv, iv2), backend.encrypt(d, k, i));
    expectSame(backend.encrypt(Buffer.from(d), Buffer.from(k), Buffer.from(i)), backend.encrypt(d, k, i));
  });

  it('rejects bad lengths with CryptoInputError', () => {
    const k = new Uint8Array(32);
    const i = new Uint8Array(32);
    const d = new Uint8Array(32);
    const bad: [string, () => unknown][] = [
      ['data 15', () => backend.encrypt(new Uint8Array(15), k, i)],
      ['data 17', () => backend.decrypt(new Uint8Array(17), k, i)],
      ['key 24', () => backend.encrypt(d, new Uint8Array(24), i)],
      ['key 0', () => backend.decrypt(d, new Uint8Array(0), i)],
      ['key 33', () => backend.create(new Uint8Array(33))],
      ['iv 16', () => backend.encrypt(d, k, new Uint8Array(16))],
      ['iv 33', () => backend.decrypt(d, k, new Uint8Array(33))],
      ['keyed data 8', () => backend.create(k).encrypt(new Uint8Array(8), i)],
      ['keyed iv 0', () => backend.create(k).decrypt(d, new Uint8Array(0))],
      ['not bytes', () => backend.encrypt([1, 2] as unknown as Uint8Array, k, i)],
      ['output 16 for data 32', () => backend.encrypt(d, k, i, new Uint8Array(16))],
      ['output 48 for data 32', () => backend.decrypt(d, k, i, new Uint8Array(48))],
    ];
    for (const [what, fn] of bad) {
      let caught: unknown;
      try {
        fn();
      } catch (error) {
        caught = error;
      }
      expect(caught, what).toBeInstanceOf(CryptoInputError);
      expect(caught, what).toBeInstanceOf(MtwireError);
      expect((caught as MtwireError).code, what).toBe('CRYPTO_INPUT');
    }
  });

  it('handles empty input', () => {
    const k = new Uint8Array(32);
    const i = new Uint8Array(32);
    expectSame(backend.encrypt(new Uint8Array(0), k, i), new Uint8Array(0));
    expectSame(backend.decrypt(new Uint8Array(0), k, i), new Uint8Array(0));
  });
});

describe('AES-IGE public API', () => {
  it('generates a valid WebAssembly module under 4 KB (the sync-compile limit on browser main threads)', () => {
    const bytes = generateIgeModule();
    // The WebAssembly global is not in this project's TypeScript libs (see ../../src/crypto/ige-wasm.ts).
    const wasm = (globalThis as unknown as { WebAssembly: { validate(b: Uint8Array): boolean } }).WebAssembly;
    expect(wasm.validate(bytes)).toBe(true);
    expect(bytes.length).toBeLessThan(4096);
  });

  it('uses the WebAssembly backend under Node and agrees with the portable one', () => {
    fc.assert(
      fc.property(data, key, iv, (d, k, i) => {
        const c = aesIgeEncrypt(d, k, i);
        expectSame(c, igeBackends.wasm!.encrypt(d, k, i));
        expectSame(c, igeBackends.portable.encrypt(d, k, i));
        expectSame(aesIgeDecrypt(c, k, i), d);
        expectSame(igeBackends.portable.decrypt(c, k, i), d);
        expectSame(createAesIge(k).decrypt(c, i), d);
      }),
      { numRuns: 200 },
    );
  });
});

describe('AES-IGE encryption as one AES-CBC call (long inputs under Node)', () => {
  const cbc = igeEncryptCbc();
  if (!cbc) throw new Error('node:crypto should be reachable through process.getBuiltinModule');

  it('passes every encryption vector, including the one- and two-block IV edge cases', () => {
    for (const v of vectors.filter((x) => x.plaintext !== undefined)) {
      expectSame(cbc(fromHex(v.plaintext!), fromHex(v.key), fromHex(v.iv)), fromHex(v.ciphertext!));
    }
  });

  it('equals IGE chained block by block, for any length, key size and IV', () => {
    fc.assert(
      fc.property(data, key, iv, (d, k, i) => {
        expectSame(cbc(d, k, i), referenceIge(false, d, k, i));
      }),
      { numRuns: 100 },
    );
  });

  it('reads unaligned views and leaves its inputs untouched', () => {
    const backing = new Uint8Array(IGE_CBC_MIN_BYTES + 3 * 16 + 3).map((_, i) => i * 31);
    const view = backing.subarray(3, 3 + IGE_CBC_MIN_BYTES + 48);
    const k = new Uint8Array(32).fill(7);
    const ivBacking = new Uint8Array(33).map((_, i) => i);
    const unalignedIv = ivBacking.subarray(1);
    const before = toHex(backing);
    const out = cbc(view, k, unalignedIv);
    expect(toHex(backing)).toBe(before);
    expectSame(out, igeBackends.wasm!.encrypt(view.slice(), k, unalignedIv.slice()));
  });

  it('writes into a given array (the input itself, another, an unaligned one) with the bytes of a fresh result', () => {
    fc.assert(
      fc.property(data, key, iv, fc.integer({ min: 0, max: 3 }), (d, k, i, offset) => {
        const expected = referenceIge(false, d, k, i);
        const inPlace = d.slice();
        expect(cbc(inPlace, k, i, inPlace)).toBe(inPlace);
        expectSame(inPlace, expected);
        const into = new Uint8Array(offset + d.length).subarray(offset);
        expect(cbc(d, k, i, into)).toBe(into);
        expectSame(into, expected);
      }),
      { numRuns: 100 },
    );
  });

  it('is what aesIgeEncrypt and createAesIge use from IGE_CBC_MIN_BYTES up, with the same results', () => {
    const d = new Uint8Array((1 << 20) + 16).map((_, i) => (i * 131) >>> 3);
    const k = new Uint8Array(32).map((_, i) => 255 - i);
    const i = new Uint8Array(32).map((_, j) => j * 3);
    const expected = igeBackends.wasm!.encrypt(d, k, i);
    expectSame(aesIgeEncrypt(d, k, i), expected);
    const keyed = createAesIge(k);
    k.fill(0); // the keyed form keeps its own copy of the key
    expectSame(keyed.encrypt(d, i), expected);
    expectSame(keyed.decrypt(expected, i), d);
    expect(() => aesIgeEncrypt(d.subarray(8), k, i)).toThrow(CryptoInputError);
    expect(() => aesIgeEncrypt(d, k.subarray(1), i)).toThrow(CryptoInputError);
  });
});
