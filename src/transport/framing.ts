import { crc32 } from '../base/crc32.js';
import { claimRoom } from '../base/room.js';
import { ByteQueue } from './byte-queue.js';
import { readUint32LE, writeUint32LE } from './bytes.js';
import { FramingError } from './errors.js';

/**
 * The four MTProto transport framings (spec §2). One FrameCodec handles one direction pair of one
 * connection: it encodes what its side sends and decodes, from bytes in any chunking, what the other
 * side sends. Client and server share every rule; `side` only selects the few asymmetries (a client
 * asks for quick acks, a server answers them and reports transport errors).
 */
export type Framing = 'abridged' | 'intermediate' | 'padded' | 'full';

/** Which end of the connection the codec runs at. */
export type Side = 'client' | 'server';

export type TransportEvent =
  /** One MTProto message. `quickAck` (server side only) means the client asked for a quick ack. */
  | { kind: 'frame'; payload: Uint8Array; quickAck: boolean }
  /** The server's quick ack: the token (≥ 0x80000000) of a message the client sent with quickAck. */
  | { kind: 'quickAck'; token: number }
  /** The server's transport error, as a positive code: 404, 429, 444, 403. */
  | { kind: 'error'; code: number };

/** Sources of padding bytes and obfuscation headers; injected so tests are deterministic. */
export type RandomSource = (length: number) => Uint8Array;

export const DEFAULT_MAX_FRAME = 16 * 1024 * 1024;

/** Abridged lengths are 3-byte word counts; the cap also keeps every length inside int32. */
const MAX_FRAME_LIMIT = 0xffffff * 4;

/**
 * The shortest MTProto message is 24 bytes (plain: auth_key_id, msg_id, length, constructor). A padded
 * frame shorter than that can only be a quick ack or a transport error followed by padding.
 */
const MIN_MESSAGE_LENGTH = 24;

/** Bytes a client sends once, in clear, before its first frame when not obfuscated. */
export function plainInitBytes(framing: Framing): Uint8Array {
  switch (framing) {
    case 'abridged':
      return Uint8Array.of(0xef);
    case 'intermediate':
      return Uint8Array.of(0xee, 0xee, 0xee, 0xee);
    case 'padded':
      return Uint8Array.of(0xdd, 0xdd, 0xdd, 0xdd);
    case 'full':
      return new Uint8Array(0);
  }
}

export interface FrameCodecOptions {
  framing: Framing;
  side: Side;
  /** Largest payload accepted or sent, in bytes (default 16 MiB). Checked before any allocation. */
  maxFrame?: number;
  /** Needed by the padded framing only (random padding). */
  random?: RandomSource;
  /**
   * Largest payload of a frame whose auth_key_id (its first 8 bytes) `isKnownAuthKey` does not accept
   * (default: maxFrame). A server sets it low so that a peer without a key cannot make it buffer a large
   * frame: a longer frame is refused as soon as its header and those 8 bytes are in, before its body.
   */
  maxAnonymousFrame?: number;
  /** Whether an auth_key_id names a key the receiver holds (default: none does). */
  isKnownAuthKey?: (authKeyId: Uint8Array) => boolean;
}

export class FrameCodec {
  readonly framing: Framing;
  readonly side: Side;
  private readonly maxFrame: number;
  private readonly maxAnonymousFrame: number;
  private readonly isKnownAuthKey: (authKeyId: Uint8Array) => boolean;
  private readonly random: RandomSource | undefined;
  private readonly queue = new ByteQueue();
  /** Full transport sequence numbers, one counter per direction. */
  private sendSeq = 0;
  private receiveSeq = 0;
  /** After a framing error the stream position is unknown: every later call fails the same way. */
  private failure: FramingError | undefined;

  constructor(options: FrameCodecOptions) {
    const maxFrame = options.maxFrame ?? DEFAULT_MAX_FRAME;
    if (!Number.isInteger(maxFrame) || maxFrame < 0 || maxFrame > MAX_FRAME_LIMIT) {
      throw new FramingError('INVALID_ARGUMENT', `maxFrame must be an integer in 0..${MAX_FRAME_LIMIT}`);
    }
    const maxAnonymousFrame = options.maxAnonymousFrame ?? maxFrame;
    if (!Number.isInteger(maxAnonymousFrame) || maxAnonymousFrame < 0 || maxAnonymousFrame > maxFrame) {
      throw new FramingError('INVALID_ARGUMENT', `maxAnonymousFrame must be an integer in 0..maxFrame`);
    }
    if (options.framing === 'padded' && options.random === undefined) {
      throw new FramingError('INVALID_ARGUMENT', 'the padded framing needs a random source');
    }
    this.framing = options.framing;
    this.side = options.side;
    this.maxFrame = maxFrame;
    this.maxAnonymousFrame = maxAnonymousFrame;
    this.isKnownAuthKey = options.isKnownAuthKey ?? (() => false);
    this.random = options.random;
  }

  /** Bytes held for an unfinished frame: at most its header plus the frame cap. */
  get buffered(): number {
    return this.queue.length;
  }

  /** Frames one payload (a multiple of 4 bytes). `quickAck` asks the server for a quick ack. */
  encode(payload: Uint8Array, quickAck = false): Uint8Array {
    if (payload.length % 4 !== 0) {
      throw new FramingError('FRAME_UNALIGNED', `payload length ${payload.length} is not a multiple of 4`);
    }
    if (payload.length > this.maxFrame) {
      throw new FramingError('FRAME_TOO_LARGE', `payload of ${payload.length} bytes exceeds ${this.maxFrame}`);
    }
    if (quickAck && (this.side !== 'client' || this.framing === 'full')) {
      throw new FramingError('QUICK_ACK_UNSUPPORTED', `no quick-ack request from a ${this.side} over ${this.framing}`);
    }
    switch (this.framing) {
      case 'abridged':
        return abridgedFrame(payload, quickAck);
      case 'intermediate':
        return lengthPrefixedFrame(payload, EMPTY, quickAck);
      case 'padded':
        return lengthPrefixedFrame(payload, this.padding(15), quickAck);
      case 'full':
        return this.fullFrame(payload);
    }
  }

  /** Server side: answers a quick-ack request. The token has bit 31 set, as the client computed it. */
  encodeQuickAck(token: number): Uint8Array {
    if (this.side !== 'server' || this.framing === 'full') {
      throw new FramingError('QUICK_ACK_UNSUPPORTED', `no quick-ack answer from a ${this.side} over ${this.framing}`);
    }
    if (!Number.isInteger(token) || token < 0x80000000 || token > 0xffffffff) {
      throw new FramingError('INVALID_ARGUMENT', 'a quick-ack token is a uint32 with bit 31 set');
    }
    switch (this.framing) {
      case 'abridged': // bare token, byte-reversed: its first byte has bit 7 set, which no length byte has
        return Uint8Array.of(token >>> 24, (token >>> 16) & 0xff, (token >>> 8) & 0xff, token & 0xff);
      case 'intermediate': {
        const out = new Uint8Array(4); // bare token: ≥ 0x80000000, so it cannot be read as a length
        writeUint32LE(out, 0, token);
        return out;
      }
      case 'padded': {
        const payload = new Uint8Array(8); // a short frame: ff ff ff ff, token, 0..8 random bytes
        writeUint32LE(payload, 0, 0xffffffff);
        writeUint32LE(payload, 4, token);
        return lengthPrefixedFrame(payload, this.padding(8), false);
      }
    }
  }

  /** Server side: a frame carrying transport error `code` (404, 429, ...; the sign is ignored). */
  encodeError(code: number): Uint8Array {
    if (this.side !== 'server') throw new FramingError('INVALID_ARGUMENT', 'only a server sends transport errors');
    const magnitude = Math.abs(code);
    if (!Number.isInteger(magnitude) || magnitude < 1 || magnitude > 0x7fffffff) {
      throw new FramingError('INVALID_ARGUMENT', `transport error code ${code} does not fit an int32`);
    }
    const payload = new Uint8Array(4);
    writeUint32LE(payload, 0, -magnitude >>> 0);
    return this.encode(payload);
  }

  /** Feeds received bytes; returns every event they complete. A FramingError ends the connection. */
  decode(chunk: Uint8Array): TransportEvent[] {
    if (this.failure !== undefined) throw this.failure;
    this.queue.push(chunk);
    const events: TransportEvent[] = [];
    try {
      for (let event = this.next(); event !== undefined; event = this.next()) events.push(event);
    } catch (error) {
      if (error instanceof FramingError) this.failure = error;
      throw error;
    }
    return events;
  }

  /** The peer closed the stream: an unfinished frame means it was cut off. */
  end(): void {
    if (this.failure !== undefined) throw this.failure;
    if (this.queue.length > 0) {
      throw new FramingError('FRAME_TRUNCATED', `stream ended with ${this.queue.length} bytes of an unfinished frame`);
    }
  }

  private next(): TransportEvent | undefined {
    switch (this.framing) {
      case 'abridged':
        return this.nextAbridged();
      case 'full':
        return this.nextFull();
      default:
        return this.nextLengthPrefixed();
    }
  }

  private nextAbridged(): TransportEvent | undefined {
    const queue = this.queue;
    if (queue.length < 1) return undefined;
    const first = queue.byteAt(0);
    if (this.side === 'client' && first & 0x80) {
      if (queue.length < 4) return undefined;
      const token = ((first << 24) | (queue.byteAt(1) << 16) | (queue.byteAt(2) << 8) | queue.byteAt(3)) >>> 0;
      queue.skip(4);
      return { kind: 'quickAck', token };
    }
    // From a client, bit 7 is the quick-ack request (so 0xff is the long form with a request).
    if ((first & 0x7f) < 0x7f) return this.body(1, (first & 0x7f) * 4, (first & 0x80) !== 0);
    if (queue.length < 4) return undefined;
    const words = queue.byteAt(1) | (queue.byteAt(2) << 8) | (queue.byteAt(3) << 16);
    return this.body(4, words * 4, (first & 0x80) !== 0);
  }

  private nextLengthPrefixed(): TransportEvent | undefined {
    const queue = this.queue;
    if (queue.length < 4) return undefined;
    const word = queue.uint32LE(0);
    const flagged = word >= 0x80000000;
    if (flagged && this.side === 'client') {
      // No length reaches 2^31: from a server this is a bare quick-ack token.
      queue.skip(4);
      return { kind: 'quickAck', token: word };
    }
    const length = word & 0x7fffffff;
    if (this.framing === 'intermediate' && length % 4 !== 0) {
      throw new FramingError('FRAME_UNALIGNED', `intermediate frame length ${length} is not a multiple of 4`);
    }
    return this.body(4, length, flagged);
  }

  /** Shared tail of abridged and (padded) intermediate: cap check, then wait for the whole body. */
  private body(headerLength: number, length: number, quickAck: boolean): TransportEvent | undefined {
    const padding = this.framing === 'padded' ? 15 : 0;
    const limit = this.maxFrame + padding;
    if (length > limit) throw new FramingError('FRAME_TOO_LARGE', `declared frame length ${length} exceeds ${limit}`);
    if (length > this.maxAnonymousFrame + padding && !this.admitsLarge(headerLength, length)) return undefined;
    if (this.queue.length < headerLength + length) return undefined;
    this.queue.skip(headerLength);
    return this.event(this.queue.take(length), quickAck);
  }

  private nextFull(): TransportEvent | undefined {
    const queue = this.queue;
    if (queue.length < 4) return undefined;
    const total = queue.uint32LE(0);
    if (this.side === 'client' && total >= 0x80000000) {
      // Servers have been seen sending a transport error as a bare negative int32 here (grammers'
      // vector); a real full-transport length never has bit 31 set.
      queue.skip(4);
      return { kind: 'error', code: -(total | 0) };
    }
    if (total < 12) throw new FramingError('FRAME_BAD_LENGTH', `full transport length ${total} is below 12`);
    if (total % 4 !== 0) throw new FramingError('FRAME_UNALIGNED', `full transport length ${total} is not a multiple of 4`);
    if (total - 12 > this.maxFrame) {
      throw new FramingError('FRAME_TOO_LARGE', `declared payload length ${total - 12} exceeds ${this.maxFrame}`);
    }
    if (total - 12 > this.maxAnonymousFrame && !this.admitsLarge(8, total - 12)) return undefined;
    if (queue.length < total) return undefined;
    const packet = queue.take(total);
    const expectedCrc = readUint32LE(packet, total - 4);
    if (crc32(packet.subarray(0, total - 4)) !== expectedCrc) {
      throw new FramingError('FRAME_BAD_CRC', `full transport packet ${this.receiveSeq} has a bad CRC32`);
    }
    const seq = readUint32LE(packet, 4);
    if (seq !== this.receiveSeq) {
      throw new FramingError('FRAME_BAD_SEQ', `full transport seq ${seq}, expected ${this.receiveSeq}`);
    }
    this.receiveSeq = (this.receiveSeq + 1) >>> 0;
    return this.event(packet.subarray(8, total - 4), false);
  }

  /**
   * A frame above maxAnonymousFrame: false while its auth_key_id (8 bytes from `payloadOffset`) is still
   * to come; FRAME_TOO_LARGE, before the body is waited for, unless that id names a known key.
   */
  private admitsLarge(payloadOffset: number, length: number): boolean {
    if (this.queue.length < payloadOffset + 8) return false;
    if (this.isKnownAuthKey(this.queue.peek(payloadOffset, 8))) return true;
    throw new FramingError('FRAME_TOO_LARGE', `declared frame length ${length} exceeds ${this.maxAnonymousFrame} for an unknown auth key`);
  }

  /** A server only ever receives messages; a client must tell messages from acks and errors. */
  private event(payload: Uint8Array, quickAck: boolean): TransportEvent {
    if (this.side === 'server') return { kind: 'frame', payload, quickAck };
    const padded = this.framing === 'padded';
    if (payload.length === 4 || (padded && payload.length >= 4 && payload.length < MIN_MESSAGE_LENGTH)) {
      const first = readUint32LE(payload, 0) | 0;
      if (padded && first === -1 && payload.length >= 8) {
        return { kind: 'quickAck', token: readUint32LE(payload, 4) };
      }
      if (first < 0) return { kind: 'error', code: -first };
    }
    return { kind: 'frame', payload, quickAck: false };
  }

  private fullFrame(payload: Uint8Array): Uint8Array {
    const total = payload.length + 12;
    const out = around(payload, 8, 4);
    writeUint32LE(out, 0, total);
    writeUint32LE(out, 4, this.sendSeq);
    writeUint32LE(out, total - 4, crc32(out.subarray(0, total - 4)));
    this.sendSeq = (this.sendSeq + 1) >>> 0;
    return out;
  }

  /** 0..max random bytes of random length, from one call to the random source. */
  private padding(max: number): Uint8Array {
    const bytes = this.random!(max + 1);
    return bytes.subarray(1, 1 + (bytes[0]! % (max + 1)));
  }
}

/**
 * Padded intermediate frames end with 0..15 random bytes that the frame header does not count
 * separately; the MTProto message itself tells where it ends:
 * - encrypted (auth_key_id ≠ 0): auth_key_id(8) + msg_key(16) + a multiple of 16 bytes, so
 *   `(length - 24) % 16` bytes are padding;
 * - plain (auth_key_id = 0): auth_key_id(8) + msg_id(8) + message_data_length(4) + that many bytes.
 * Returns a view without the padding. The transport codec (codec.ts) applies it to every padded frame.
 */
export function stripPadding(frame: Uint8Array): Uint8Array {
  if (frame.length < MIN_MESSAGE_LENGTH) {
    throw new FramingError('FRAME_BAD_LENGTH', `${frame.length} bytes cannot hold an MTProto message`);
  }
  const plain = readUint32LE(frame, 0) === 0 && readUint32LE(frame, 4) === 0;
  if (!plain) return frame.subarray(0, frame.length - ((frame.length - 24) % 16));
  const end = 20 + readUint32LE(frame, 16);
  if (end > frame.length) {
    throw new FramingError('FRAME_BAD_LENGTH', `plain message claims ${end} bytes in a ${frame.length}-byte frame`);
  }
  return frame.subarray(0, end);
}

const EMPTY = new Uint8Array(0);

/**
 * `payload` with `before` header bytes in front and `after` trailer bytes behind it. When the payload
 * comes with that much free room in its buffer (an encrypted message does, see base/room.ts) the frame is
 * written around it and is a view of the same buffer; otherwise the payload is copied into a new array.
 */
function around(payload: Uint8Array, before: number, after: number): Uint8Array {
  const length = before + payload.length + after;
  if (claimRoom(payload, before, after)) return new Uint8Array(payload.buffer, payload.byteOffset - before, length);
  const out = new Uint8Array(length);
  out.set(payload, before);
  return out;
}

function abridgedFrame(payload: Uint8Array, quickAck: boolean): Uint8Array {
  const words = payload.length / 4;
  const flag = quickAck ? 0x80 : 0;
  const headerLength = words < 0x7f ? 1 : 4;
  const out = around(payload, headerLength, 0);
  if (headerLength === 1) {
    out[0] = words | flag;
  } else {
    out[0] = 0x7f | flag;
    out[1] = words & 0xff;
    out[2] = (words >>> 8) & 0xff;
    out[3] = words >>> 16;
  }
  return out;
}

function lengthPrefixedFrame(payload: Uint8Array, padding: Uint8Array, quickAck: boolean): Uint8Array {
  const length = payload.length + padding.length;
  const out = around(payload, 4, padding.length);
  writeUint32LE(out, 0, quickAck ? (length | 0x80000000) >>> 0 : length);
  out.set(padding, 4 + payload.length);
  return out;
}
