import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createWasmSha256 } from '../../src/crypto/sha256-wasm.js';
import { generateSha256Module, Layout } from '../../src/crypto/sha256-wasm-gen.js';
import { fixtureJson, toHex, xorshiftBytes } from '../helpers.js';
import { PROVIDERS } from './helpers.js';

interface KnownAnswer {
  name: string;
  ascii?: string;
  repeat?: { char: string; count: number };
  digest: string;
}
const knownAnswers = (fixtureJson('sha256-fips180.json') as { vectors: KnownAnswer[] }).vectors;
const messageOf = (v: KnownAnswer): Uint8Array => new TextEncoder().encode(v.repeat ? v.repeat.char.repeat(v.repeat.count) : v.ascii!);

const reference = (parts: readonly Uint8Array[]): string => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex');
};

/** 0..4096 bytes cut at random points into parts (empty parts included). */
const partedMessage = fc
  .tuple(fc.integer({ min: 0, max: 4096 }), fc.integer(), fc.array(fc.nat(), { maxLength: 6 }))
  .map(([length, seed, cuts]) => {
    const data = xorshiftBytes(length, seed);
    const at = [0, ...cuts.map((c) => c % (length + 1)).sort((a, b) => a - b), length];
    return at.slice(1).map((end, i) => data.subarray(at[i], end));
  });

const wasm = createWasmSha256();
const implementations: [string, (parts: readonly Uint8Array[]) => Uint8Array][] = [
  ['the WebAssembly SHA-256', wasm],
  ...PROVIDERS.map((p): [string, (parts: readonly Uint8Array[]) => Uint8Array] => [
    `the ${p.name} provider`,
    (parts) => p.sha256(...parts),
  ]),
];

describe.each(implementations)('%s', (_, sha256) => {
  it.each(knownAnswers)('FIPS 180 known answer: $name', (v) => {
    expect(toHex(sha256([messageOf(v)]))).toBe(v.digest);
  });

  it('agrees with node:crypto on 0..4096 bytes in random parts', () => {
    fc.assert(
      fc.property(partedMessage, (parts) => {
        expect(toHex(sha256(parts))).toBe(reference(parts));
      }),
      { numRuns: 300 },
    );
  });

  it('agrees with node:crypto at every padding boundary (55/56 and 119/120 bytes) and across the 64 KiB input chunk', () => {
    for (const length of [55, 56, 63, 64, 65, 118, 119, 120, Layout.CHUNK - 1, Layout.CHUNK, Layout.CHUNK + 1, 3 * Layout.CHUNK + 57]) {
      const data = xorshiftBytes(length, length);
      expect(toHex(sha256([data])), `${length} bytes`).toBe(reference([data]));
      // The same bytes in parts that straddle the chunk boundary.
      const third = Math.floor(length / 3);
      const parts = [data.subarray(0, third), data.subarray(third, 2 * third), data.subarray(2 * third)];
      expect(toHex(sha256(parts)), `${length} bytes in 3 parts`).toBe(reference([data]));
    }
  });
});

describe('the WebAssembly SHA-256 module', () => {
  it('is a valid module under 4 KB (the sync-compile limit on browser main threads)', () => {
    const bytes = generateSha256Module();
    // The WebAssembly global is not in this project's TypeScript libs (see ../../src/base/wasm/instantiate.ts).
    const api = (globalThis as unknown as { WebAssembly: { validate(b: Uint8Array): boolean } }).WebAssembly;
    expect(api.validate(bytes)).toBe(true);
    expect(bytes.length).toBeLessThan(4096);
  });

  it('returns a digest the next call does not overwrite', () => {
    const first = wasm([new TextEncoder().encode('abc')]);
    wasm([xorshiftBytes(1000, 1)]);
    expect(toHex(first)).toBe(knownAnswers[1]!.digest);
  });
});

describe('without WebAssembly', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.resetModules();
  });

  it('both providers fall back (node:crypto, @noble/hashes) with the same digests', async () => {
    vi.stubGlobal('WebAssembly', undefined);
    vi.resetModules();
    const { nodeCrypto } = await import('../../src/crypto/node.js');
    const { portableCrypto } = await import('../../src/crypto/portable.js');
    const { wasmSha256 } = await import('../../src/crypto/sha256-wasm.js');
    expect(wasmSha256()).toBeNull();
    for (const length of [0, 52, 119, 120, 5000]) {
      const data = xorshiftBytes(length, 7);
      expect(toHex(nodeCrypto.sha256(data)), `node, ${length} bytes`).toBe(reference([data]));
      expect(toHex(portableCrypto.sha256(data.subarray(0, 3), data.subarray(3))), `portable, ${length} bytes`).toBe(reference([data]));
    }
  });
});
