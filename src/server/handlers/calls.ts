/**
 * The server side of a one-to-one call (spec §7). The server computes no keys: it checks who may call
 * whom and relays g_a_hash, g_b, g_a and key_fingerprint between caller (admin) and callee (participant),
 * each step as an `updates` with updatePhoneCall, the way Telegram delivers them:
 *
 *   caller phone.requestCall  → caller gets phoneCallWaiting, callee is pushed phoneCallRequested (g_a_hash)
 *   callee phone.receivedCall → caller is pushed phoneCallWaiting with receive_date (ringing)
 *   callee phone.acceptCall   → callee gets phoneCallWaiting, caller is pushed phoneCallAccepted (g_b)
 *   caller phone.confirmCall  → caller gets phoneCall (g_b), callee is pushed phoneCall (g_a, key_fingerprint)
 *   either phone.discardCall  → the other side is pushed phoneCallDiscarded
 *
 * The callee checks SHA256(g_a) against g_a_hash; the server, like Telegram's, does not.
 */
import type { Api } from '../../api/index.js';
import { readInt64LE } from '../../crypto/bigint.js';
import { ServerRpcError, type RpcContext, type RpcHandlers, type ServerServices } from '../rpc.js';

/** Calls whose max_layer is below this get PARTICIPANT_VERSION_OUTDATED (libtgvoip 2.4.4 and later speak 65+). */
export const MIN_CALL_LAYER = 65;
/** Where phoneCall says the relay is. Nothing listens there: the test server relays signaling, not media. */
export const TEST_REFLECTOR = { ip: '127.0.0.1', port: 1400 } as const;

interface CallRecord {
  readonly id: bigint;
  readonly accessHash: bigint;
  readonly date: number;
  readonly adminId: bigint;
  readonly participantId: bigint;
  readonly video: boolean;
  readonly gAHash: Uint8Array;
  readonly callerProtocol: Api.PhoneCallProtocol;
  state: 'requested' | 'accepted' | 'active' | 'discarded';
  receiveDate?: number;
  gB?: Uint8Array;
  calleeProtocol?: Api.PhoneCallProtocol;
  gA?: Uint8Array;
  keyFingerprint?: bigint;
  startDate?: number;
  connection?: Api.PhoneConnection;
}

function checkProtocol(protocol: Api.TypePhoneCallProtocol): void {
  if (!protocol.udpP2p && !protocol.udpReflector) throw new ServerRpcError(400, 'CALL_PROTOCOL_FLAGS_INVALID');
  if (protocol.maxLayer < MIN_CALL_LAYER) throw new ServerRpcError(400, 'PARTICIPANT_VERSION_OUTDATED');
}

/** What both sides support: the flags both set, the overlap of the layer ranges, the shared library versions. */
function agreedProtocol(a: Api.PhoneCallProtocol, b: Api.PhoneCallProtocol): Api.PhoneCallProtocol {
  const shared = a.libraryVersions.filter((v) => b.libraryVersions.includes(v));
  const agreed: Api.PhoneCallProtocol = {
    _: 'phoneCallProtocol',
    minLayer: Math.max(a.minLayer, b.minLayer),
    maxLayer: Math.min(a.maxLayer, b.maxLayer),
    libraryVersions: shared.length ? shared : b.libraryVersions,
  };
  if (a.udpP2p && b.udpP2p) agreed.udpP2p = true;
  if (a.udpReflector && b.udpReflector) agreed.udpReflector = true;
  return agreed;
}

/** The fields every non-discarded PhoneCall state shares. */
function common(call: CallRecord) {
  return {
    id: call.id,
    accessHash: call.accessHash,
    date: call.date,
    adminId: call.adminId,
    participantId: call.participantId,
    ...(call.video ? { video: true } : {}),
  };
}

function waiting(call: CallRecord): Api.PhoneCallWaiting {
  return {
    _: 'phoneCallWaiting',
    ...common(call),
    protocol: call.calleeProtocol ?? call.callerProtocol,
    ...(call.receiveDate !== undefined ? { receiveDate: call.receiveDate } : {}),
  };
}

/** The active call as `viewer` sees it: the caller gets g_b, the callee g_a. */
function active(call: CallRecord, viewer: bigint): Api.PhoneCall {
  const protocol = agreedProtocol(call.callerProtocol, call.calleeProtocol!);
  return {
    _: 'phoneCall',
    ...common(call),
    ...(protocol.udpP2p ? { p2pAllowed: true } : {}),
    gAOrB: viewer === call.adminId ? call.gB! : call.gA!,
    keyFingerprint: call.keyFingerprint!,
    protocol,
    connections: [call.connection!],
    startDate: call.startDate!,
  };
}

export function registerCallHandlers(handlers: RpcHandlers): void {
  const calls = new Map<bigint, CallRecord>();
  /** requestCall retried with the same random_id gets the same call back. */
  const byRandomId = new Map<string, bigint>();

  const users = (call: CallRecord, viewer: bigint, server: ServerServices): Api.TypeUser[] =>
    [call.adminId, call.participantId].map((id) => server.users.toApi(server.users.get(id)!, viewer));

  const answer = (call: CallRecord, phoneCall: Api.TypePhoneCall, context: RpcContext): Api.phone.PhoneCall => ({
    _: 'phone.phoneCall',
    phoneCall,
    users: users(call, context.requireUser(), context.server),
  });

  const updates = (call: CallRecord, phoneCall: Api.TypePhoneCall, viewer: bigint, server: ServerServices): Api.Updates => ({
    _: 'updates',
    updates: [{ _: 'updatePhoneCall', phoneCall }],
    users: users(call, viewer, server),
    chats: [],
    date: Math.floor(server.nowSeconds()),
    seq: 0,
  });

  const notify = (call: CallRecord, to: bigint, phoneCall: Api.TypePhoneCall, server: ServerServices): void =>
    server.pushUpdate(to, updates(call, phoneCall, to, server));

  /** The call `peer` names, if the caller of this method takes part in it in the given role. */
  const find = (peer: Api.TypeInputPhoneCall, context: RpcContext, role: 'admin' | 'participant' | 'either'): CallRecord => {
    const userId = context.requireUser();
    const call = calls.get(peer.id);
    const isParty =
      role === 'admin'
        ? call?.adminId === userId
        : role === 'participant'
          ? call?.participantId === userId
          : call?.adminId === userId || call?.participantId === userId;
    if (!call || call.accessHash !== peer.accessHash || !isParty) throw new ServerRpcError(400, 'CALL_PEER_INVALID');
    return call;
  };

  const expectState = (call: CallRecord, state: CallRecord['state']): void => {
    if (call.state === 'discarded') throw new ServerRpcError(400, 'CALL_ALREADY_DECLINED');
    if (call.state !== state) throw new ServerRpcError(400, 'CALL_ALREADY_ACCEPTED');
  };

  const randomLong = (server: ServerServices): bigint => readInt64LE(server.randomBytes(8), 0);

  handlers.register('phone.requestCall', (query, context) => {
    const { server } = context;
    const adminId = context.requireUser();
    const callee = server.users.resolve(query.userId, adminId);
    if (callee.id === adminId) throw new ServerRpcError(400, 'USER_ID_INVALID');
    checkProtocol(query.protocol);
    if (callee.refuseCalls === 'blocked') throw new ServerRpcError(400, 'USER_IS_BLOCKED');
    if (callee.refuseCalls === 'privacy') throw new ServerRpcError(403, 'USER_PRIVACY_RESTRICTED');
    const retried = calls.get(byRandomId.get(`${adminId}:${query.randomId}`) ?? 0n);
    if (retried) return answer(retried, waiting(retried), context);

    const call: CallRecord = {
      id: randomLong(server),
      accessHash: randomLong(server),
      date: Math.floor(server.nowSeconds()),
      adminId,
      participantId: callee.id,
      video: query.video === true,
      gAHash: query.gAHash,
      callerProtocol: query.protocol,
      state: 'requested',
    };
    calls.set(call.id, call);
    byRandomId.set(`${adminId}:${query.randomId}`, call.id);
    notify(call, callee.id, { _: 'phoneCallRequested', ...common(call), gAHash: call.gAHash, protocol: call.callerProtocol }, server);
    return answer(call, waiting(call), context);
  });

  handlers.register('phone.receivedCall', (query, context) => {
    const call = find(query.peer, context, 'participant');
    if (call.state === 'requested' && call.receiveDate === undefined) {
      call.receiveDate = Math.floor(context.server.nowSeconds());
      notify(call, call.adminId, waiting(call), context.server);
    }
    return true;
  });

  handlers.register('phone.acceptCall', (query, context) => {
    const call = find(query.peer, context, 'participant');
    expectState(call, 'requested');
    checkProtocol(query.protocol);
    call.state = 'accepted';
    call.gB = query.gB;
    call.calleeProtocol = query.protocol;
    notify(call, call.adminId, { _: 'phoneCallAccepted', ...common(call), gB: query.gB, protocol: query.protocol }, context.server);
    return answer(call, waiting(call), context);
  });

  handlers.register('phone.confirmCall', (query, context) => {
    const { server } = context;
    const call = find(query.peer, context, 'admin');
    expectState(call, 'accepted');
    call.state = 'active';
    call.gA = query.gA;
    call.keyFingerprint = query.keyFingerprint;
    call.startDate = Math.floor(server.nowSeconds());
    call.connection = {
      _: 'phoneConnection',
      id: randomLong(server),
      ip: TEST_REFLECTOR.ip,
      ipv6: '',
      port: TEST_REFLECTOR.port,
      peerTag: server.randomBytes(16),
    };
    notify(call, call.participantId, active(call, call.participantId), server);
    return answer(call, active(call, call.adminId), context);
  });

  handlers.register('phone.discardCall', (query, context) => {
    const { server } = context;
    const call = find(query.peer, context, 'either');
    const userId = context.requireUser();
    const discarded: Api.PhoneCallDiscarded = {
      _: 'phoneCallDiscarded',
      id: call.id,
      reason: query.reason,
      duration: query.duration,
      ...(call.video ? { video: true } : {}),
    };
    if (call.state !== 'discarded') {
      call.state = 'discarded';
      notify(call, userId === call.adminId ? call.participantId : call.adminId, discarded, server);
    }
    return updates(call, discarded, userId, server);
  });
}
