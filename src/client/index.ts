export { MtprotoClient, type ClientOptions, type ClientState, type Logger, type LogLevel } from './client.js';
export type { SavedSession, SavedRequest, RestoredOutcome } from './saved-session.js';
export { RpcError, ClientClosedError, RequestRejectedError, RequestTimeoutError, OutcomeUnknownError } from './errors.js';
export type { TransportOptions } from './link.js';
export { decodeSessionString, encodeSessionString, type SessionData, type DcKey, type DcAddress } from './session-string.js';
export { importGramjsSession, importTelethonSession, type ImportOptions } from './session-import.js';
export { SessionStringError } from './session-errors.js';
export { MemorySessionStorage, type SessionStorage } from './session-storage.js';
export { FileSessionStorage } from './file-session-storage.js';
