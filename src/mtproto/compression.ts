import { gunzipSync, gzipSync } from 'node:zlib';
import { MtwireError } from '../base/errors.js';

/** gzip for `gzip_packed`; injected into the sessions so that they stay free of I/O and of node:zlib. */
export interface Compression {
  gzip(data: Uint8Array): Uint8Array;
  /** Throws a typed error on a corrupt stream or one that inflates beyond `maxOutput` bytes. */
  gunzip(data: Uint8Array, maxOutput: number): Uint8Array;
}

export const nodeCompression: Compression = {
  gzip: (data) => new Uint8Array(gzipSync(data)),
  gunzip(data, maxOutput) {
    try {
      return new Uint8Array(gunzipSync(data, { maxOutputLength: maxOutput }));
    } catch (err) {
      throw new MtwireError('GZIP', `bad gzip_packed data: ${(err as Error).message}`);
    }
  },
};
