/**
 * Public surface of the transport layer's codecs (no I/O, no Node-only imports). The socket adapters
 * live in ./tcp.js and ./websocket.js, imported directly, so this module stays browser-safe.
 */
export { createClientCodec, createServerCodec } from './codec.js';
export type { ClientCodec, ClientCodecOptions, ServerCodec, ServerCodecOptions } from './codec.js';
export type { Connection, Listener } from './connection.js';
export { detectTransport } from './detect.js';
export type { Detection } from './detect.js';
export { FramingError, TransportError } from './errors.js';
export type { FramingErrorCode } from './errors.js';
export { DEFAULT_MAX_FRAME, FrameCodec, plainInitBytes } from './framing.js';
export type { FrameCodecOptions, Framing, RandomSource, Side, TransportEvent } from './framing.js';
export {
  OBFUSCATION_HEADER_LENGTH,
  acceptClientObfuscation,
  createClientObfuscation,
  deriveObfuscationKeys,
  headerDcId,
  parseMtproxySecret,
} from './obfuscation.js';
export type { AcceptedObfuscation, DcTarget, MtproxySecret, ObfuscatedFraming, ObfuscationKeys } from './obfuscation.js';
