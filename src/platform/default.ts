/** The gzip that a client or server uses when the caller names none. */
import { nodeBuiltin } from '../base/host.js';
import type { Compression } from '../mtproto/compression.js';
import { nodeCompression } from './compression.js';
import { portableCompression } from './portable-compression.js';

/** Node's zlib (native, and faster) where the host has it; fflate elsewhere. */
export function defaultCompression(): Compression {
  return nodeBuiltin('node:zlib') === undefined ? portableCompression : nodeCompression;
}
