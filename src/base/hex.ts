/** Lower-case hex of bytes, and back, without Node's Buffer (so that code running anywhere can use them). */

const BYTE_HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

export function bytesToHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += BYTE_HEX[b];
  return out;
}

/** Whether `text` is whole bytes of hex digits (either case); the empty string is zero bytes. */
export function isHex(text: string): boolean {
  return /^(?:[0-9a-fA-F]{2})*$/.test(text);
}

/** The bytes of a string that `isHex` accepts. */
export function hexToBytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}
