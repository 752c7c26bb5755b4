/** Node's zlib behind the MTProto layer's Compression interface: the default where node:zlib exists. */
import type * as NodeZlib from 'node:zlib';
import { requireNodeBuiltin } from '../base/host.js';
import { GzipError, type Compression } from '../mtproto/compression.js';

/** Looked up at run time (see base/host.ts), so that bundles for other hosts carry no node:zlib import. */
const zlib = (): typeof NodeZlib => requireNodeBuiltin<typeof NodeZlib>('node:zlib', 'nodeCompression');

export const nodeCompression: Compression = {
  gzip: (data) => new Uint8Array(zlib().gzipSync(data)),
  gunzip(data, maxOutput) {
    try {
      // unzip reads the header to tell RFC 1952 (gzip) from RFC 1950 (zlib, which mtcute sends) and checks
      // that framing's trailer; raw deflate and anything else fail on the header. maxOutputLength makes zlib
      // stop (and throw) once the output passes the cap, so a bomb never inflates in full.
      return new Uint8Array(zlib().unzipSync(data, { maxOutputLength: maxOutput }));
    } catch (err) {
      throw new GzipError(`bad gzip_packed data: ${(err as Error).message}`);
    }
  },
};
