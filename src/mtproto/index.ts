/** `mtwire/mtproto`: the pure protocol state machines (no I/O; clock and randomness injected). */
export { AuthKeyExchange, type AuthKeyExchangeOptions, type AuthKeyResult } from './auth-key-client.js';
export { AuthKeyServer, type AuthKeyServerOptions } from './auth-key-server.js';
export { AuthKeyError } from './auth-key-common.js';
export { ClientSession, type ClientSessionOptions, type SessionEvent } from './client-session.js';
export { ServerSession } from './server-session.js';
export { MsgIdGenerator, msgIdSeconds } from './msg-id.js';
export { encodePlainMessage, decodePlainMessage } from './plain-message.js';
