import type { TlEntry, TlSchema, TypeExpr } from './ast.js';
import { MtwireError } from '../base/errors.js';
import { typePosition } from './parser.js';

/** What a type expression means for serialization, resolved against the whole schema. */
export type ResolvedType =
  | { kind: 'int' | 'long' | 'double' | 'string' | 'bytes' | 'int128' | 'int256' | 'Bool' | 'true' }
  /** `Vector<T>` (boxed: id + count) or `vector<T>` (bare: count). */
  | { kind: 'vector'; boxed: boolean; element: ResolvedType }
  /** A boxed type: constructor id + fields of one of its constructors. */
  | { kind: 'union'; type: string }
  /** A bare constructor: its fields only (`future_salt`, `%Message`). */
  | { kind: 'bare'; ctor: TlEntry }
  /** `Object`: any boxed object of the schema. */
  | { kind: 'object' }
  /** `!X`: the boxed serialization of any method; the method's result is then X. */
  | { kind: 'generic'; name: string };

const PRIMITIVES = new Set(['int', 'long', 'double', 'string', 'bytes', 'int128', 'int256', 'Bool', 'true']);

export class CodegenError extends MtwireError {
  constructor(message: string) {
    super('TL_CODEGEN', message);
  }
}

/** Why an entry of the schema was left out of the generated code. */
export interface Skipped {
  name: string;
  reason: string;
}

/**
 * The schema as the emitter sees it: which entries are generated, the constructors of every boxed
 * type, and the resolution of type expressions. Entries are left out (and listed in `skipped`) when
 * they cannot be serialized: a method without an id, or anything that refers to a boxed type with no
 * constructor that has an id (the MTProxy fake-TLS templates in mtproto.tl).
 */
export class SchemaModel {
  readonly constructors: TlEntry[] = [];
  readonly methods: TlEntry[] = [];
  /** Boxed type name → its constructors that have ids, in schema order. */
  readonly types = new Map<string, TlEntry[]>();
  readonly skipped: Skipped[] = [];
  private readonly constructorsByName = new Map<string, TlEntry>();
  private readonly allTypes = new Map<string, TlEntry[]>();

  /**
   * `strict`: an entry that cannot be resolved (an unknown type, a malformed vector) is an error rather
   * than an entry left out, so a typo cannot silently drop part of a schema.
   */
  constructor(
    readonly schema: TlSchema,
    private readonly options: { strict?: boolean } = {},
  ) {
    for (const e of schema.entries) {
      if (e.kind !== 'constructor') continue;
      this.constructorsByName.set(e.name, e);
      const list = this.allTypes.get(e.result.name) ?? [];
      list.push(e);
      this.allTypes.set(e.result.name, list);
    }
    let candidates = schema.entries.filter((e) => {
      if (e.kind === 'method' && e.id === undefined) {
        this.skipped.push({ name: e.name, reason: 'method without a constructor id' });
        return false;
      }
      return true;
    });
    // Leaving one entry out can make another unusable, so repeat until nothing changes.
    for (;;) {
      const usable = new Set(candidates.map((e) => e.name));
      const next = candidates.filter((e) => {
        const problem = this.firstProblem(e, usable);
        if (problem) this.skipped.push({ name: e.name, reason: problem });
        return !problem;
      });
      if (next.length === candidates.length) break;
      candidates = next;
    }
    const kept = new Set(candidates.map((e) => e.name));
    // An id-less constructor is kept only if something uses it bare.
    const usedBare = new Set<string>();
    for (const e of candidates) for (const p of e.params) if (p.type.kind !== 'flags') this.collectBare(p.type.type, usedBare);
    for (const e of candidates) {
      if (e.kind === 'method') this.methods.push(e);
      else if (e.id !== undefined || usedBare.has(e.name)) this.constructors.push(e);
      else this.skipped.push({ name: e.name, reason: 'constructor without an id that nothing uses bare' });
    }
    for (const c of this.constructors) {
      if (c.id === undefined || !kept.has(c.name)) continue;
      const list = this.types.get(c.result.name) ?? [];
      list.push(c);
      this.types.set(c.result.name, list);
    }
  }

  /** Sorted namespaces that have at least one generated entry ('' is the root). */
  namespaces(): string[] {
    const set = new Set<string>(['']);
    for (const e of [...this.constructors, ...this.methods]) set.add(e.namespace);
    for (const t of this.types.keys()) set.add(namespaceOf(t));
    return [...set].sort();
  }

  resolve(t: TypeExpr, entry: TlEntry): ResolvedType {
    if (t.bang || entry.generics.some((g) => g.name === t.name)) return { kind: 'generic', name: t.name };
    if (t.name === 'Vector' || t.name === 'vector') {
      const arg = t.args[0];
      if (t.args.length !== 1 || !arg) throw this.error(entry, `${t.name} needs one type argument`, t);
      return { kind: 'vector', boxed: t.name === 'Vector' && !t.percent, element: this.resolve(arg, entry) };
    }
    if (t.args.length) throw this.error(entry, `type ${t.name} takes no arguments`, t);
    if (PRIMITIVES.has(t.name)) return { kind: t.name } as ResolvedType;
    if (t.name === 'Object') return { kind: 'object' };
    const ctor = this.constructorsByName.get(t.name);
    if (ctor) return { kind: 'bare', ctor };
    if (t.percent) {
      const ctors = this.allTypes.get(t.name) ?? [];
      const only = ctors[0];
      if (ctors.length !== 1 || !only) throw this.error(entry, `bare %${t.name} needs exactly one constructor, found ${ctors.length}`, t);
      return { kind: 'bare', ctor: only };
    }
    if (this.allTypes.has(t.name)) return { kind: 'union', type: t.name };
    throw this.error(entry, `unknown type ${t.name}`, t);
  }

  /** The fewest bytes a value of this type can take: bounds vector counts before allocating. */
  minSize(t: ResolvedType, depth = 0): number {
    switch (t.kind) {
      case 'true':
        return 0;
      case 'long':
      case 'double':
        return 8;
      case 'int128':
        return 16;
      case 'int256':
        return 32;
      case 'vector':
        return t.boxed ? 8 : 4;
      case 'bare': {
        if (depth > 8) return 0;
        let size = 0;
        for (const p of t.ctor.params) {
          if (p.type.kind === 'flags') size += 4;
          else if (p.type.kind === 'type') size += this.minSize(this.resolve(p.type.type, t.ctor), depth + 1);
        }
        return size;
      }
      default:
        return 4;
    }
  }

  private firstProblem(e: TlEntry, usable: Set<string>): string | undefined {
    try {
      for (const p of e.params) {
        if (p.type.kind === 'flags') continue;
        const problem = this.unusable(this.resolve(p.type.type, e), usable);
        if (problem) return `${p.name}: ${problem}`;
      }
      if (e.kind === 'method') {
        const problem = this.unusable(this.resolve(e.result, e), usable);
        if (problem) return `result: ${problem}`;
      }
    } catch (err) {
      if (err instanceof CodegenError && !this.options.strict) return err.message;
      throw err;
    }
    return undefined;
  }

  private unusable(t: ResolvedType, usable: Set<string>): string | undefined {
    if (t.kind === 'vector') return this.unusable(t.element, usable);
    if (t.kind === 'bare' && !usable.has(t.ctor.name)) return `uses ${t.ctor.name}, which is left out`;
    if (t.kind === 'union') {
      const boxable = (this.allTypes.get(t.type) ?? []).filter((c) => c.id !== undefined && usable.has(c.name));
      if (!boxable.length) return `boxed type ${t.type} has no constructor with an id`;
    }
    return undefined;
  }

  private collectBare(t: TypeExpr, out: Set<string>): void {
    if (this.constructorsByName.has(t.name)) out.add(t.name);
    for (const a of t.args) this.collectBare(a, out);
  }

  /** Points at the type when the parser recorded where it is, else at the declaration. */
  private error(entry: TlEntry, message: string, at: TypeExpr): CodegenError {
    const { file, line, column } = typePosition(at) ?? entry.source;
    return new CodegenError(`${file}:${line}:${column}: ${entry.name}: ${message}`);
  }
}

export function namespaceOf(full: string): string {
  const dot = full.lastIndexOf('.');
  return dot < 0 ? '' : full.slice(0, dot);
}
