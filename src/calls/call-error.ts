import { MtwireError } from '../base/errors.js';

/**
 * Why a call key exchange refused a well-formed update or request that does not fit its state. A
 * cryptographic refusal (bad DH value, g_a not matching g_a_hash, wrong fingerprint) is a SecurityError
 * instead, so callers can tell "out of order, ignore or resync" from "possible attack, end the call".
 *
 * - `wrong_state`: the step came before the one it follows (accepted before start, confirmed before
 *   requested), was repeated with new content, or came after the exchange finished or failed.
 * - `wrong_call`: the update is for a different call id than the one this exchange is bound to.
 * - `dh_config_missing`: messages.dhConfigNotModified arrived but no checked config is cached.
 * - `random_source`: the injected random source kept producing secrets outside 1 < x < p-1.
 */
export type CallErrorReason = 'wrong_state' | 'wrong_call' | 'dh_config_missing' | 'random_source';

export class CallError extends MtwireError {
  readonly reason: CallErrorReason;

  constructor(reason: CallErrorReason, message: string) {
    super('CALL', message);
    this.reason = reason;
  }
}
