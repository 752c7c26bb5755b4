import { describe, expect, it } from 'vitest';
import { readInt64LE } from '../../src/crypto/bigint.js';
import { SecurityError } from '../../src/crypto/security-error.js';
import { decodePlainMessage, encodePlainMessage, PLAIN_HEADER_LENGTH } from '../../src/mtproto/plain-message.js';
import { fixtureJson, fromHex, toHex } from '../helpers.js';

const samples = fixtureJson('samples-auth-key.json');

function checkOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof SecurityError) return error.check;
    throw error;
  }
  throw new Error('expected a SecurityError');
}

describe('unencrypted messages', () => {
  it('encode reproduces the official req_pq_multi message; decode returns its msg_id and body', () => {
    const step = samples.versions[0].steps[0];
    const message = fromHex(step.payload_hex);
    const msgId = readInt64LE(fromHex(step.message_id_wire));
    const decoded = decodePlainMessage(message, { sender: 'client' });
    expect(decoded.msgId).toBe(msgId);
    expect(toHex(decoded.body)).toBe(toHex(message.subarray(PLAIN_HEADER_LENGTH)));
    expect(toHex(encodePlainMessage(msgId, decoded.body))).toBe(toHex(message));
  });

  it('accepts an empty body', () => {
    expect(decodePlainMessage(encodePlainMessage(4n, new Uint8Array(0))).body).toHaveLength(0);
  });

  it('is strict: auth_key_id, exact length, sender parity', () => {
    const good = encodePlainMessage(8n, new Uint8Array([1, 2, 3, 4]));
    expect(checkOf(() => decodePlainMessage(Uint8Array.from(good, (b, i) => (i === 7 ? 1 : b))))).toBe('plain_auth_key_id');
    expect(checkOf(() => decodePlainMessage(good.subarray(0, good.length - 1)))).toBe('plain_length');
    expect(checkOf(() => decodePlainMessage(Uint8Array.from([...good, 0])))).toBe('plain_length');
    expect(checkOf(() => decodePlainMessage(good.subarray(0, 12)))).toBe('plain_length');
    expect(checkOf(() => decodePlainMessage(good, { sender: 'server' }))).toBe('plain_msg_id');
    expect(checkOf(() => decodePlainMessage(encodePlainMessage(9n, new Uint8Array(0)), { sender: 'client' }))).toBe('plain_msg_id');
    expect(checkOf(() => decodePlainMessage(encodePlainMessage(6n, new Uint8Array(0)), { sender: 'client' }))).toBe('plain_msg_id');
    expect(decodePlainMessage(good, { sender: 'client' }).msgId).toBe(8n);
  });
});
