/**
 * Every error mtwire throws on bad input is an MtwireError: callers can tell ours from bugs with one
 * instanceof, and read `code` without parsing messages.
 */
export class MtwireError extends Error {
  /** A stable, machine-readable code such as 'TL_TRUNCATED' or 'SECURITY_CHECK'. */
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.code = code;
    this.name = new.target.name;
  }
}

/** Formats a 32-bit constructor id the way the schema writes it: `#1cb5c415`. */
export function hexId(id: number): string {
  return '#' + (id >>> 0).toString(16).padStart(8, '0');
}
