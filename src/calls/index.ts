/** End-to-end call key exchange (spec §7): DH group checks, both parties' state machines, emoji. */
export { CallError, type CallErrorReason } from './call-error.js';
export { callKeyFingerprint, makeCallKey, voiceCallId, type CallKey } from './call-key.js';
export {
  IncomingCallKeyExchange,
  OutgoingCallKeyExchange,
  type CallAcceptance,
  type CallConfirmation,
  type CallKeyExchangeOptions,
  type CallPeer,
  type CallRequestKeys,
} from './call-key-exchange.js';
export {
  buildAcceptCall,
  buildConfirmCall,
  buildDiscardCall,
  buildReceivedCall,
  buildRequestCall,
  inputPhoneCall,
  type DiscardCallParams,
  type RequestCallParams,
} from './call-requests.js';
export { callSecretSource, DH_RANDOM_LENGTH, DhConfigCache, type CallDhParams } from './dh-config.js';
export { emojiFingerprint } from './emoji.js';
export { CALL_EMOJI } from './emoji-table.js';
export {
  placeCall,
  answerNextCall,
  waitForPhoneCall,
  phoneCallsIn,
  DEFAULT_CALL_PROTOCOL,
  type CallFlowOptions,
  type CallResult,
  type Invoker,
} from './call-flow.js';
