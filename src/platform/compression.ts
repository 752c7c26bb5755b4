/** Node's zlib behind the MTProto layer's Compression interface: what client and server pass in by default. */
import { gzipSync, unzipSync } from 'node:zlib';
import { GzipError, type Compression } from '../mtproto/compression.js';

export const nodeCompression: Compression = {
  gzip: (data) => new Uint8Array(gzipSync(data)),
  gunzip(data, maxOutput) {
    try {
      // unzip reads the header to tell RFC 1952 (gzip) from RFC 1950 (zlib, which mtcute sends) and checks
      // that framing's trailer; raw deflate and anything else fail on the header. maxOutputLength makes zlib
      // stop (and throw) once the output passes the cap, so a bomb never inflates in full.
      return new Uint8Array(unzipSync(data, { maxOutputLength: maxOutput }));
    } catch (err) {
      throw new GzipError(`bad gzip_packed data: ${(err as Error).message}`);
    }
  },
};
