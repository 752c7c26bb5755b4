import type { AesCtr, CryptoProvider } from '../crypto/provider.js';
import { detectTransport } from './detect.js';
import { FramingError } from './errors.js';
import { FrameCodec, plainInitBytes, stripPadding } from './framing.js';
import type { Framing, RandomSource, TransportEvent } from './framing.js';
import {
  OBFUSCATION_HEADER_LENGTH,
  acceptClientObfuscation,
  createClientObfuscation,
  headerDcId,
  parseMtproxySecret,
} from './obfuscation.js';
import type { MtproxySecret, ObfuscatedFraming, ObfuscatedStreams } from './obfuscation.js';

/**
 * A whole transport pipeline without I/O: framing plus optional obfuscation, for one connection.
 * Feed `decode` whatever bytes the socket delivers and send whatever `start`/`encode` return. The
 * frames `decode` gives are whole MTProto messages: padded intermediate's random tail already cut off.
 */

export interface ClientCodecOptions {
  framing: Framing;
  /** obfuscated2; Telegram's WebSocket endpoints require it. An MTProxy `secret` implies it. */
  obfuscation?: { dcId?: number; test?: boolean; media?: boolean; secret?: Uint8Array | string };
  crypto: CryptoProvider;
  /** Defaults to crypto.randomBytes, drawn in blocks. */
  random?: RandomSource;
  maxFrame?: number;
}

export interface ClientCodec {
  /** The framing in use: a `dd` MTProxy secret forces 'padded' whatever was asked. */
  readonly framing: Framing;
  readonly obfuscated: boolean;
  /** The bytes to send before anything else (init bytes or the obfuscation header). Call once. */
  start(): Uint8Array;
  encode(payload: Uint8Array, options?: { quickAck?: boolean }): Uint8Array;
  /** Frames (padding stripped), quick acks and transport errors; throws FramingError on a broken stream. */
  decode(chunk: Uint8Array): TransportEvent[];
  /** The server closed the stream: throws FRAME_TRUNCATED if it stopped inside a frame. */
  end(): void;
}

export interface ServerCodecOptions {
  crypto: CryptoProvider;
  random?: RandomSource;
  maxFrame?: number;
  /** See FrameCodecOptions: the limit for frames of peers that have not shown a known auth key. */
  maxAnonymousFrame?: number;
  isKnownAuthKey?: (authKeyId: Uint8Array) => boolean;
  /** Refuse plain framings (a WebSocket endpoint that, as Telegram's, takes only obfuscated2; implied by `secret`). */
  requireObfuscation?: boolean;
  /** Act as an MTProxy endpoint: the secret is mixed into the obfuscation keys. */
  secret?: Uint8Array | string;
}

export interface ServerCodec {
  /** Known once the client's first bytes arrived (undefined before). */
  readonly framing: Framing | undefined;
  readonly obfuscated: boolean;
  /** The DC id from an obfuscation header (meaningful only when the client targets an MTProxy). */
  readonly dcId: number | undefined;
  /** Bytes held for an unfinished frame or transport init: what this connection costs in buffers. */
  readonly buffered: number;
  /** Frames (padding stripped), in the client's transport once its first bytes told which; throws FramingError. */
  decode(chunk: Uint8Array): TransportEvent[];
  encode(payload: Uint8Array): Uint8Array;
  encodeQuickAck(token: number): Uint8Array;
  /** A transport error frame: 404, 429, 444, 403. */
  encodeError(code: number): Uint8Array;
  end(): void;
}

export function createClientCodec(options: ClientCodecOptions): ClientCodec {
  return new ClientTransportCodec(options);
}

export function createServerCodec(options: ServerCodecOptions): ServerCodec {
  return new ServerTransportCodec(options);
}

function notReady(what: string): FramingError {
  return new FramingError('CODEC_STATE', what);
}

/**
 * Padded intermediate appends 0..15 random bytes to each frame, counted in its length; only the MTProto
 * message inside tells where it ends (stripPadding), so the codec cuts them off and no caller has to.
 */
function withoutPadding(framing: Framing | undefined, events: TransportEvent[]): TransportEvent[] {
  if (framing !== 'padded') return events;
  return events.map((event) => (event.kind === 'frame' ? { ...event, payload: stripPadding(event.payload) } : event));
}

/** Applies the keystream if there is one. */
function through(cipher: AesCtr | undefined, bytes: Uint8Array): Uint8Array {
  return cipher === undefined ? bytes : cipher.process(bytes);
}

class ClientTransportCodec implements ClientCodec {
  readonly framing: Framing;
  readonly obfuscated: boolean;
  private readonly frames: FrameCodec;
  private readonly random: RandomSource;
  /** Everything the obfuscation header needs, validated up front so bad options fail at creation. */
  private readonly header: { framing: ObfuscatedFraming; dcId: number | undefined; secret: Uint8Array | undefined } | undefined;
  private streams: ObfuscatedStreams | undefined;
  private started = false;

  constructor(private readonly options: ClientCodecOptions) {
    const obfuscation = options.obfuscation;
    const secret = obfuscation?.secret === undefined ? undefined : parseMtproxySecret(obfuscation.secret);
    const framing = secret?.paddedOnly === true ? 'padded' : options.framing;
    this.framing = framing;
    this.obfuscated = obfuscation !== undefined;
    if (obfuscation !== undefined) {
      if (framing === 'full') throw new FramingError('TRANSPORT_UNSUPPORTED', 'the full transport has no obfuscation tag');
      const dcId = obfuscation.dcId === undefined ? undefined : headerDcId({ ...obfuscation, dcId: obfuscation.dcId });
      this.header = { framing, dcId, secret: secret?.key };
    }
    this.random = options.random ?? ((n) => options.crypto.randomBytes(n));
    this.frames = new FrameCodec({ framing, side: 'client', maxFrame: options.maxFrame, random: this.random });
  }

  start(): Uint8Array {
    if (this.started) throw notReady('start() was already called');
    this.started = true;
    if (this.header === undefined) return plainInitBytes(this.framing);
    const { header, ...streams } = createClientObfuscation({
      ...this.header,
      crypto: this.options.crypto,
      random: this.random,
    });
    this.streams = streams;
    return header;
  }

  encode(payload: Uint8Array, options?: { quickAck?: boolean }): Uint8Array {
    if (!this.started) throw notReady('encode() before start()');
    return through(this.streams?.encryptor, this.frames.encode(payload, options?.quickAck));
  }

  decode(chunk: Uint8Array): TransportEvent[] {
    if (!this.started) throw notReady('decode() before start()');
    return withoutPadding(this.framing, this.frames.decode(through(this.streams?.decryptor, chunk)));
  }

  end(): void {
    this.frames.end();
  }
}

class ServerTransportCodec implements ServerCodec {
  framing: Framing | undefined;
  obfuscated = false;
  dcId: number | undefined;
  private readonly secret: MtproxySecret | undefined;
  private readonly requireObfuscation: boolean;
  private readonly random: RandomSource;
  /** The client's first bytes, kept (≤ 64) until they tell which transport it speaks. */
  private prefix = new Uint8Array(0);
  private frames: FrameCodec | undefined;
  private streams: ObfuscatedStreams | undefined;
  private failure: FramingError | undefined;

  constructor(private readonly options: ServerCodecOptions) {
    this.secret = options.secret === undefined ? undefined : parseMtproxySecret(options.secret);
    this.requireObfuscation = options.requireObfuscation === true || this.secret !== undefined;
    this.random = options.random ?? ((n) => options.crypto.randomBytes(n));
  }

  get buffered(): number {
    return this.prefix.length + (this.frames?.buffered ?? 0);
  }

  decode(chunk: Uint8Array): TransportEvent[] {
    // The framing is known only after the first bytes are read, so it is looked at after decoding.
    const events = this.decodeFrames(chunk);
    return withoutPadding(this.framing, events);
  }

  encode(payload: Uint8Array): Uint8Array {
    return through(this.streams?.encryptor, this.ready().encode(payload));
  }

  encodeQuickAck(token: number): Uint8Array {
    return through(this.streams?.encryptor, this.ready().encodeQuickAck(token));
  }

  encodeError(code: number): Uint8Array {
    return through(this.streams?.encryptor, this.ready().encodeError(code));
  }

  end(): void {
    if (this.frames !== undefined) return this.frames.end();
    if (this.failure !== undefined) throw this.failure;
    if (this.prefix.length > 0) {
      throw new FramingError('FRAME_TRUNCATED', `stream ended after ${this.prefix.length} bytes of transport init`);
    }
  }

  private decodeFrames(chunk: Uint8Array): TransportEvent[] {
    if (this.frames !== undefined) return this.frames.decode(through(this.streams?.decryptor, chunk));
    if (this.failure !== undefined) throw this.failure;
    try {
      return this.handshake(chunk);
    } catch (error) {
      if (error instanceof FramingError) this.failure = error;
      throw error;
    }
  }

  private ready(): FrameCodec {
    if (this.frames === undefined) throw notReady('cannot send before the client chose a transport');
    return this.frames;
  }

  private handshake(chunk: Uint8Array): TransportEvent[] {
    let bytes = chunk;
    if (this.prefix.length > 0) {
      bytes = new Uint8Array(this.prefix.length + chunk.length);
      bytes.set(this.prefix);
      bytes.set(chunk, this.prefix.length);
    }
    const detection = detectTransport(bytes);
    switch (detection.kind) {
      case 'need-more':
        this.prefix = new Uint8Array(bytes); // a copy: the caller may reuse its buffer
        return [];
      case 'unsupported':
        throw new FramingError('TRANSPORT_UNSUPPORTED', `client speaks ${detection.protocol}, not an MTProto transport`);
      case 'plain':
        if (this.requireObfuscation) {
          throw new FramingError('OBFUSCATION_REQUIRED', `plain ${detection.framing} framing on an obfuscated-only endpoint`);
        }
        this.begin(detection.framing);
        return this.frames!.decode(bytes.subarray(detection.initLength));
      case 'obfuscated': {
        if (bytes.length < OBFUSCATION_HEADER_LENGTH) {
          this.prefix = new Uint8Array(bytes); // a copy: the caller may reuse its buffer
          return [];
        }
        const accepted = acceptClientObfuscation(bytes.subarray(0, OBFUSCATION_HEADER_LENGTH), this.options.crypto, this.secret);
        this.streams = accepted;
        this.obfuscated = true;
        this.dcId = accepted.dcId;
        this.begin(accepted.framing);
        return this.frames!.decode(accepted.decryptor.process(bytes.subarray(OBFUSCATION_HEADER_LENGTH)));
      }
    }
  }

  private begin(framing: Framing): void {
    this.framing = framing;
    this.prefix = new Uint8Array(0);
    const { maxFrame, maxAnonymousFrame, isKnownAuthKey } = this.options;
    this.frames = new FrameCodec({ framing, side: 'server', maxFrame, maxAnonymousFrame, isKnownAuthKey, random: this.random });
  }
}
