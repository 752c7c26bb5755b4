/**
 * Both sides of the end-to-end call key exchange (spec §7 steps 2-6) as pure state machines: no I/O,
 * the randomness injected. Each method takes the update the client received and returns what the next
 * request needs (call-requests.ts builds the TL objects).
 *
 *   caller A                                       callee B
 *   start(dh)            → phone.requestCall(g_a_hash)
 *                                                  requested(phoneCallRequested, dh) → phone.acceptCall(g_b)
 *   accepted(phoneCallAccepted) → phone.confirmCall(g_a, key_fingerprint), CallKey
 *                                                  confirmed(phoneCall) → CallKey
 *   established(phoneCall): checks the server relayed our fingerprint
 *
 * Errors: a SecurityError (DH checks, g_a_hash, fingerprint) ends the exchange, and every later call
 * throws CallError('wrong_state'); start a new exchange (and discard the call). A CallError for an
 * update that does not fit (wrong order, another call's id, same step with different content) leaves
 * the exchange as it was. An update identical to one already handled returns null: updates are
 * delivered at least once, and handling one twice would send a second accept/confirm.
 */
import { bigIntFromBytes, bigIntToBytes } from '../crypto/bigint.js';
import { constantTimeEqual } from '../crypto/compare.js';
import { dhSharedKey, generateDhKeyPair } from '../crypto/dh.js';
import type { CryptoProvider, RandomSource } from '../crypto/provider.js';
import { SecurityError } from '../crypto/security-error.js';
import type { Api } from '../api/index.js';
import { CallError } from './call-error.js';
import { callKeyFingerprint, makeCallKey, type CallKey } from './call-key.js';
import { inputPhoneCall } from './call-requests.js';
import { callSecretSource, type CallDhParams } from './dh-config.js';

export interface CallKeyExchangeOptions {
  readonly crypto: CryptoProvider;
  /** Local randomness for the DH secret (the server's is XORed in). Default: crypto.randomBytes. */
  readonly random?: RandomSource;
}

/** The call a phone.* request refers to: inputPhoneCall of the update's id and access_hash. */
export interface CallPeer {
  readonly peer: Api.InputPhoneCall;
}

/** What phone.requestCall needs from the caller's exchange. */
export interface CallRequestKeys {
  /** SHA256(g_a), 32 bytes: commits the caller to g_a before it sees g_b. */
  readonly gAHash: Uint8Array;
}

/** What phone.acceptCall needs from the callee's exchange. */
export interface CallAcceptance extends CallPeer {
  /** g^b mod p, 256 bytes big-endian. */
  readonly gB: Uint8Array;
}

/** What phone.confirmCall needs from the caller's exchange, and the finished key. */
export interface CallConfirmation extends CallPeer {
  /** g^a mod p, 256 bytes big-endian, the value whose hash went in phone.requestCall. */
  readonly gA: Uint8Array;
  readonly keyFingerprint: bigint;
  readonly callKey: CallKey;
}

/** g_a and g_b travel as exactly 256 bytes; g_a_hash and the emoji hash cover those exact bytes. */
const PUBLIC_LENGTH = 256;
const HASH_LENGTH = 32;

/** One message for every cryptographic refusal, as for the auth key: only `check` tells them apart. */
function refused(check: string): SecurityError {
  return new SecurityError(check, 'call key exchange: update rejected');
}

function checkPublicLength(value: Uint8Array): void {
  if (value.length !== PUBLIC_LENGTH) throw refused('dh_public_length');
}

/** A secret in 1 < x < p-1 from local XOR server randomness, and its public value as 256 bytes. */
function drawKeyPair(dh: CallDhParams, options: CallKeyExchangeOptions): { secret: bigint; publicBytes: Uint8Array } {
  const crypto = options.crypto;
  const local = options.random ?? ((n: number) => crypto.randomBytes(n));
  const pair = generateDhKeyPair(dh.p, dh.g, crypto, { random: callSecretSource(dh, local) });
  return { secret: pair.secret, publicBytes: bigIntToBytes(pair.publicValue, PUBLIC_LENGTH) };
}

function checkCallId(expected: bigint, got: bigint): void {
  if (got !== expected) throw new CallError('wrong_call', `update for call ${got}, this exchange is for call ${expected}`);
}

function conflicting(what: string): CallError {
  return new CallError('wrong_state', `a second ${what} with different content`);
}

type OutgoingState =
  | { readonly step: 'idle' }
  | { readonly step: 'requested'; readonly dh: CallDhParams; readonly secret: bigint; readonly gA: Uint8Array; callId?: bigint }
  | { readonly step: 'confirmed'; readonly callId: bigint; readonly gB: Uint8Array; readonly confirmation: CallConfirmation }
  | { readonly step: 'failed' };

/** The caller's (A's) side. One instance per outgoing call. */
export class OutgoingCallKeyExchange {
  private state: OutgoingState = { step: 'idle' };

  constructor(private readonly options: CallKeyExchangeOptions) {}

  /** Draws a and g_a for the checked group `dh` (DhConfigCache.accept). Once per exchange. */
  start(dh: CallDhParams): CallRequestKeys {
    if (this.state.step !== 'idle') throw new CallError('wrong_state', 'start() called twice');
    const { secret, publicBytes: gA } = drawKeyPair(dh, this.options);
    this.state = { step: 'requested', dh, secret, gA };
    return { gAHash: this.options.crypto.sha256(gA) };
  }

  /**
   * Binds the exchange to the call id of phone.requestCall's answer (normally phoneCallWaiting), so that
   * a phoneCallAccepted of another call is refused. Optional: without it the first accepted update binds.
   */
  waiting(call: { readonly id: bigint }): void {
    const state = this.state;
    if (state.step !== 'requested') throw new CallError('wrong_state', `call answer in state ${state.step}`);
    if (state.callId === undefined) state.callId = call.id;
    else checkCallId(state.callId, call.id);
  }

  /**
   * phoneCallAccepted: checks g_b, computes the key. Returns null for a repeat of the update already
   * handled (nothing to send again).
   */
  accepted(call: Api.PhoneCallAccepted): CallConfirmation | null {
    const state = this.state;
    if (state.step === 'confirmed') {
      checkCallId(state.callId, call.id);
      if (constantTimeEqual(call.gB, state.gB)) return null;
      throw conflicting('phoneCallAccepted');
    }
    if (state.step !== 'requested') throw new CallError('wrong_state', `phoneCallAccepted in state ${state.step}`);
    if (state.callId !== undefined) checkCallId(state.callId, call.id);
    const crypto = this.options.crypto;
    let key: Uint8Array;
    try {
      checkPublicLength(call.gB);
      key = dhSharedKey(bigIntFromBytes(call.gB), state.secret, state.dh.p, crypto); // checkDhPublic(g_b) first
    } catch (error) {
      this.state = { step: 'failed' };
      throw error;
    }
    const callKey = makeCallKey(key, state.gA, crypto);
    const confirmation: CallConfirmation = { peer: inputPhoneCall(call), gA: state.gA, keyFingerprint: callKey.fingerprint, callKey };
    // The secret a is dropped with the 'requested' state: it is not needed once the key exists.
    this.state = { step: 'confirmed', callId: call.id, gB: new Uint8Array(call.gB), confirmation };
    return confirmation;
  }

  /**
   * phoneCall (the answer to phone.confirmCall, and any later phoneCall update): checks that it carries
   * the g_b and key fingerprint this exchange used. May be called any number of times; a mismatch is a
   * SecurityError and ends the exchange.
   */
  established(call: Api.PhoneCall): void {
    const state = this.state;
    if (state.step !== 'confirmed') throw new CallError('wrong_state', `phoneCall in state ${state.step}`);
    checkCallId(state.callId, call.id);
    const check = !constantTimeEqual(call.gAOrB, state.gB)
      ? 'call_g_b_changed'
      : call.keyFingerprint !== state.confirmation.keyFingerprint
        ? 'call_key_fingerprint'
        : undefined;
    if (check !== undefined) {
      this.state = { step: 'failed' };
      throw refused(check);
    }
  }
}

type IncomingState =
  | { readonly step: 'idle' }
  | {
      readonly step: 'accepting';
      readonly callId: bigint;
      readonly gAHash: Uint8Array;
      readonly dh: CallDhParams;
      readonly secret: bigint;
    }
  | {
      readonly step: 'confirmed';
      readonly callId: bigint;
      readonly gAHash: Uint8Array;
      readonly gA: Uint8Array;
      readonly fingerprint: bigint;
    }
  | { readonly step: 'failed' };

/** The callee's (B's) side. One instance per incoming call. */
export class IncomingCallKeyExchange {
  private state: IncomingState = { step: 'idle' };

  constructor(private readonly options: CallKeyExchangeOptions) {}

  /**
   * phoneCallRequested: remembers g_a_hash and draws b, g_b for the checked group `dh`. Call it when the
   * user accepts. Returns null for a repeat of the update already handled.
   */
  requested(call: Api.PhoneCallRequested, dh: CallDhParams): CallAcceptance | null {
    const state = this.state;
    if (state.step === 'accepting' || state.step === 'confirmed') {
      checkCallId(state.callId, call.id);
      if (constantTimeEqual(call.gAHash, state.gAHash)) return null;
      throw conflicting('phoneCallRequested');
    }
    if (state.step !== 'idle') throw new CallError('wrong_state', `phoneCallRequested in state ${state.step}`);
    if (call.gAHash.length !== HASH_LENGTH) {
      this.state = { step: 'failed' };
      throw refused('call_g_a_hash_length');
    }
    const { secret, publicBytes: gB } = drawKeyPair(dh, this.options);
    this.state = { step: 'accepting', callId: call.id, gAHash: new Uint8Array(call.gAHash), dh, secret };
    return { peer: inputPhoneCall(call), gB };
  }

  /**
   * phoneCall: checks g_a against the g_a_hash of the request, g_a itself, and the caller's key
   * fingerprint against ours. Returns null for a repeat of the update already handled.
   */
  confirmed(call: Api.PhoneCall): CallKey | null {
    const state = this.state;
    if (state.step === 'confirmed') {
      checkCallId(state.callId, call.id);
      if (constantTimeEqual(call.gAOrB, state.gA) && call.keyFingerprint === state.fingerprint) return null;
      throw conflicting('phoneCall');
    }
    if (state.step !== 'accepting') throw new CallError('wrong_state', `phoneCall in state ${state.step}`);
    checkCallId(state.callId, call.id);
    const crypto = this.options.crypto;
    const gA = new Uint8Array(call.gAOrB);
    try {
      checkPublicLength(gA);
      // The commitment first: a g_a chosen after seeing g_b is what g_a_hash exists to stop.
      if (!constantTimeEqual(crypto.sha256(gA), state.gAHash)) throw refused('call_g_a_hash');
      const key = dhSharedKey(bigIntFromBytes(gA), state.secret, state.dh.p, crypto); // checkDhPublic(g_a) first
      const fingerprint = callKeyFingerprint(key, crypto);
      if (fingerprint !== call.keyFingerprint) throw refused('call_key_fingerprint');
      this.state = { step: 'confirmed', callId: call.id, gAHash: state.gAHash, gA, fingerprint };
      return makeCallKey(key, gA, crypto);
    } catch (error) {
      this.state = { step: 'failed' };
      throw error;
    }
  }
}
