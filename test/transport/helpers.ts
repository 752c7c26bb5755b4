import { nodeCrypto } from '../../src/crypto/node.js';
import { createClientCodec, createServerCodec } from '../../src/transport/codec.js';
import type { ClientCodec, ServerCodec } from '../../src/transport/codec.js';
import type { Framing, TransportEvent } from '../../src/transport/framing.js';

export const FRAMINGS: Framing[] = ['abridged', 'intermediate', 'padded', 'full'];

/** Every framing × {plain, obfuscated} that exists (full has no obfuscation tag). */
export const MODES: Array<{ framing: Framing; obfuscated: boolean }> = FRAMINGS.flatMap<{ framing: Framing; obfuscated: boolean }>(
  (framing) =>
    framing === 'full'
      ? [{ framing, obfuscated: false }]
      : [
          { framing, obfuscated: false },
          { framing, obfuscated: true },
        ],
);

export const modeName = ({ framing, obfuscated }: { framing: Framing; obfuscated: boolean }): string =>
  `${framing}${obfuscated ? '+obfuscated' : ''}`;

/** A client codec and a server codec that has already read the client's init bytes. */
export function codecPair(framing: Framing, obfuscated: boolean, maxFrame?: number): { client: ClientCodec; server: ServerCodec } {
  const client = createClientCodec({
    framing,
    obfuscation: obfuscated ? { dcId: 2 } : undefined,
    crypto: nodeCrypto,
    maxFrame,
  });
  const server = createServerCodec({ crypto: nodeCrypto, maxFrame });
  const early = server.decode(client.start());
  if (framing === 'full') {
    // No init bytes: the server recognises the full transport from its first packet (seq 0), and
    // cannot send before that. Spend it here so both sides are ready.
    early.push(...server.decode(client.encode(new Uint8Array(0))));
    early.shift();
  }
  if (early.length !== 0 || server.framing !== framing) throw new Error('handshake failed');
  return { client, server };
}

/** Frame payloads as the codec gives them (padded framing's random tail already cut off). */
export function payloadsOf(events: TransportEvent[]): Uint8Array[] {
  return events.map((event) => {
    if (event.kind !== 'frame') throw new Error(`unexpected ${event.kind} event`);
    return event.payload;
  });
}

/**
 * A payload length near `length` that the framing carries exactly. Padded frames hold MTProto
 * messages, and only their layout tells the codec where the random padding starts: a payload whose
 * first 8 bytes are not all zero reads as an encrypted message, 24 bytes plus a multiple of 16.
 */
export function carriedLength(framing: Framing, length: number): number {
  return framing === 'padded' ? 24 + Math.ceil(Math.max(length - 24, 0) / 16) * 16 : length;
}

export const pattern = (length: number, seed = 0): Uint8Array => Uint8Array.from({ length }, (_, i) => (i * 31 + seed) & 0xff);

/**
 * Payload lists as comparable strings: deep equality over 70 kB typed arrays is slow in vitest, and a
 * mismatch still shows which frame differs.
 */
export const digest = (payloads: Uint8Array[]): string[] =>
  payloads.map((payload) => `${payload.length}:${Buffer.from(payload.buffer, payload.byteOffset, payload.length).toString('base64')}`);

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
