/** Node's zlib behind the MTProto layer's Compression interface: what client and server pass in by default. */
import { gunzipSync, gzipSync } from 'node:zlib';
import { GzipError, type Compression } from '../mtproto/compression.js';

export const nodeCompression: Compression = {
  gzip: (data) => new Uint8Array(gzipSync(data)),
  gunzip(data, maxOutput) {
    try {
      // maxOutputLength makes zlib stop (and throw) once the output passes the cap, so a bomb never inflates in full.
      return new Uint8Array(gunzipSync(data, { maxOutputLength: maxOutput }));
    } catch (err) {
      throw new GzipError(`bad gzip_packed data: ${(err as Error).message}`);
    }
  },
};
