import { MtwireError } from '../base/errors.js';

/**
 * The peer told us, in-band, that it gave up on this connection: a frame whose payload is a single
 * negative int32 (-404 auth key not found / malformed message, -429 flood, -444 bad DC id,
 * -403 forbidden). `transportCode` is the positive number (404, 429, ...).
 */
export class TransportError extends MtwireError {
  readonly transportCode: number;

  constructor(transportCode: number) {
    super('TRANSPORT_ERROR', `transport error -${transportCode}`);
    this.transportCode = transportCode;
  }
}

/**
 * Codes a FramingError can carry. Each one means the byte stream itself is unusable (a desync, a
 * hostile peer or a misuse of the codec), so the connection must be dropped.
 */
export type FramingErrorCode =
  | 'FRAME_TOO_LARGE' // declared length above the configured cap; raised before waiting for the body
  | 'FRAME_UNALIGNED' // length not a multiple of 4 where the framing requires it
  | 'FRAME_BAD_LENGTH' // length impossible for the framing (e.g. full transport below 12)
  | 'FRAME_BAD_CRC' // full transport checksum mismatch
  | 'FRAME_BAD_SEQ' // full transport sequence number out of order
  | 'FRAME_TRUNCATED' // stream ended inside a frame or an init header
  | 'QUICK_ACK_UNSUPPORTED' // quick ack asked of a framing or side that has none
  | 'TRANSPORT_UNSUPPORTED' // HTTP, TLS or fake-TLS where an MTProto transport was expected
  | 'CODEC_STATE' // start() twice, encode/decode before start(), server encode before the client's init
  | 'INVALID_ARGUMENT' // a caller-supplied value the protocol cannot carry (DC id, quick-ack token, limit)
  | 'OBFUSCATION_BAD_TAG' // decrypted obfuscation header names no known framing
  | 'OBFUSCATION_BAD_SECRET' // MTProxy secret of the wrong shape
  | 'OBFUSCATION_REQUIRED'; // plain framing on a connection that must be obfuscated (MTProxy, Telegram's WebSocket)

/** The byte stream violates the framing, or the codec was used in a way the protocol forbids. */
export class FramingError extends MtwireError {
  declare readonly code: FramingErrorCode;

  constructor(code: FramingErrorCode, message: string) {
    super(code, message);
  }
}
