/**
 * The typed AST of a TL schema. The parser produces it, the printer turns it back into canonical TL
 * text, and the emitter turns it into TypeScript.
 *
 * Example: `phone.requestCall#42ff96ed flags:# video:flags.0?true user_id:InputUser = phone.PhoneCall;`
 * becomes one `TlEntry` of kind 'method' with params `flags` (kind 'flags'), `video` (kind
 * 'conditional', flag 'flags', bit 0, inner type `true`) and `user_id` (kind 'type').
 */

/** Where a declaration starts, for error messages and for tracing generated code back to the schema. */
export interface SourcePos {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

/**
 * A type expression: `InputUser`, `phone.PhoneCall`, `int`, `%Message`, `Vector<long>`, `vector<future_salt>`,
 * `!X`, `X`. `name` is the full dotted name without `%` or `!`.
 */
export interface TypeExpr {
  name: string;
  /** `%T`, or a name whose last segment starts with a lower-case letter (`int`, `vector`, `message`). */
  bare: boolean;
  /** `%` was written explicitly (kept so the printer gives the text back). */
  percent: boolean;
  /** `!X`: the full boxed serialization of a value of the generic type X. */
  bang: boolean;
  /** Type arguments: `Vector<long>` has one. */
  args: TypeExpr[];
}

export type ParamType =
  /** `name:#`: an int bitmask read as a whole. */
  | { kind: 'flags' }
  /** `name:T`. */
  | { kind: 'type'; type: TypeExpr }
  /** `name:flags.N?T`: present only when bit N of the flags field `flag` is set. */
  | { kind: 'conditional'; flag: string; bit: number; type: TypeExpr };

export interface TlParam {
  /** As written in the schema (snake_case). */
  name: string;
  type: ParamType;
}

/** `{X:Type}`. */
export interface TlGeneric {
  name: string;
  /** Always `Type` in the schemas we know; kept for printing. */
  type: string;
}

export interface TlEntry {
  kind: 'constructor' | 'method';
  /** Full name as written: `phone.requestCall`, `inputUser`, `req_pq_multi`. */
  name: string;
  /** The part before the last dot, or '' for the root namespace. */
  namespace: string;
  /** The constructor id as written after `#`, as an unsigned 32-bit number; undefined when the text has none. */
  id: number | undefined;
  generics: TlGeneric[];
  params: TlParam[];
  /** The type after `=`: for constructors the boxed type they belong to, for methods the result type. */
  result: TypeExpr;
  source: SourcePos;
}

/**
 * A line the parser recognised but that is not a regular declaration: the builtin shapes
 * (`int ? = Int;`, `vector {t:Type} # [ t ] = Vector t;`, `int128 4*[ int ] = Int128;`, `bytes = Bytes;`).
 * They are kept so the printer can reproduce them and so tools can see which builtins a file declares.
 */
export interface TlBuiltin {
  /** The declaration text, trimmed, with its `;`. */
  text: string;
  /** The declared name (`int`, `vector`, `int128`). */
  name: string;
  source: SourcePos;
}

export interface TlSchema {
  entries: TlEntry[];
  builtins: TlBuiltin[];
  /** From a `// LAYER N` comment when the file has one. */
  layer: number | undefined;
}
