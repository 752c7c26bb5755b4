import { MtwireError } from '../base/errors.js';

/**
 * A security check refused its input (a tampered frame, a weak DH prime, a bad RSA block...).
 *
 * `check` names the failed check for local logs and tests only. The message is deliberately generic and
 * the same for every check of one operation, so nothing that reaches a peer (an error reply, a log line
 * shipped elsewhere, a timing difference in building a message) tells an attacker which step failed.
 */
export class SecurityError extends MtwireError {
  readonly check: string;

  constructor(check: string, message: string) {
    super('SECURITY_CHECK', message);
    this.check = check;
  }
}
