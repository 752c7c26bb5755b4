import { readUint32LE } from './bytes.js';
import type { Framing } from './framing.js';

/**
 * What a server can tell from the first bytes a client sends. Only the first 8 bytes matter:
 * - `ef` → abridged (1 init byte), `ee ee ee ee` → intermediate, `dd dd dd dd` → padded (4 init bytes);
 * - `HEAD`/`POST`/`GET `/`OPTI` → an HTTP request, `16 03 01 02` → a TLS ClientHello (fake-TLS MTProxy);
 * - bytes 4..8 all zero → the full transport (a length, then sequence number 0, no init bytes);
 * - anything else → a 64-byte obfuscated2 header.
 *
 * The obfuscated2 header generator (obfuscation.ts) regenerates its random bytes until this function
 * answers 'obfuscated', which is exactly the spec's list of forbidden prefixes: a random header must
 * never be mistaken by a server (or a middlebox) for one of the plain protocols.
 */
export type Detection =
  | { kind: 'need-more' }
  | { kind: 'plain'; framing: Framing; initLength: number }
  | { kind: 'obfuscated'; initLength: 64 }
  | { kind: 'unsupported'; protocol: 'http' | 'tls' };

const NEED_MORE: Detection = { kind: 'need-more' };

/** First little-endian uint32 values that name a protocol other than obfuscated2. */
const PLAIN_PREFIXES = new Map<number, Detection>([
  [0xeeeeeeee, { kind: 'plain', framing: 'intermediate', initLength: 4 }],
  [0xdddddddd, { kind: 'plain', framing: 'padded', initLength: 4 }],
  [0x44414548, { kind: 'unsupported', protocol: 'http' }], // "HEAD"
  [0x54534f50, { kind: 'unsupported', protocol: 'http' }], // "POST"
  [0x20544547, { kind: 'unsupported', protocol: 'http' }], // "GET "
  [0x4954504f, { kind: 'unsupported', protocol: 'http' }], // "OPTI"
  [0x02010316, { kind: 'unsupported', protocol: 'tls' }], // TLS handshake record, version 3.1
]);

/** Classifies a connection from its first bytes; 'need-more' until 8 bytes decide it (1 for `ef`). */
export function detectTransport(prefix: Uint8Array): Detection {
  if (prefix.length < 1) return NEED_MORE;
  if (prefix[0] === 0xef) return { kind: 'plain', framing: 'abridged', initLength: 1 };
  if (prefix.length < 4) return NEED_MORE;
  const known = PLAIN_PREFIXES.get(readUint32LE(prefix, 0));
  if (known !== undefined) return known;
  if (prefix.length < 8) return NEED_MORE;
  if ((prefix[4]! | prefix[5]! | prefix[6]! | prefix[7]!) === 0) {
    return { kind: 'plain', framing: 'full', initLength: 0 };
  }
  return { kind: 'obfuscated', initLength: 64 };
}
