/**
 * TL schema parser: recursive descent over the tokens of ./scanner.ts, producing the AST in ./ast.ts.
 *
 * Grammar accepted (whitespace and comments between any two tokens):
 *   schema      := ( section | declaration )*
 *   section     := '---types---' | '---functions---'
 *   declaration := name id? generic* param* '=' type ';'
 *   generic     := '{' ident ':' ident '}'
 *   param       := ident ':' ( '#' | ident '.' number '?' type | type )
 *   type        := ( '%' | '!' )? name ( '<' type ( ',' type )* '>' )?
 * Declarations of the primitives the runtime implements natively (`int ? = Int;`, `vector {t:Type} # [ t ] =
 * Vector t;`, `int128 4*[ int ] = Int128;`, `bytes = Bytes;`) use shapes outside this grammar; they are kept as
 * text in `builtins`. Constructor ids are always taken from the text, never computed.
 */
import { printEntry } from './printer.js';
import { Scanner, TlSchemaError, describeToken, layerConflict, where, type Token, type TokenKind } from './scanner.js';
import type { ParamType, SourcePos, TlBuiltin, TlEntry, TlGeneric, TlParam, TlSchema, TypeExpr } from './ast.js';

/** Names whose declarations describe natively implemented primitives rather than TL combinators. */
const BUILTIN_NAMES: ReadonlySet<string> = new Set(['int', 'long', 'double', 'string', 'bytes', 'int128', 'int256', 'vector']);

/**
 * Where each parsed type expression starts. Kept beside the AST rather than in it, so that ASTs compare by
 * meaning (a printed and re-parsed schema equals the original) while errors about a type can point at it.
 */
const typePositions = new WeakMap<TypeExpr, SourcePos>();

/** Where the parser read `type`; undefined for a type built in code rather than parsed. */
export function typePosition(type: TypeExpr): SourcePos | undefined {
  return typePositions.get(type);
}

class FileParser {
  /** Up to three tokens read ahead (`flags.3?` needs that much to tell a condition from a type). */
  private readonly lookahead: Token[] = [];
  private kind: TlEntry['kind'] = 'constructor';
  private readonly entries: TlEntry[] = [];
  private readonly builtins: TlBuiltin[] = [];

  constructor(
    private readonly scanner: Scanner,
    private readonly text: string,
    private readonly file: string,
  ) {}

  /** One file's declarations, in source order. */
  parse(): Pick<TlSchema, 'entries' | 'builtins'> {
    for (;;) {
      const token = this.peek();
      if (token.kind === 'eof') return { entries: this.entries, builtins: this.builtins };
      if (token.kind === 'section') {
        this.next();
        this.kind = token.text === 'functions' ? 'method' : 'constructor';
      } else {
        this.parseDeclaration();
      }
    }
  }

  private parseDeclaration(): void {
    const start = this.peek();
    const name = this.parseDottedName('a declaration name or section marker');
    if (BUILTIN_NAMES.has(name)) {
      this.parseBuiltin(name, start);
      return;
    }
    const id = this.parseOptionalId();
    const generics: TlGeneric[] = [];
    while (this.isPunct('{')) generics.push(this.parseGeneric(generics));
    const genericNames = new Set(generics.map((g) => g.name));
    const params: TlParam[] = [];
    const flagFields = new Set<string>();
    while (!this.isPunct('=')) params.push(this.parseParam(params, flagFields, genericNames));
    this.next();
    const result = this.parseType(genericNames);
    this.expectPunct(';');
    const lastDot = name.lastIndexOf('.');
    this.entries.push({
      kind: this.kind,
      name,
      namespace: lastDot < 0 ? '' : name.slice(0, lastDot),
      id,
      generics,
      params,
      result,
      source: this.posOf(start),
    });
  }

  /** Builtin shapes are skipped token by token up to `;` and kept verbatim. */
  private parseBuiltin(name: string, start: Token): void {
    while (!this.isPunct(';')) {
      if (this.peek().kind === 'eof') this.fail("';'");
      this.next();
    }
    const end = this.next();
    this.builtins.push({ text: this.text.slice(start.offset, end.offset + 1), name, source: this.posOf(start) });
  }

  private parseOptionalId(): number | undefined {
    const token = this.peek();
    if (token.kind !== 'id') return undefined;
    if (!/^[0-9a-fA-F]{1,8}$/.test(token.text)) {
      const digits: Token = { ...token, offset: token.offset + 1, column: token.column + 1 };
      throw TlSchemaError.expected(this.posOf(digits), 'a constructor id of 1 to 8 hex digits', `'${token.text}'`);
    }
    this.next();
    return Number.parseInt(token.text, 16);
  }

  private parseGeneric(earlier: TlGeneric[]): TlGeneric {
    this.expectPunct('{');
    const nameToken = this.expectKind('ident', 'a generic type name');
    if (earlier.some((g) => g.name === nameToken.text)) this.failAt(nameToken, 'a new generic type name');
    this.expectPunct(':');
    const type = this.expectKind('ident', "a generic kind such as 'Type'").text;
    this.expectPunct('}');
    return { name: nameToken.text, type };
  }

  private parseParam(earlier: TlParam[], flagFields: Set<string>, generics: ReadonlySet<string>): TlParam {
    const nameToken = this.expectKind('ident', "a parameter name or '='");
    const name = nameToken.text;
    if (earlier.some((p) => p.name === name)) this.failAt(nameToken, 'a new parameter name');
    this.expectPunct(':');
    let type: ParamType;
    if (this.isPunct('#')) {
      this.next();
      flagFields.add(name);
      type = { kind: 'flags' };
    } else if (this.isConditional(flagFields)) {
      type = this.parseConditional(flagFields, generics);
    } else {
      type = { kind: 'type', type: this.parseType(generics) };
    }
    return { name, type };
  }

  /**
   * `flags.3?T` against a dotted type name such as `phone.PhoneCall`: a number after the dot, or a field
   * declared with `#` before the dot and a `?` after the next token, means a condition (so `flags.x?int`
   * reports the bad bit, not a bad type, while `j.A` stays a type even when `j` is a flags field).
   */
  private isConditional(flagFields: ReadonlySet<string>): boolean {
    const first = this.peek(0);
    const dot = this.peek(1);
    if (first.kind !== 'ident' || dot.kind !== 'punct' || dot.text !== '.') return false;
    if (this.peek(2).kind === 'number') return true;
    const question = this.peek(3);
    return flagFields.has(first.text) && question.kind === 'punct' && question.text === '?';
  }

  private parseConditional(flagFields: ReadonlySet<string>, generics: ReadonlySet<string>): ParamType {
    const flagToken = this.next();
    if (!flagFields.has(flagToken.text)) this.failAt(flagToken, "a field declared earlier with type '#'");
    this.expectPunct('.');
    const bitToken = this.expectKind('number', 'a flag bit number');
    const bit = Number(bitToken.text);
    if (bit > 31) this.failAt(bitToken, 'a flag bit from 0 to 31');
    this.expectPunct('?');
    return { kind: 'conditional', flag: flagToken.text, bit, type: this.parseType(generics) };
  }

  private parseType(generics: ReadonlySet<string>): TypeExpr {
    const start = this.peek();
    const bang = this.acceptPunct('!');
    const percent = !bang && this.acceptPunct('%');
    const nameToken = this.peek();
    const name = this.parseDottedName('a type name');
    if (bang && !generics.has(name)) this.failAt(nameToken, "a generic type declared with '{X:Type}' after '!'");
    const args: TypeExpr[] = [];
    if (this.acceptPunct('<')) {
      do args.push(this.parseType(generics));
      while (this.acceptPunct(','));
      this.expectPunct('>');
    }
    const lastSegment = name.slice(name.lastIndexOf('.') + 1);
    const bare = percent || (lastSegment[0] !== undefined && lastSegment[0] >= 'a' && lastSegment[0] <= 'z');
    const type: TypeExpr = { name, bare, percent, bang, args };
    typePositions.set(type, this.posOf(start));
    return type;
  }

  private parseDottedName(what: string): string {
    let name = this.expectKind('ident', what).text;
    while (this.isPunct('.') && this.peek(1).kind === 'ident') {
      this.next();
      name += '.' + this.next().text;
    }
    return name;
  }

  private peek(ahead = 0): Token {
    while (this.lookahead.length <= ahead) this.lookahead.push(this.scanner.next());
    return this.lookahead[ahead]!;
  }

  private next(): Token {
    const token = this.peek();
    this.lookahead.shift();
    return token;
  }

  private isPunct(text: string): boolean {
    const token = this.peek();
    return token.kind === 'punct' && token.text === text;
  }

  private acceptPunct(text: string): boolean {
    if (!this.isPunct(text)) return false;
    this.next();
    return true;
  }

  private expectPunct(text: string): void {
    if (!this.acceptPunct(text)) this.fail(`'${text}'`);
  }

  private expectKind(kind: TokenKind, what: string): Token {
    if (this.peek().kind !== kind) this.fail(what);
    return this.next();
  }

  private fail(expected: string): never {
    this.failAt(this.peek(), expected);
  }

  private failAt(token: Token, expected: string): never {
    throw TlSchemaError.expected(this.posOf(token), expected, describeToken(token));
  }

  private posOf(token: Token): SourcePos {
    return { file: this.file, line: token.line, column: token.column };
  }
}

/** Parses one schema file. */
export function parseSchema(text: string, file: string): TlSchema {
  return parseSchemaFiles([{ file, text }]);
}

/**
 * Parses several files into one schema, in the order given. An entry declared identically more than once
 * (api.tl and mtproto.tl both declare ipPort, ipPortSecret, accessPointRule, help.configSimple) is kept
 * once, at its first place; the same name declared differently is an error naming both places. Builtins are
 * kept once per distinct text: `vector {t:Type} ...` and `vector#1cb5c415 {t:Type} ...` are both kept since
 * they describe the same native primitive.
 */
export function parseSchemaFiles(files: { file: string; text: string }[]): TlSchema {
  const entries: TlEntry[] = [];
  const builtins: TlBuiltin[] = [];
  const entryByName = new Map<string, TlEntry>();
  const builtinTexts = new Set<string>();
  let layer: { value: number; pos: SourcePos } | undefined;

  for (const { file, text } of files) {
    const scanner = new Scanner(text, file);
    const parsed = new FileParser(scanner, text, file).parse();
    const fileLayer = scanner.layer;
    if (fileLayer) {
      if (layer && layer.value !== fileLayer.value) {
        throw layerConflict(fileLayer.pos, fileLayer.value, layer);
      }
      layer ??= fileLayer;
    }
    for (const builtin of parsed.builtins) {
      if (builtinTexts.has(builtin.text)) continue;
      builtinTexts.add(builtin.text);
      builtins.push(builtin);
    }
    for (const entry of parsed.entries) {
      const earlier = entryByName.get(entry.name);
      if (!earlier) {
        entryByName.set(entry.name, entry);
        entries.push(entry);
      } else if (canonicalForm(earlier) !== canonicalForm(entry)) {
        const detail = `'${entry.name}' is declared again, differently from its declaration at ${where(earlier.source)}`;
        throw new TlSchemaError(entry.source, `${detail} (a name may be declared only once, or identically)`);
      }
    }
  }
  return { entries, builtins, layer: layer?.value };
}

/** Everything that makes two declarations the same, as one comparable string (the printer is lossless). */
function canonicalForm(entry: TlEntry): string {
  return `${entry.kind} ${printEntry(entry)}`;
}
