import { MtwireError, hexId } from '../base/errors.js';

export type TlDecodeProblem =
  /** The input ended inside a value. */
  | 'truncated'
  /** A constructor id that is not one of the expected type's constructors. */
  | 'unknown-constructor'
  /** Padding after string/bytes data that is not zero. */
  | 'bad-padding'
  /** A length prefix or count that cannot be right (negative, larger than what is left). */
  | 'bad-length'
  /** Bytes left over after a complete object. */
  | 'trailing-bytes'
  /** Input that cannot be decoded as a whole (objects nested too deeply for the stack). A Bool that is
   * neither boolTrue nor boolFalse is an unknown constructor for type Bool. */
  | 'bad-value';

/**
 * Thrown by every reader on bad input. `offset` is the byte offset from the start of the decoded buffer
 * where the problem was found; `constructorId` and `expected` are set for unknown constructors.
 */
export class TlDecodeError extends MtwireError {
  readonly problem: TlDecodeProblem;
  readonly offset: number;
  readonly constructorId: number | undefined;
  readonly expected: string | undefined;

  constructor(problem: TlDecodeProblem, offset: number, detail: string, constructorId?: number, expected?: string) {
    super('TL_DECODE', `${detail} at byte offset ${offset}`);
    this.problem = problem;
    this.offset = offset;
    this.constructorId = constructorId;
    this.expected = expected;
  }

  static unknownConstructor(id: number, expected: string, offset: number): TlDecodeError {
    return new TlDecodeError('unknown-constructor', offset, `unknown constructor ${hexId(id)} for type ${expected}`, id >>> 0, expected);
  }
}

/**
 * Thrown by writers when a value does not fit its TL type. `path` names the field that failed,
 * innermost last (`phone.requestCall.userId.accessHash`).
 */
export class TlEncodeError extends MtwireError {
  readonly expected: string;
  readonly path: string;

  constructor(expected: string, value: unknown, path = '') {
    super('TL_ENCODE', `${path ? path + ': ' : ''}expected ${expected}, got ${describe(value)}`);
    this.expected = expected;
    this.path = path;
  }

  /** The same error with an outer name prepended to its path. */
  within(outer: string): TlEncodeError {
    const err = new TlEncodeError(this.expected, undefined, this.path ? `${outer}.${this.path}` : outer);
    err.message = `${err.path}: ${this.message.slice(this.path ? this.path.length + 2 : 0)}`;
    return err;
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value);
  if (value instanceof Uint8Array) return `${value.length} bytes`;
  if (Array.isArray(value)) return `array of ${value.length}`;
  if (typeof value === 'object') {
    const name = (value as { _?: unknown })._;
    return typeof name === 'string' ? `object ${name}` : 'object';
  }
  return `${typeof value} ${String(value)}`;
}

/** V8 and JavaScriptCore throw RangeError('Maximum call stack size exceeded'); SpiderMonkey an InternalError. */
export function isStackOverflow(error: unknown): boolean {
  return (
    error instanceof Error &&
    (error instanceof RangeError || error.name === 'InternalError') &&
    /call stack|too much recursion/i.test(error.message)
  );
}

/**
 * What to throw when a recursive walk over a caller's object (encoding, JSON conversion) failed: a stack
 * overflow, which only an object nested thousands of levels deep causes, becomes the TlEncodeError it
 * is; anything else stays as it was. For catch blocks, so the walk itself needs no wrapper closure.
 */
export function encodeFailure(error: unknown, value: unknown): unknown {
  return isStackOverflow(error) ? new TlEncodeError('an object nested less deeply (the call stack overflowed)', value) : error;
}
