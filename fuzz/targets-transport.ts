/**
 * Transport targets: FrameCodec per framing and side, the client and server codecs (plain and
 * obfuscated, with MTProxy secrets), detectTransport, acceptClientObfuscation and stripPadding. Streams
 * are fed in chunkings chosen by a selector byte (whole, byte by byte, small and larger pieces).
 */
import fc from 'fast-check';
import { nodeCrypto } from '../src/crypto/node.js';
import {
  DEFAULT_MAX_FRAME,
  FrameCodec,
  acceptClientObfuscation,
  createClientCodec,
  createServerCodec,
  detectTransport,
  parseMtproxySecret,
  type ClientCodecOptions,
  type Framing,
  type RandomSource,
  type ServerCodecOptions,
  type Side,
  type TransportEvent,
} from '../src/transport/index.js';
import { stripPadding } from '../src/transport/framing.js';
import { ByteSource, chunked, concat, mutated, randomBytes, selectors, withPrefix, xorshift } from './bytes.js';
import { ContractViolation, checkTyped, type FuzzTarget } from './harness.js';

const FRAMINGS: readonly Framing[] = ['abridged', 'intermediate', 'padded', 'full'];
const MAX_FRAMES = [1024, 64, DEFAULT_MAX_FRAME] as const;
const SECRET = '00112233445566778899aabbccddeeff';

/**
 * Streams are fed in up to one chunk per byte, and each chunk is an object the caller made (a view, a
 * queue slot, an events array): a few hundred bytes of bookkeeping per input byte is the caller's cost,
 * not amplification. What must not happen is memory that follows a length header instead of the input.
 */
const streamBudget = (data: Uint8Array): number => 1024 * 1024 + 1024 * data.length;

/** A deterministic random source: the same seed gives the same padding and obfuscation headers. */
export function seededRandom(seed: number): RandomSource {
  const next = xorshift(seed + 0x51ed);
  return (length) => Uint8Array.from({ length }, () => next() & 0xff);
}

const payloadArb = fc
  .oneof(
    { weight: 5, arbitrary: fc.nat(40).map((n) => n * 4) },
    { weight: 1, arbitrary: fc.constantFrom(0, 4, 8, 20, 24, 252, 256, 504, 508, 512, 1020, 1024, 1028) },
  )
  .chain((len) => fc.uint8Array({ minLength: len, maxLength: len }));

/** What a sender puts on the wire: messages, and from a server also quick acks and transport errors. */
const sendOpsArb = fc.array(
  fc.oneof(
    { weight: 6, arbitrary: fc.record({ kind: fc.constant('frame' as const), payload: payloadArb, quickAck: fc.boolean() }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('ack' as const), token: fc.nat({ max: 0x7fffffff }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('error' as const), code: fc.constantFrom(404, 429, 444, 403, 1, 0x7fffffff) }) },
  ),
  { maxLength: 5 },
);
type SendOp = typeof sendOpsArb extends fc.Arbitrary<(infer T)[]> ? T : never;

/** Encodes what one side sends; operations this side or framing cannot send are skipped. */
function encodeOps(
  ops: readonly SendOp[],
  encode: { frame(p: Uint8Array, q: boolean): Uint8Array; ack?(t: number): Uint8Array; error?(c: number): Uint8Array },
): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const op of ops) {
    try {
      if (op.kind === 'frame') parts.push(encode.frame(op.payload, op.quickAck));
      else if (op.kind === 'ack' && encode.ack) parts.push(encode.ack((op.token | 0x80000000) >>> 0));
      else if (op.kind === 'error' && encode.error) parts.push(encode.error(op.code));
    } catch {
      // not sendable here (quick ack over full, oversize for a small cap): leave it out
    }
  }
  return concat(...parts);
}

/** Decodes every chunk; checks the buffering bound after each call and the payload bound of each frame. */
function feed(
  decode: (c: Uint8Array) => TransportEvent[],
  chunks: Uint8Array[],
  bound?: { buffered(): number; max: number; frame: number },
): TransportEvent[] {
  const events: TransportEvent[] = [];
  for (const chunk of chunks) {
    const got = decode(chunk);
    for (const e of got) {
      if (bound && e.kind === 'frame' && e.payload.length > bound.frame) {
        throw new ContractViolation(`frame payload of ${e.payload.length} bytes above the cap ${bound.frame}`);
      }
      events.push(e);
    }
    if (bound && bound.buffered() > bound.max)
      throw new ContractViolation(`codec holds ${bound.buffered()} bytes, more than header + cap ${bound.max}`);
  }
  return events;
}

function frameTarget(framing: Framing, side: Side): FuzzTarget {
  const sender: Side = side === 'client' ? 'server' : 'client';
  const streams = fc.tuple(fc.constantFrom(0, 1), sendOpsArb).map(([capIndex, ops]) => {
    const codec = new FrameCodec({ framing, side: sender, maxFrame: MAX_FRAMES[capIndex], random: seededRandom(capIndex) });
    return concat(
      Uint8Array.of(capIndex),
      encodeOps(ops, { frame: (p, q) => codec.encode(p, q), ack: (t) => codec.encodeQuickAck(t), error: (c) => codec.encodeError(c) }),
    );
  });
  return {
    name: `frame-${framing}-${side}`,
    description: `FrameCodec ${framing} on the ${side} side: random and mutated framed streams, random chunking`,
    cost: 'cheap',
    allocBudget: streamBudget,
    // byte 0: chunking; byte 1: frame cap; then the stream
    arbitrary: withPrefix(
      selectors(1),
      fc.oneof({ weight: 3, arbitrary: mutated(streams, [], 6, 1024) }, { weight: 1, arbitrary: randomBytes(600) }),
    ),
    run(data) {
      const src = new ByteSource(data);
      const chunkSeed = src.u8();
      const maxFrame = MAX_FRAMES[src.u8() % MAX_FRAMES.length]!;
      const codec = new FrameCodec({ framing, side, maxFrame, random: seededRandom(1) });
      const limit = framing === 'padded' ? maxFrame + 15 : framing === 'full' ? maxFrame + 12 : maxFrame;
      const events = checkTyped(() =>
        feed((c) => codec.decode(c), chunked(src.rest(), chunkSeed), { buffered: () => codec.buffered, max: 4 + limit, frame: limit }),
      );
      checkTyped(() => codec.end());
      return events;
    },
  };
}

/** Client codec options from one selector byte: framing, obfuscation, MTProxy secret, frame cap. */
function clientOptions(selector: number, seed: number): ClientCodecOptions {
  const framing = FRAMINGS[selector & 3]!;
  const obfuscated = (selector & 4) !== 0 && framing !== 'full';
  const secret = selector & 8 ? SECRET : selector & 16 ? 'dd' + SECRET : undefined;
  return {
    framing,
    crypto: nodeCrypto,
    random: seededRandom(seed),
    maxFrame: MAX_FRAMES[(selector >> 5) % 3]!,
    ...(obfuscated ? { obfuscation: { dcId: 2, ...(secret ? { secret } : {}) } } : {}),
  };
}

function serverOptions(selector: number, seed: number): ServerCodecOptions {
  const secret = selector & 8 ? SECRET : selector & 16 ? 'dd' + SECRET : undefined;
  return {
    crypto: nodeCrypto,
    random: seededRandom(seed),
    maxFrame: MAX_FRAMES[(selector >> 5) % 3]!,
    requireObfuscation: (selector & 4) !== 0,
    ...(secret ? { secret } : {}),
  };
}

/** A client's whole stream (init or obfuscation header, then frames). */
const clientStreams = fc.tuple(fc.nat(255), fc.nat(255), sendOpsArb).map(([selector, seed, ops]) => {
  try {
    const client = createClientCodec(clientOptions(selector, seed));
    return concat(client.start(), encodeOps(ops, { frame: (p, q) => client.encode(p, { quickAck: q }) }));
  } catch {
    return new Uint8Array(0);
  }
});

export const codecServer: FuzzTarget = {
  name: 'codec-server',
  description:
    'createServerCodec().decode: detection, obfuscation header (with and without MTProxy secret), every framing; random chunking',
  cost: 'cheap',
  allocBudget: streamBudget,
  // byte 0: chunking; byte 1: server options; byte 2: random seed; then the client's stream
  arbitrary: withPrefix(
    selectors(3),
    fc.oneof({ weight: 3, arbitrary: mutated(clientStreams, [], 6, 1024) }, { weight: 1, arbitrary: randomBytes(600) }),
  ),
  run(data) {
    const src = new ByteSource(data);
    const chunkSeed = src.u8();
    const options = serverOptions(src.u8(), src.u8());
    const server = createServerCodec(options);
    const events = checkTyped(() => feed((c) => server.decode(c), chunked(src.rest(), chunkSeed)));
    checkTyped(() => server.end());
    return events;
  },
};

/** What a server sends to the client that `selector`/`seed` make: built by a server codec that read the client's start(). */
const serverStreams = fc.tuple(fc.nat(255), fc.nat(255), sendOpsArb).map(([selector, seed, ops]) => {
  try {
    const options = clientOptions(selector, seed);
    const client = createClientCodec(options);
    const secret = options.obfuscation?.secret;
    const server = createServerCodec({ crypto: nodeCrypto, random: seededRandom(7), ...(secret !== undefined ? { secret } : {}) });
    server.decode(client.start());
    const stream = encodeOps(ops, {
      frame: (p) => server.encode(p),
      ack: (t) => server.encodeQuickAck(t),
      error: (c) => server.encodeError(c),
    });
    return concat(Uint8Array.of(selector, seed), stream);
  } catch {
    return Uint8Array.of(selector, seed);
  }
});

export const codecClient: FuzzTarget = {
  name: 'codec-client',
  description: 'createClientCodec().decode (plain and obfuscated, MTProxy secrets, every framing): server streams, random and mutated',
  cost: 'cheap',
  allocBudget: streamBudget,
  // byte 0: chunking; byte 1: client options; byte 2: random seed; then the server's stream
  arbitrary: withPrefix(
    selectors(1),
    fc.oneof({ weight: 3, arbitrary: mutated(serverStreams, [], 6, 1024) }, { weight: 1, arbitrary: randomBytes(600) }),
  ),
  run(data) {
    const src = new ByteSource(data);
    const chunkSeed = src.u8();
    const options = clientOptions(src.u8(), src.u8());
    const client = checkTyped(() => createClientCodec(options));
    if (!client) return undefined;
    client.start();
    const events = checkTyped(() => feed((c) => client.decode(c), chunked(src.rest(), chunkSeed)));
    checkTyped(() => client.end());
    return events;
  },
};

export const transportMisc: FuzzTarget = {
  name: 'transport-misc',
  description: 'detectTransport, acceptClientObfuscation (no secret, secret, dd secret) and stripPadding on random and mutated bytes',
  cost: 'cheap',
  arbitrary: fc.oneof(randomBytes(128), mutated(clientStreams.map((s) => s.subarray(0, 96)))),
  run(data) {
    const out: unknown[] = [detectTransport(data)];
    const header = data.subarray(0, 64);
    out.push(checkTyped(() => acceptClientObfuscation(header, nodeCrypto)));
    out.push(checkTyped(() => acceptClientObfuscation(header, nodeCrypto, parseMtproxySecret(SECRET))));
    out.push(checkTyped(() => acceptClientObfuscation(header, nodeCrypto, parseMtproxySecret('dd' + SECRET))));
    const stripped = checkTyped(() => stripPadding(data));
    if (stripped && (stripped.length > data.length || stripped.length < 20))
      throw new ContractViolation(`stripPadding returned ${stripped.length} of ${data.length} bytes`);
    out.push(stripped);
    return out;
  },
};

export const transportTargets: FuzzTarget[] = [
  ...FRAMINGS.flatMap((framing) => (['client', 'server'] as const).map((side) => frameTarget(framing, side))),
  codecServer,
  codecClient,
  transportMisc,
];
