/**
 * Strict base64 for session strings, standard and URL-safe alphabets, padding optional. Written here
 * rather than on Buffer or atob so that it runs on every host and refuses what they would quietly
 * accept (stray characters, non-zero bits after the last byte): a session string that decodes must be
 * exactly the one that was written.
 */
import { SessionStringError } from './session-errors.js';

const STANDARD = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const URL_SAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const VALUES = new Map<string, number>([...STANDARD].map((c, i) => [c, i]));
for (const [i, c] of [...URL_SAFE].entries()) VALUES.set(c, i);

/** URL-safe, unpadded: safe in URLs, file names and environment variables. */
export function base64UrlEncode(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const chunk = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = Math.min(4, Math.ceil(((bytes.length - i) * 8) / 6));
    for (let k = 0; k < chars; k++) out += URL_SAFE[(chunk >> (18 - 6 * k)) & 63];
  }
  return out;
}

/**
 * Decodes either alphabet, with or without '=' padding. `start` is where `text` sits in the caller's
 * string, so an error's offset points into what the user pasted.
 */
export function base64Decode(text: string, start = 0): Uint8Array {
  const body = text.replace(/={1,2}$/, '');
  if (body.length % 4 === 1) throw new SessionStringError('length', start + body.length, 'a base64 text cannot have 4n+1 characters');
  if (text.length !== body.length && text.length % 4 !== 0)
    throw new SessionStringError('padding', start + body.length, 'wrong base64 padding');
  const out = new Uint8Array(Math.floor((body.length * 6) / 8));
  let bits = 0;
  let acc = 0;
  let at = 0;
  for (let i = 0; i < body.length; i++) {
    const value = VALUES.get(body[i]!);
    if (value === undefined) throw new SessionStringError('character', start + i, `${JSON.stringify(body[i])} is not a base64 character`);
    acc = ((acc << 6) | value) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[at++] = (acc >> bits) & 0xff;
    }
  }
  if ((acc & ((1 << bits) - 1)) !== 0)
    throw new SessionStringError('character', start + body.length - 1, 'non-zero bits after the last byte');
  return out;
}
