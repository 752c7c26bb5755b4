/**
 * The TL tokenizer under ./parser.ts: identifiers, numbers, `#id`s, section markers and single punctuation
 * characters, with whitespace, comments and the `// LAYER N` comment consumed between tokens.
 */
import { MtwireError } from '../base/errors.js';
import type { SourcePos } from './ast.js';

/** Malformed or inconsistent TL. The message is `file:line:column: ` and what is wrong in plain words. */
export class TlSchemaError extends MtwireError {
  readonly pos: SourcePos;

  constructor(pos: SourcePos, detail: string) {
    super('TL_SCHEMA', `${where(pos)}: ${detail}`);
    this.pos = pos;
  }

  /** A syntax error: `file:line:column: expected X, found Y`. */
  static expected(pos: SourcePos, expected: string, found: string): TlSchemaError {
    return new TlSchemaError(pos, `expected ${expected}, found ${found}`);
  }
}

export type TokenKind =
  /** Letters, digits and `_`, starting with a letter or `_`. Dots are separate tokens. */
  | 'ident'
  | 'number'
  /** `#` directly followed by word characters: `text` is what follows the `#` (validated by the parser). */
  | 'id'
  /** `---types---` / `---functions---`: `text` is the word between the dashes. */
  | 'section'
  /** Any other single character. */
  | 'punct'
  | 'eof';

export interface Token {
  kind: TokenKind;
  text: string;
  offset: number;
  line: number;
  column: number;
}

const isWordChar = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const LAYER_COMMENT = /^\/\/\s*LAYER\s+(\d+)/;

/**
 * Produces tokens on demand rather than as one array: each token dies young, so the garbage collector does
 * not keep copying 50,000 live tokens while the AST is being built.
 */
export class Scanner {
  /** From the first `// LAYER N` comment passed so far. */
  layer: { value: number; pos: SourcePos } | undefined;
  private pos = 0;
  private line = 1;
  private lineStart = 0;

  constructor(
    private readonly text: string,
    private readonly file: string,
  ) {}

  next(): Token {
    this.skipBlanksAndComments();
    const text = this.text;
    const start = this.pos;
    if (start >= text.length) return this.token('eof', start, start);
    const c = text.charCodeAt(start);
    if (c === 45 && text.startsWith('---', start)) {
      const end = this.wordEnd(start + 3);
      const word = text.slice(start + 3, end);
      if ((word !== 'types' && word !== 'functions') || !text.startsWith('---', end)) {
        const found = `'${text.slice(start, end + 3)}'`;
        throw TlSchemaError.expected(this.posAt(start), "'---types---' or '---functions---'", found);
      }
      return this.token('section', start, end + 3, word);
    }
    if (c === 35 && isWordChar(text.charCodeAt(start + 1))) return this.token('id', start + 1, this.wordEnd(start + 1));
    if (isDigit(c)) {
      let end = start;
      while (isDigit(text.charCodeAt(end))) end++;
      return this.token('number', start, end);
    }
    if (isWordChar(c)) return this.token('ident', start, this.wordEnd(start));
    return this.token('punct', start, start + 1);
  }

  /**
   * The one place tokens are made, so they all share a shape. An id token starts at its `#`, one character
   * before `from`.
   */
  private token(kind: TokenKind, from: number, to: number, text = this.text.slice(from, to)): Token {
    const offset = kind === 'id' ? from - 1 : from;
    this.pos = to;
    return { kind, text, offset, line: this.line, column: offset - this.lineStart + 1 };
  }

  private wordEnd(from: number): number {
    let end = from;
    while (isWordChar(this.text.charCodeAt(end))) end++;
    return end;
  }

  private posAt(offset: number): SourcePos {
    return { file: this.file, line: this.line, column: offset - this.lineStart + 1 };
  }

  private skipBlanksAndComments(): void {
    const text = this.text;
    while (this.pos < text.length) {
      const c = text.charCodeAt(this.pos);
      if (c === 10) {
        this.pos++;
        this.newLineAt(this.pos);
      } else if (c === 32 || c === 9 || c === 13) {
        this.pos++;
      } else if (c === 47 && text.charCodeAt(this.pos + 1) === 47) {
        let end = text.indexOf('\n', this.pos);
        if (end < 0) end = text.length;
        this.noteLayer(text.slice(this.pos, end));
        this.pos = end;
      } else if (c === 47 && text.charCodeAt(this.pos + 1) === 42) {
        const end = text.indexOf('*/', this.pos + 2);
        if (end < 0) throw TlSchemaError.expected(this.posAt(this.pos), "'*/' closing this comment", 'end of file');
        // Block comments may span lines: keep the line counter right.
        for (let i = this.pos; i < end; i++) if (text.charCodeAt(i) === 10) this.newLineAt(i + 1);
        this.pos = end + 2;
      } else {
        return;
      }
    }
  }

  private newLineAt(offset: number): void {
    this.line++;
    this.lineStart = offset;
  }

  private noteLayer(comment: string): void {
    const match = LAYER_COMMENT.exec(comment);
    if (!match) return;
    const value = Number(match[1]);
    const pos = this.posAt(this.pos);
    if (this.layer && this.layer.value !== value) {
      throw layerConflict(pos, value, this.layer);
    }
    this.layer ??= { value, pos };
  }
}

/** A token as an error message names it. */
export function describeToken(token: Token): string {
  if (token.kind === 'eof') return 'end of file';
  if (token.kind === 'id') return `'#${token.text}'`;
  if (token.kind === 'section') return `'---${token.text}---'`;
  return `'${token.text}'`;
}

/** `file:line:column`, for an error that points back at an earlier place. */
/** Two `// LAYER N` comments that disagree: the schema can only be one layer. */
export function layerConflict(pos: SourcePos, value: number, first: { value: number; pos: SourcePos }): TlSchemaError {
  return new TlSchemaError(pos, `this says LAYER ${value}, but ${where(first.pos)} says LAYER ${first.value}`);
}

export function where(pos: SourcePos): string {
  return `${pos.file}:${pos.line}:${pos.column}`;
}
