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

/** Bodies up to this many bytes are never packed (ClientOptions/ServerSessionOptions `gzipAbove`). */
export const DEFAULT_GZIP_ABOVE = 1024;

/** Bytes of a body the compressibility test reads: four spread slices of 256, or the whole of a smaller body. */
const SAMPLE_SLICE = 256;
const SAMPLE_SLICES = 4;
/**
 * Bits per byte above which a sample is taken for incompressible. 1 KiB of uniform random bytes (media,
 * encrypted or already compressed data) measures ~7.8 here; text and TL objects, which deflate to half
 * or less, stay well under 6. Between the two, deflate would save a few percent for its whole cost.
 */
const MAX_SAMPLE_ENTROPY = 7.2;

/**
 * Whether deflate is worth trying on `body`: the order-0 entropy of a sample, from one byte histogram
 * (no zlib call). Photos, video, archives and encrypted data come out near 8 bits per byte and are
 * never handed to gzip, which would burn a full pass over them to find nothing.
 */
export function looksCompressible(body: Uint8Array): boolean {
  const counts = new Uint32Array(256);
  let sampled = 0;
  if (body.length <= SAMPLE_SLICE * SAMPLE_SLICES) {
    for (let i = 0; i < body.length; i++) counts[body[i]!]!++;
    sampled = body.length;
  } else {
    const stride = Math.floor(body.length / SAMPLE_SLICES);
    for (let s = 0; s < SAMPLE_SLICES; s++) {
      const start = s * stride;
      for (let i = start; i < start + SAMPLE_SLICE; i++) counts[body[i]!]!++;
    }
    sampled = SAMPLE_SLICE * SAMPLE_SLICES;
  }
  let entropy = 0;
  for (const count of counts) {
    if (count === 0) continue;
    const p = count / sampled;
    entropy -= p * Math.log2(p);
  }
  return entropy <= MAX_SAMPLE_ENTROPY;
}
