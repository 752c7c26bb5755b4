import { bigIntToBytes } from '../../src/crypto/bigint.js';
import { TELEGRAM_DH_PRIME } from '../../src/crypto/dh.js';
import { CallError, type CallErrorReason } from '../../src/calls/call-error.js';
import type { CallDhParams } from '../../src/calls/dh-config.js';
import type { Api } from '../../src/api/index.js';

export const CALL_ID = 0x1122334455667788n;
export const ACCESS_HASH = -0x0102030405060708n;

export const PROTOCOL: Api.PhoneCallProtocol = {
  _: 'phoneCallProtocol',
  udpP2p: true,
  udpReflector: true,
  minLayer: 65,
  maxLayer: 92,
  libraryVersions: ['9.0.0'],
};

/** Telegram's group with g = 3 and a fixed, non-zero server random, as a checked dhConfig would give. */
export function telegramDh(serverRandom: Uint8Array = new Uint8Array(256).fill(0x5a)): CallDhParams {
  return { p: TELEGRAM_DH_PRIME, g: 3, version: 1, serverRandom };
}

/** A random source that yields `secret` once the server random of `dh` is XORed in. */
export function sourceForSecret(secret: bigint, dh: CallDhParams): (length: number) => Uint8Array {
  const bytes = bigIntToBytes(secret, 256);
  dh.serverRandom.forEach((b, i) => (bytes[i]! ^= b));
  let used = false;
  return (length) => {
    if (used || length !== 256) throw new Error('sourceForSecret: one 256-byte draw only');
    used = true;
    return bytes;
  };
}

const common = { id: CALL_ID, accessHash: ACCESS_HASH, date: 1_700_000_000, adminId: 1n, participantId: 2n, protocol: PROTOCOL };

export function requestedUpdate(gAHash: Uint8Array, id = CALL_ID): Api.PhoneCallRequested {
  return { _: 'phoneCallRequested', ...common, id, gAHash };
}

export function acceptedUpdate(gB: Uint8Array, id = CALL_ID): Api.PhoneCallAccepted {
  return { _: 'phoneCallAccepted', ...common, id, gB };
}

/** phoneCall as the server sends it: g_a to the callee, g_b to the caller, with the caller's fingerprint. */
export function phoneCallUpdate(gAOrB: Uint8Array, keyFingerprint: bigint, id = CALL_ID): Api.PhoneCall {
  return { _: 'phoneCall', ...common, id, gAOrB, keyFingerprint, connections: [], startDate: 1_700_000_010 };
}

/** Runs `fn` and returns the CallError it throws, checking its reason. */
export function callErrorOf(fn: () => unknown, reason: CallErrorReason): CallError {
  try {
    fn();
  } catch (error) {
    if (error instanceof CallError && error.reason === reason) return error;
    throw new Error(`expected CallError(${reason}), got ${String(error)}`);
  }
  throw new Error(`expected CallError(${reason}), nothing was thrown`);
}
