/**
 * Configuration calls a client makes before anything else: help.getConfig (every DC of the cluster),
 * help.getNearestDc, messages.getDhConfig (Telegram's 2048-bit group, g = 3) and phone.getCallConfig.
 */
import { bigIntToBytes } from '../../crypto/bigint.js';
import { TELEGRAM_DH_PRIME } from '../../crypto/dh.js';
import type { Api } from '../../api/index.js';
import { ServerRpcError, type RpcHandlers, type ServerServices } from '../rpc.js';

/** The version of our one DH config: a client that sends it back gets dhConfigNotModified. */
export const DH_CONFIG_VERSION = 1;
export const DH_CONFIG_G = 3;
/** The most random bytes messages.getDhConfig hands out at once. */
const MAX_DH_RANDOM = 1024;

/** A config a client can run on: every required field set to the value Telegram's production DCs use. */
export function testConfig(server: ServerServices): Api.Config {
  const date = Math.floor(server.nowSeconds());
  return {
    _: 'config',
    date,
    expires: date + 3600,
    testMode: false,
    thisDc: server.dcId,
    dcOptions: [...server.cluster.endpoints.values()].map((dc) => ({ _: 'dcOption', id: dc.id, ipAddress: dc.host, port: dc.port })),
    dcTxtDomainName: 'apv3.stel.com',
    chatSizeMax: 200,
    megagroupSizeMax: 200000,
    forwardedCountMax: 100,
    onlineUpdatePeriodMs: 210000,
    offlineBlurTimeoutMs: 5000,
    offlineIdleTimeoutMs: 30000,
    onlineCloudTimeoutMs: 300000,
    notifyCloudDelayMs: 30000,
    notifyDefaultDelayMs: 1500,
    pushChatPeriodMs: 60000,
    pushChatLimit: 2,
    editTimeLimit: 172800,
    revokeTimeLimit: 2147483647,
    revokePmTimeLimit: 2147483647,
    ratingEDecay: 2419200,
    stickersRecentLimit: 200,
    channelsReadMediaPeriod: 604800,
    callReceiveTimeoutMs: 20000,
    callRingTimeoutMs: 90000,
    callConnectTimeoutMs: 30000,
    callPacketTimeoutMs: 10000,
    meUrlPrefix: 'https://t.me/',
    captionLengthMax: 1024,
    messageLengthMax: 4096,
    webfileDcId: server.dcId,
  };
}

/** What libtgvoip/tgcalls read from phone.getCallConfig; clients only pass it on to the call library. */
const CALL_CONFIG = { audio_frame_size: 60, jitter_min_delay_60: 2, jitter_max_delay_60: 10, audio_congestion_window: 1024 };

export function registerConfigHandlers(handlers: RpcHandlers): void {
  handlers.register('help.getConfig', (_query, context) => testConfig(context.server));

  handlers.register('help.getNearestDc', (_query, context) => ({
    _: 'nearestDc',
    country: 'ZZ',
    thisDc: context.server.dcId,
    nearestDc: context.server.dcId,
  }));

  handlers.register('messages.getDhConfig', (query, context) => {
    if (query.randomLength < 0 || query.randomLength > MAX_DH_RANDOM) throw new ServerRpcError(400, 'RANDOM_LENGTH_INVALID');
    const random = context.server.randomBytes(query.randomLength);
    if (query.version === DH_CONFIG_VERSION) return { _: 'messages.dhConfigNotModified', random };
    return { _: 'messages.dhConfig', g: DH_CONFIG_G, p: bigIntToBytes(TELEGRAM_DH_PRIME), version: DH_CONFIG_VERSION, random };
  });

  handlers.register('phone.getCallConfig', () => ({ _: 'dataJSON', data: JSON.stringify(CALL_CONFIG) }));
}
