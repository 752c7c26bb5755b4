/**
 * The whole signalling side of a 1:1 call over anything that can invoke requests and deliver updates
 * (an `Invoker`: `MtprotoClient` is one, and so is any other client or a test double): the caller's
 * getDhConfig → requestCall → (phoneCallAccepted) → confirmCall, and the callee's
 * (phoneCallRequested) → receivedCall → acceptCall → (phoneCall). Both end with the same CallKey.
 */
import type { CryptoProvider } from '../crypto/provider.js';
import { MtwireError } from '../base/errors.js';
import type { TlObject } from '../api/index.js';
// The namespace itself (see client.ts): a bundle keeps only the entries used, not the schema's namespace objects.
import * as Api from '../generated/api/types/index.js';
import type { CallKey } from './call-key.js';
import { IncomingCallKeyExchange, OutgoingCallKeyExchange } from './call-key-exchange.js';
import { buildAcceptCall, buildConfirmCall, buildReceivedCall, buildRequestCall } from './call-requests.js';
import { DhConfigCache } from './dh-config.js';

/**
 * What the call flow needs of a client, and nothing more: the calls layer sits beside the client rather
 * than on it, so it names this interface instead of `MtprotoClient` (which satisfies it structurally).
 */
export interface Invoker {
  /**
   * Resolves with the request's result. Typed `unknown` here on purpose: asking TypeScript to match
   * `Promise<Api.ResultOf<M>>` structurally against a client's own signature makes it expand the whole
   * union of results; `typedInvoke` below gives the flow its typed results back.
   */
  invoke<M extends TlObject>(request: M): Promise<unknown>;
  /** Subscribes to every update the client receives; the returned function unsubscribes. */
  readonly updates: { on(listener: (update: TlObject) => void): () => void };
}

/** `client.invoke(request)`, typed by the request as the schema types it. */
function typedInvoke<M extends TlObject>(client: Invoker, request: M): Promise<Api.ResultOf<M>> {
  return client.invoke(request) as Promise<Api.ResultOf<M>>;
}

/** What both sides announce: UDP P2P and reflectors, libtgvoip layers 65..92. */
export const DEFAULT_CALL_PROTOCOL: Api.PhoneCallProtocol = {
  _: 'phoneCallProtocol',
  udpP2p: true,
  udpReflector: true,
  minLayer: 65,
  maxLayer: 92,
  libraryVersions: ['2.4.4', '3.0.0'],
};

export interface CallFlowOptions {
  crypto: CryptoProvider;
  protocol?: Api.PhoneCallProtocol;
  /** Told each step as it happens (for logs and demos). */
  onStep?: (step: string) => void;
  /** How long to wait for the other side's update (default 30 s). */
  timeoutMs?: number;
  /** One cache per account: a second call reuses the DH config (dhConfigNotModified). */
  dhCache?: DhConfigCache;
}

export interface CallResult {
  callKey: CallKey;
  call: Api.PhoneCall;
}

/** Calls `user` and resolves once the callee has accepted and the key is confirmed. */
export async function placeCall(
  client: Invoker,
  user: Api.TypeInputUser,
  options: CallFlowOptions & { video?: boolean },
): Promise<CallResult> {
  const step = options.onStep ?? (() => undefined);
  const protocol = options.protocol ?? DEFAULT_CALL_PROTOCOL;
  const dh = await fetchDhConfig(client, options);
  step(`DH config: ${dh.p.toString(16).length * 4}-bit prime, g = ${dh.g}, version ${dh.version}`);
  const exchange = new OutgoingCallKeyExchange({ crypto: options.crypto });
  const keys = exchange.start(dh);
  const randomId = new DataView(options.crypto.randomBytes(4).buffer).getInt32(0);
  const accepted = waitForPhoneCall(client, 'phoneCallAccepted', options.timeoutMs);
  const answer = await typedInvoke(client, buildRequestCall(keys, { userId: user, randomId, protocol, video: options.video }));
  const waiting = answer.phoneCall;
  step(`phone.requestCall → ${waiting._} (call ${'id' in waiting ? waiting.id : '?'})`);
  const call = await accepted;
  step(`update: phoneCallAccepted (g_b ${call.gB.length} bytes)`);
  const confirmation = exchange.accepted(call);
  if (!confirmation) throw new MtwireError('CALL_FLOW', 'phoneCallAccepted was a duplicate');
  const confirmed = await typedInvoke(client, buildConfirmCall(confirmation, protocol));
  if (confirmed.phoneCall._ !== 'phoneCall') throw new MtwireError('CALL_FLOW', `phone.confirmCall answered ${confirmed.phoneCall._}`);
  exchange.established(confirmed.phoneCall);
  step(`phone.confirmCall → phoneCall, key fingerprint ${hex64(confirmation.keyFingerprint)}`);
  return { callKey: confirmation.callKey, call: confirmed.phoneCall };
}

/** Waits for the next incoming call, accepts it and resolves once the caller has confirmed the key. */
export async function answerNextCall(client: Invoker, options: CallFlowOptions): Promise<CallResult> {
  const step = options.onStep ?? (() => undefined);
  const protocol = options.protocol ?? DEFAULT_CALL_PROTOCOL;
  const requested = await waitForPhoneCall(client, 'phoneCallRequested', options.timeoutMs);
  step(`update: phoneCallRequested from user ${requested.adminId} (video: ${requested.video ?? false})`);
  const dh = await fetchDhConfig(client, options);
  const exchange = new IncomingCallKeyExchange({ crypto: options.crypto });
  const acceptance = exchange.requested(requested, dh);
  if (!acceptance) throw new MtwireError('CALL_FLOW', 'phoneCallRequested was a duplicate');
  await typedInvoke(client, buildReceivedCall(requested));
  step('phone.receivedCall → ringing');
  const confirmed = waitForPhoneCall(client, 'phoneCall', options.timeoutMs);
  const accepted = await typedInvoke(client, buildAcceptCall(acceptance, protocol));
  step(`phone.acceptCall → ${accepted.phoneCall._}`);
  const call = await confirmed;
  const callKey = exchange.confirmed(call);
  if (!callKey) throw new MtwireError('CALL_FLOW', 'phoneCall was a duplicate');
  step(`update: phoneCall, g_a matches g_a_hash, key fingerprint ${hex64(callKey.fingerprint)}`);
  return { callKey, call };
}

async function fetchDhConfig(client: Invoker, options: CallFlowOptions) {
  const cache = options.dhCache ?? new DhConfigCache();
  return cache.accept(await typedInvoke(client, cache.request()), options.crypto);
}

type PhoneCallKind = Api.TypePhoneCall['_'];

/** Resolves with the next PhoneCall of `kind` in the client's updates. Subscribe before sending what triggers it. */
export function waitForPhoneCall<K extends PhoneCallKind>(
  client: Invoker,
  kind: K,
  timeoutMs = 30_000,
): Promise<Extract<Api.TypePhoneCall, { _: K }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new MtwireError('CALL_TIMEOUT', `no ${kind} within ${timeoutMs} ms`));
    }, timeoutMs);
    const stop = client.updates.on((update) => {
      const call = phoneCallsIn(update).find((c) => c._ === kind);
      if (!call) return;
      clearTimeout(timer);
      stop();
      resolve(call as Extract<Api.TypePhoneCall, { _: K }>);
    });
  });
}

/** The PhoneCall objects carried by an Updates object (updates, updatesCombined, updateShort). */
export function phoneCallsIn(update: TlObject): Api.TypePhoneCall[] {
  const list: TlObject[] =
    Api.isTypeUpdates(update) && 'updates' in update
      ? update.updates
      : update._ === 'updateShort'
        ? [(update as Api.UpdateShort).update]
        : [update];
  return list.filter((u): u is Api.UpdatePhoneCall => u._ === 'updatePhoneCall').map((u) => u.phoneCall);
}

function hex64(value: bigint): string {
  return BigInt.asUintN(64, value).toString(16).padStart(16, '0');
}
