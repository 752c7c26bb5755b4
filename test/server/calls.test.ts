import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  DhConfigCache,
  IncomingCallKeyExchange,
  OutgoingCallKeyExchange,
  buildAcceptCall,
  buildConfirmCall,
  buildDiscardCall,
  buildReceivedCall,
  buildRequestCall,
} from '../../src/calls/index.js';
import { bigIntFromBytes } from '../../src/crypto/bigint.js';
import { TELEGRAM_DH_PRIME } from '../../src/crypto/dh.js';
import { nodeCrypto } from '../../src/crypto/node.js';
import { DEFAULT_TEST_USERS, startTestServer, TEST_REFLECTOR, type TestServer } from '../../src/server/index.js';
import type { Api, TlObject } from '../../src/api/index.js';
import { RawClient } from './raw-client.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ transports: ['tcp'] });
});
afterAll(async () => {
  await server.close();
});

const [alice, bob, carol, dave] = DEFAULT_TEST_USERS as [(typeof DEFAULT_TEST_USERS)[number], ...(typeof DEFAULT_TEST_USERS)[number][]];
const inputUser = (user: typeof alice): Api.InputUser => ({ _: 'inputUser', userId: user.id, accessHash: user.accessHash });
const protocol: Api.PhoneCallProtocol = {
  _: 'phoneCallProtocol',
  udpP2p: true,
  udpReflector: true,
  minLayer: 65,
  maxLayer: 92,
  libraryVersions: ['2.4.4', '4.0.0'],
};

async function signedIn(user: typeof alice): Promise<RawClient> {
  const client = await RawClient.connect(server);
  await client.invoke({ _: 'auth.importBotAuthorization', flags: 0, apiId: 1, apiHash: 'test', botAuthToken: `${user.id}:test` });
  return client;
}

/** The PhoneCall of kind `kind` in an `updates` with updatePhoneCall (and the call id, if given). */
function phoneCallUpdate<K extends Api.TypePhoneCall['_']>(kind: K, id?: bigint) {
  return (update: TlObject): Extract<Api.TypePhoneCall, { _: K }> | undefined => {
    if (update._ !== 'updates') return undefined;
    for (const u of (update as Api.Updates).updates) {
      if (u._ === 'updatePhoneCall' && u.phoneCall._ === kind && (id === undefined || u.phoneCall.id === id))
        return u.phoneCall as Extract<Api.TypePhoneCall, { _: K }>;
    }
    return undefined;
  };
}

async function dhParams(client: RawClient, cache = new DhConfigCache()) {
  return cache.accept((await client.invoke(cache.request())) as Api.messages.TypeDhConfig, nodeCrypto);
}

describe('the call flow between two clients', () => {
  test('request → phoneCallRequested → accept → phoneCallAccepted → confirm → phoneCall with the fingerprint → discard', async () => {
    const [caller, callee] = await Promise.all([signedIn(alice), signedIn(bob)]);
    const outgoing = new OutgoingCallKeyExchange({ crypto: nodeCrypto });
    const incoming = new IncomingCallKeyExchange({ crypto: nodeCrypto });

    const keys = outgoing.start(await dhParams(caller));
    const requested = (await caller.invoke(
      buildRequestCall(keys, { userId: inputUser(bob), randomId: 7, protocol }),
    )) as Api.phone.PhoneCall;
    expect(requested.phoneCall).toMatchObject({ _: 'phoneCallWaiting', adminId: alice.id, participantId: bob.id });
    expect(requested.users.map((u) => u.id)).toEqual([alice.id, bob.id]);
    const callId = (requested.phoneCall as Api.PhoneCallWaiting).id;
    outgoing.waiting(requested.phoneCall as Api.PhoneCallWaiting);

    const ringing = await callee.nextUpdate(phoneCallUpdate('phoneCallRequested', callId));
    expect(ringing.gAHash).toEqual(keys.gAHash);
    expect(await callee.invoke(buildReceivedCall(ringing))).toBe(true);
    expect((await caller.nextUpdate(phoneCallUpdate('phoneCallWaiting', callId))).receiveDate).toBeGreaterThan(0);

    const acceptance = incoming.requested(ringing, await dhParams(callee))!;
    const accepted = (await callee.invoke(buildAcceptCall(acceptance, protocol))) as Api.phone.PhoneCall;
    expect(accepted.phoneCall._).toBe('phoneCallWaiting');

    const gB = await caller.nextUpdate(phoneCallUpdate('phoneCallAccepted', callId));
    expect(gB.gB).toEqual(acceptance.gB);
    const confirmation = outgoing.accepted(gB)!;
    const confirmed = (await caller.invoke(buildConfirmCall(confirmation, protocol))) as Api.phone.PhoneCall;
    const callerView = confirmed.phoneCall as Api.PhoneCall;
    expect(callerView).toMatchObject({ _: 'phoneCall', gAOrB: acceptance.gB, keyFingerprint: confirmation.keyFingerprint });
    outgoing.established(callerView);

    const calleeView = await callee.nextUpdate(phoneCallUpdate('phoneCall', callId));
    expect(calleeView).toMatchObject({ gAOrB: confirmation.gA, keyFingerprint: confirmation.keyFingerprint, p2pAllowed: true });
    expect(calleeView.connections[0]).toMatchObject({ _: 'phoneConnection', ip: TEST_REFLECTOR.ip, port: TEST_REFLECTOR.port });
    expect(calleeView.protocol).toMatchObject({ minLayer: 65, maxLayer: 92, libraryVersions: ['2.4.4', '4.0.0'] });
    const calleeKey = incoming.confirmed(calleeView)!;
    expect(calleeKey.fingerprint).toBe(confirmation.keyFingerprint);
    expect(calleeKey.emojis).toEqual(confirmation.callKey.emojis);

    const hangup = (await callee.invoke(
      buildDiscardCall(calleeView, { reason: { _: 'phoneCallDiscardReasonHangup' }, duration: 3 }),
    )) as Api.Updates;
    expect(hangup.updates[0]).toMatchObject({ _: 'updatePhoneCall', phoneCall: { _: 'phoneCallDiscarded', id: callId, duration: 3 } });
    const ended = await caller.nextUpdate(phoneCallUpdate('phoneCallDiscarded', callId));
    expect(ended.reason).toEqual({ _: 'phoneCallDiscardReasonHangup' });
    caller.close();
    callee.close();
  });

  test('a retried request (same random_id) gets the same call, and the callee rings once', async () => {
    const [caller, callee] = await Promise.all([signedIn(alice), signedIn(bob)]);
    const request = { _: 'phone.requestCall', userId: inputUser(bob), randomId: 99, gAHash: new Uint8Array(32), protocol } as const;
    const first = (await caller.invoke(request)) as Api.phone.PhoneCall;
    const second = (await caller.invoke(request)) as Api.phone.PhoneCall;
    expect((second.phoneCall as Api.PhoneCallWaiting).id).toBe((first.phoneCall as Api.PhoneCallWaiting).id);
    const id = (first.phoneCall as Api.PhoneCallWaiting).id;
    await callee.nextUpdate(phoneCallUpdate('phoneCallRequested', id));
    expect(callee.updates.filter((u) => phoneCallUpdate('phoneCallRequested', id)(u))).toHaveLength(1);
    caller.close();
    callee.close();
  });
});

describe('call errors', () => {
  const request = (user: Api.TypeInputUser, over: Partial<Api.PhoneCallProtocol> = {}) =>
    ({
      _: 'phone.requestCall',
      userId: user,
      randomId: Math.floor(Math.random() * 1e9),
      gAHash: new Uint8Array(32),
      protocol: { ...protocol, ...over },
    }) as const;

  test('who may be called, and with which protocol', async () => {
    const caller = await signedIn(alice);
    await expect(caller.invoke(request(inputUser(carol!)))).rejects.toMatchObject({ code: 403, errorMessage: 'USER_PRIVACY_RESTRICTED' });
    await expect(caller.invoke(request(inputUser(dave!)))).rejects.toMatchObject({ errorMessage: 'USER_IS_BLOCKED' });
    await expect(caller.invoke(request({ _: 'inputUser', userId: bob.id, accessHash: 1n }))).rejects.toMatchObject({
      errorMessage: 'USER_ID_INVALID',
    });
    await expect(caller.invoke(request({ _: 'inputUserSelf' }))).rejects.toMatchObject({ errorMessage: 'USER_ID_INVALID' });
    await expect(caller.invoke(request(inputUser(bob), { udpP2p: false, udpReflector: false }))).rejects.toMatchObject({
      errorMessage: 'CALL_PROTOCOL_FLAGS_INVALID',
    });
    await expect(caller.invoke(request(inputUser(bob), { maxLayer: 64 }))).rejects.toMatchObject({
      errorMessage: 'PARTICIPANT_VERSION_OUTDATED',
    });
    caller.close();
  });

  test('steps out of turn: the caller cannot accept, the callee cannot confirm, nobody accepts twice', async () => {
    const [caller, callee] = await Promise.all([signedIn(alice), signedIn(bob)]);
    const waiting = ((await caller.invoke(request(inputUser(bob)))) as Api.phone.PhoneCall).phoneCall as Api.PhoneCallWaiting;
    const peer: Api.InputPhoneCall = { _: 'inputPhoneCall', id: waiting.id, accessHash: waiting.accessHash };
    const gB = new Uint8Array(256).fill(2);
    await expect(caller.invoke({ _: 'phone.acceptCall', peer, gB, protocol })).rejects.toMatchObject({ errorMessage: 'CALL_PEER_INVALID' });
    await callee.invoke({ _: 'phone.acceptCall', peer, gB, protocol });
    await expect(callee.invoke({ _: 'phone.acceptCall', peer, gB, protocol })).rejects.toMatchObject({
      errorMessage: 'CALL_ALREADY_ACCEPTED',
    });
    await expect(callee.invoke({ _: 'phone.confirmCall', peer, gA: gB, keyFingerprint: 1n, protocol })).rejects.toMatchObject({
      errorMessage: 'CALL_PEER_INVALID',
    });
    await expect(
      caller.invoke({ _: 'phone.confirmCall', peer: { ...peer, accessHash: 5n }, gA: gB, keyFingerprint: 1n, protocol }),
    ).rejects.toMatchObject({
      errorMessage: 'CALL_PEER_INVALID',
    });
    caller.close();
    callee.close();
  });

  test('messages.getDhConfig: Telegram’s prime with g = 3, then dhConfigNotModified with fresh random bytes', async () => {
    const client = await signedIn(alice);
    const full = (await client.invoke({ _: 'messages.getDhConfig', version: 0, randomLength: 256 })) as Api.messages.DhConfig;
    expect([bigIntFromBytes(full.p) === TELEGRAM_DH_PRIME, full.g, full.random.length]).toEqual([true, 3, 256]);
    const again = await client.invoke({ _: 'messages.getDhConfig', version: full.version, randomLength: 16 });
    expect(again).toMatchObject({ _: 'messages.dhConfigNotModified' });
    expect((again as Api.messages.DhConfigNotModified).random).toHaveLength(16);
    client.close();
  });
});
