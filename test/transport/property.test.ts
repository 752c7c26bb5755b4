import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nodeCrypto } from '../../src/crypto/node.js';
import { createServerCodec } from '../../src/transport/codec.js';
import { FramingError } from '../../src/transport/errors.js';
import { FrameCodec } from '../../src/transport/framing.js';
import type { Framing, TransportEvent } from '../../src/transport/framing.js';
import { FRAMINGS, MODES, carriedLength, codecPair, concat, digest, modeName, payloadsOf } from './helpers.js';
import { xorshiftBytes } from '../helpers.js';

/** Splits bytes at arbitrary positions: empty chunks, single bytes, several frames per chunk. */
function rechunk(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const point of [...points, bytes.length]) {
    chunks.push(bytes.subarray(start, point));
    start = point;
  }
  return chunks;
}

/**
 * Payload lengths: multiples of 4 up to 70000, biased towards short ones. Frames a client receives
 * start at 24 bytes (no MTProto message is shorter; shorter server frames are acks and errors), and
 * so do padded ones in both directions, which take MTProto message lengths (carriedLength).
 */
const payloadArb = (framing: Framing, minLength: number) =>
  fc.record({
    length: fc
      .oneof(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 17500 }))
      .map((words) => carriedLength(framing, Math.max(words * 4, minLength))),
    seed: fc.integer(),
    quickAck: fc.boolean(),
  });

const cutsArb = fc.array(fc.nat(), { maxLength: 60 });

describe.each(MODES.map((mode) => [modeName(mode), mode] as const))('%s under random chunking', (_name, { framing, obfuscated }) => {
  const ackable = framing !== 'full';
  const toServerMin = framing === 'padded' ? 24 : 0;

  it('client → server: every payload (and quick-ack flag) comes out whole and in order', () => {
    fc.assert(
      fc.property(fc.array(payloadArb(framing, toServerMin), { minLength: 1, maxLength: 6 }), cutsArb, (specs, cuts) => {
        const { client, server } = codecPair(framing, obfuscated);
        const payloads = specs.map((spec) => xorshiftBytes(spec.length, spec.seed));
        const wire = concat(specs.map((spec, i) => client.encode(payloads[i]!, { quickAck: ackable && spec.quickAck })));
        const events = rechunk(wire, cuts).flatMap((chunk) => server.decode(chunk));
        expect(digest(payloadsOf(events))).toEqual(digest(payloads));
        expect(events.map((event) => event.kind === 'frame' && event.quickAck)).toEqual(specs.map((spec) => ackable && spec.quickAck));
        server.end();
      }),
      { numRuns: 100 },
    );
  });

  it('server → client: frames, quick acks and errors interleaved', () => {
    const itemArb = fc.oneof(
      { weight: 4, arbitrary: payloadArb(framing, 24).map((spec) => ({ kind: 'frame' as const, ...spec })) },
      {
        weight: ackable ? 1 : 0,
        arbitrary: fc.integer({ min: 0x80000000, max: 0xffffffff }).map((token) => ({ kind: 'quickAck' as const, token })),
      },
      { weight: 1, arbitrary: fc.constantFrom(404, 429, 444, 403).map((code) => ({ kind: 'error' as const, code })) },
    );
    fc.assert(
      fc.property(fc.array(itemArb, { minLength: 1, maxLength: 6 }), cutsArb, (items, cuts) => {
        const { client, server } = codecPair(framing, obfuscated);
        const expected: TransportEvent[] = items.map((item) =>
          item.kind === 'frame' ? { kind: 'frame', payload: xorshiftBytes(item.length, item.seed), quickAck: false } : item,
        );
        const wire = concat(
          expected.map((event) => {
            if (event.kind === 'frame') return server.encode(event.payload);
            return event.kind === 'quickAck' ? server.encodeQuickAck(event.token) : server.encodeError(event.code);
          }),
        );
        const events = rechunk(wire, cuts).flatMap((chunk) => client.decode(chunk));
        // Compare frames by digest, acks and errors as they are.
        const comparable = (list: TransportEvent[]) => list.map((event) => (event.kind === 'frame' ? digest([event.payload])[0] : event));
        expect(comparable(events)).toEqual(comparable(expected));
        client.end();
      }),
      { numRuns: 100 },
    );
  });
});

it('one byte at a time, mixed sizes, every mode', () => {
  for (const { framing, obfuscated } of MODES) {
    const { client, server } = codecPair(framing, obfuscated);
    const payloads = [24, 508, 20000, 24, 4096].map((length) => xorshiftBytes(carriedLength(framing, length), length));
    const wire = concat(payloads.map((payload) => client.encode(payload)));
    const events: TransportEvent[] = [];
    for (let i = 0; i < wire.length; i++) events.push(...server.decode(wire.subarray(i, i + 1)));
    expect(digest(payloadsOf(events))).toEqual(digest(payloads));
  }
});

it('a decoder holds at most one unfinished frame (header + cap), whatever the chunking', () => {
  const maxFrame = 4096;
  fc.assert(
    fc.property(
      fc.constantFrom(...FRAMINGS),
      fc.array(fc.integer({ min: 0, max: 1024 }), { minLength: 1, maxLength: 8 }),
      cutsArb,
      (framing, words, cuts) => {
        const random = (n: number) => new Uint8Array(n).fill(15);
        const sender = new FrameCodec({ framing, side: 'client', maxFrame, random });
        const receiver = new FrameCodec({ framing, side: 'server', maxFrame, random });
        const wire = concat(words.map((count) => sender.encode(xorshiftBytes(count * 4, count))));
        let frames = 0;
        for (const chunk of rechunk(wire, cuts)) {
          frames += receiver.decode(chunk).length;
          expect(receiver.buffered).toBeLessThan(maxFrame + 15 + 12);
        }
        expect([frames, receiver.buffered]).toEqual([words.length, 0]);
      },
    ),
    { numRuns: 200 },
  );
});

describe('arbitrary bytes never escape as anything but FramingError', () => {
  const garbage = fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 8 });

  const survives = (decode: (chunk: Uint8Array) => unknown, chunks: Uint8Array[]): void => {
    try {
      for (const chunk of chunks) decode(chunk);
    } catch (error) {
      expect(error).toBeInstanceOf(FramingError);
    }
  };

  it('server codec from the first byte', () => {
    fc.assert(
      fc.property(garbage, (chunks) => {
        const server = createServerCodec({ crypto: nodeCrypto, maxFrame: 4096 });
        survives((chunk) => server.decode(chunk), chunks);
      }),
      { numRuns: 300 },
    );
  });

  it.each(
    FRAMINGS.flatMap(
      (framing) =>
        [
          [framing, 'client'],
          [framing, 'server'],
        ] as const,
    ),
  )('%s %s decoder', (framing, side) => {
    fc.assert(
      fc.property(garbage, (chunks) => {
        const codec = new FrameCodec({ framing, side, maxFrame: 4096, random: (n) => new Uint8Array(n) });
        survives((chunk) => codec.decode(chunk), chunks);
      }),
      { numRuns: 200 },
    );
  });
});
