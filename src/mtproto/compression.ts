import { MtwireError } from '../base/errors.js';

/**
 * gzip for `gzip_packed`, injected into the sessions so that they stay free of I/O and of any host's
 * zlib: Node's lives in src/platform, a browser build brings its own.
 */
export interface Compression {
  /** Always RFC 1952 (gzip) framing: what the spec names and every client reads. */
  gzip(data: Uint8Array): Uint8Array;
  /**
   * Inflates RFC 1952 (gzip) or RFC 1950 (zlib) framing, as Telegram does: mtcute packs its requests with
   * zlib framing (`78 9c …`). Throws GzipError on a corrupt stream or one that inflates beyond `maxOutput` bytes.
   */
  gunzip(data: Uint8Array, maxOutput: number): Uint8Array;
}

/** A gzip stream that does not inflate: corrupt, truncated, or larger than the caller allows. */
export class GzipError extends MtwireError {
  constructor(message: string) {
    super('GZIP', message);
  }
}
