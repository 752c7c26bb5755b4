/**
 * `mtwire/mtproto`: the pure protocol state machines (no I/O; clock, randomness and compression
 * injected). They read and write only the service schema; API bodies pass through them as bytes.
 */
export { AuthKeyExchange, type AuthKeyExchangeOptions, type AuthKeyResult } from './auth-key-client.js';
export { AuthKeyServer, type AuthKeyServerOptions } from './auth-key-server.js';
export { AuthKeyError } from './auth-key-common.js';
export { ClientSession, type ClientSessionOptions, type SessionEvent, type UnansweredRequest } from './client-session.js';
export { ServerSession, encodeRpcError, type ServerSessionOptions, type ServerSessionEvent } from './server-session.js';
export { ServerSalts } from './server-salts.js';
export { GzipError, type Compression } from './compression.js';
export { MsgIdGenerator, msgIdSeconds } from './msg-id.js';
export { encodePlainMessage, decodePlainMessage } from './plain-message.js';
