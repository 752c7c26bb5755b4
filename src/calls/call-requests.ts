/**
 * The phone.* requests of the call key exchange, built from what OutgoingCallKeyExchange and
 * IncomingCallKeyExchange return. Plain TL objects: the client sends them, the test server decodes them.
 */
import type { Api } from '../api/index.js';
import type { CallAcceptance, CallConfirmation, CallRequestKeys } from './call-key-exchange.js';

export interface RequestCallParams {
  readonly userId: Api.TypeInputUser;
  /** Deduplicates retries of the same request on the server; any random int32. */
  readonly randomId: number;
  readonly protocol: Api.TypePhoneCallProtocol;
  readonly video?: boolean;
}

/** inputPhoneCall for any PhoneCall update that carries id and access_hash. */
export function inputPhoneCall(call: { readonly id: bigint; readonly accessHash: bigint }): Api.InputPhoneCall {
  return { _: 'inputPhoneCall', id: call.id, accessHash: call.accessHash };
}

export function buildRequestCall(keys: CallRequestKeys, params: RequestCallParams): Api.phone.requestCall {
  const request: Api.phone.requestCall = {
    _: 'phone.requestCall',
    userId: params.userId,
    randomId: params.randomId,
    gAHash: keys.gAHash,
    protocol: params.protocol,
  };
  if (params.video) request.video = true;
  return request;
}

/** phone.receivedCall: tells the caller's side the call is ringing (optional, before accepting). */
export function buildReceivedCall(call: Api.PhoneCallRequested): Api.phone.receivedCall {
  return { _: 'phone.receivedCall', peer: inputPhoneCall(call) };
}

export function buildAcceptCall(acceptance: CallAcceptance, protocol: Api.TypePhoneCallProtocol): Api.phone.acceptCall {
  return { _: 'phone.acceptCall', peer: acceptance.peer, gB: acceptance.gB, protocol };
}

export function buildConfirmCall(confirmation: CallConfirmation, protocol: Api.TypePhoneCallProtocol): Api.phone.confirmCall {
  return { _: 'phone.confirmCall', peer: confirmation.peer, gA: confirmation.gA, keyFingerprint: confirmation.keyFingerprint, protocol };
}

export interface DiscardCallParams {
  readonly reason: Api.TypePhoneCallDiscardReason;
  /** Seconds the call lasted; 0 if it never connected. */
  readonly duration?: number;
  /** The media connection in use, 0 if none. */
  readonly connectionId?: bigint;
  readonly video?: boolean;
}

export function buildDiscardCall(
  call: { readonly id: bigint; readonly accessHash: bigint },
  params: DiscardCallParams,
): Api.phone.discardCall {
  const request: Api.phone.discardCall = {
    _: 'phone.discardCall',
    peer: inputPhoneCall(call),
    duration: params.duration ?? 0,
    reason: params.reason,
    connectionId: params.connectionId ?? 0n,
  };
  if (params.video) request.video = true;
  return request;
}
