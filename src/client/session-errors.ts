import { MtwireError } from '../base/errors.js';

/**
 * A session string that cannot be loaded: a foreign or future format, a character outside base64, a
 * checksum mismatch, a truncated or inconsistent record. `field` names what was wrong and `offset`
 * where: a character of the string for text problems, a byte of the decoded record otherwise (`unit`).
 */
export class SessionStringError extends MtwireError {
  readonly field: string;
  readonly offset: number;
  readonly unit: 'character' | 'byte';

  constructor(field: string, offset: number, detail: string, unit: 'character' | 'byte' = 'character') {
    super('SESSION_STRING', `session string: ${field} at ${unit} ${offset}: ${detail}`);
    this.field = field;
    this.offset = offset;
    this.unit = unit;
  }
}

/** A saved session (`exportSession`, the `session` option) with a record that cannot be restored; `path` names it. */
export class SavedSessionError extends MtwireError {
  readonly path: string;

  constructor(path: string, detail: string) {
    super('SAVED_SESSION', `saved session: ${path}: ${detail}`);
    this.path = path;
  }
}
