/**
 * The unencrypted envelope of the handshake (spec §3):
 * `auth_key_id = 0 (8) | msg_id (int64 LE) | message_data_length (int32 LE) | message_data`.
 * It is what a transport frame carries before an auth key exists.
 */
import { SecurityError } from '../crypto/security-error.js';
import { hasSenderParity } from './msg-id.js';

export const PLAIN_HEADER_LENGTH = 20;

export interface PlainMessage {
  readonly msgId: bigint;
  /** A view into the decoded input. */
  readonly body: Uint8Array;
}

export interface DecodePlainOptions {
  /** Check the msg_id class of this sender: 'client' ≡ 0 (mod 4), 'server' odd. */
  readonly sender?: 'client' | 'server';
}

function rejected(check: string): SecurityError {
  return new SecurityError(check, 'unencrypted message rejected');
}

export function encodePlainMessage(msgId: bigint, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(PLAIN_HEADER_LENGTH + body.length);
  const view = new DataView(out.buffer);
  view.setBigInt64(8, BigInt.asIntN(64, msgId), true);
  view.setInt32(16, body.length, true);
  out.set(body, PLAIN_HEADER_LENGTH);
  return out;
}

/**
 * Strict: the auth_key_id must be zero, the length field must equal the bytes that follow exactly, and
 * (when `sender` is given) the msg_id must have that sender's parity. Every refusal is a SecurityError
 * whose check is `plain_length`, `plain_auth_key_id` or `plain_msg_id`.
 */
export function decodePlainMessage(bytes: Uint8Array, options: DecodePlainOptions = {}): PlainMessage {
  if (bytes.length < PLAIN_HEADER_LENGTH) throw rejected('plain_length');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getBigUint64(0, true) !== 0n) throw rejected('plain_auth_key_id');
  if (view.getInt32(16, true) !== bytes.length - PLAIN_HEADER_LENGTH) throw rejected('plain_length');
  const msgId = view.getBigInt64(8, true);
  if (options.sender !== undefined && !hasSenderParity(msgId, options.sender)) throw rejected('plain_msg_id');
  return { msgId, body: bytes.subarray(PLAIN_HEADER_LENGTH) };
}
