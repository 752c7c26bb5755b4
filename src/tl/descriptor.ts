/**
 * Reflection over a generated module set without its schema text: `TlDescriptor` reads the compact
 * descriptor string the generator emits as `descriptor.ts` (format: base/descriptor-format.ts) the first
 * time it is asked anything, so importing a module set costs one string literal, not a parse.
 */
import { DESCRIPTOR_HEADER, DESCRIPTOR_MARKS as MARK, LEAF_CODES, type LeafKind } from '../base/descriptor-format.js';
import { TlDescriptorError } from './errors.js';

/** What a field's type means for serialization: the same cases as the generator's resolved types. */
export type TlType =
  /** A builtin (`int`, `long`, `string`, `Bool`, `true`...), or `object`: any boxed constructor (`Object`). */
  | { readonly kind: LeafKind }
  /** `Vector<T>` (boxed: id + count) or `vector<T>` (bare: count). */
  | { readonly kind: 'vector'; readonly boxed: boolean; readonly element: TlType }
  /** A boxed type: constructor id + the fields of one of its constructors. */
  | { readonly kind: 'union'; readonly type: string }
  /** A bare constructor: its fields only (`future_salt`, `%Message`). */
  | { readonly kind: 'bare'; readonly ctor: TlConstructorDescriptor }
  /** `!X` (or `X` of `{X:Type}`): the boxed serialization of any method, whose result is then X. */
  | { readonly kind: 'generic'; readonly name: string };

/** `name:flags.N?T`: present only when bit `bit` of the flags field whose property is `flags` is set. */
export interface TlCondition {
  readonly flags: string;
  readonly bit: number;
}

export type TlFieldDescriptor =
  /** `flags:#`: computed by writers from the conditional fields, so objects do not carry it. */
  | { readonly kind: 'flags'; readonly prop: string }
  | { readonly kind: 'value'; readonly prop: string; readonly type: TlType; readonly condition: TlCondition | undefined };

interface EntryCommon {
  /** The TL name, the `_` of objects: `inputUser`, `phone.requestCall`. */
  readonly name: string;
  /** The names declared by `{X:Type}`. */
  readonly generics: readonly string[];
  /** Every field in declaration order, flags fields included. */
  readonly fields: readonly TlFieldDescriptor[];
}

export interface TlConstructorDescriptor extends EntryCommon {
  readonly kind: 'constructor';
  /** Undefined for a constructor the schema declares without an id, which is only ever used bare. */
  readonly id: number | undefined;
  /** The boxed type it belongs to. */
  readonly type: string;
}

export interface TlMethodDescriptor extends EntryCommon {
  readonly kind: 'method';
  readonly id: number;
  readonly result: TlType;
}

export type TlEntryDescriptor = TlConstructorDescriptor | TlMethodDescriptor;

interface Parsed {
  constructors: readonly TlConstructorDescriptor[];
  methods: readonly TlMethodDescriptor[];
  entries: ReadonlyMap<string, TlEntryDescriptor>;
  boxable: ReadonlyMap<string, readonly TlConstructorDescriptor[]>;
}

/** The entries of one generated module set (the generated `DESCRIPTOR`); parsed on first use. */
export class TlDescriptor {
  #source: string;
  #parsed: Parsed | undefined;

  constructor(source: string) {
    this.#source = source;
  }

  /** Every constructor in schema order, those without an id included. */
  get constructors(): readonly TlConstructorDescriptor[] {
    return this.#get().constructors;
  }

  /** Every method in schema order. */
  get methods(): readonly TlMethodDescriptor[] {
    return this.#get().methods;
  }

  /** A constructor or method by TL name (a method when both have the name). */
  entry(name: string): TlEntryDescriptor | undefined {
    return this.#get().entries.get(name);
  }

  /** The constructors of a boxed type that have ids, in schema order; undefined when it has none. */
  constructorsOf(type: string): readonly TlConstructorDescriptor[] | undefined {
    return this.#get().boxable.get(type);
  }

  /** Every boxed type that has a constructor with an id, in the order its first one is declared. */
  typeNames(): string[] {
    return [...this.#get().boxable.keys()];
  }

  #get(): Parsed {
    return (this.#parsed ??= parseDescriptor(this.#source));
  }
}

/** A constructor whose fields are filled in once every constructor is known. */
type ConstructorShell = { -readonly [K in keyof TlConstructorDescriptor]: TlConstructorDescriptor[K] };

function parseDescriptor(source: string): Parsed {
  const lines = source.split('\n');
  if (lines[0] !== DESCRIPTOR_HEADER) {
    throw new TlDescriptorError(`expected the header "${DESCRIPTOR_HEADER}", found "${lines[0]?.slice(0, 40)}"`, 1);
  }
  const typeNames = lines[1] ? lines[1].split(' ') : [];
  const split = lines.indexOf(MARK.methods, 2);
  if (split < 0) throw new TlDescriptorError(`no "${MARK.methods}" line between the constructors and the methods`, lines.length);
  const types = new TypeReader(typeNames);
  // Shells first, so that a field may name a constructor declared after it as a bare type.
  const constructors: { entry: ConstructorShell; parts: string[]; line: number }[] = [];
  for (let line = 3; line <= split; line++) {
    const parts = entryParts(lines[line - 1]!, line);
    const { name, id, generics } = parseHead(parts[0]!, line);
    const type = typeNames[Number(parts[1])];
    if (!/^\d+$/.test(parts[1]!) || type === undefined) throw new TlDescriptorError(`${name}: no boxed type #${parts[1]}`, line);
    const entry: ConstructorShell = { kind: 'constructor', name, id, generics, type, fields: [] };
    types.constructors.set(name, entry);
    constructors.push({ entry, parts, line });
  }
  for (const { entry, parts, line } of constructors) entry.fields = parseFields(parts, types, line);
  const methods: TlMethodDescriptor[] = [];
  for (let line = split + 2; line <= lines.length; line++) {
    const parts = entryParts(lines[line - 1]!, line);
    const { name, id, generics } = parseHead(parts[0]!, line);
    if (id === undefined) throw new TlDescriptorError(`method ${name} has no id`, line);
    methods.push({ kind: 'method', name, id, generics, result: types.read(parts[1]!, line), fields: parseFields(parts, types, line) });
  }
  const entries = new Map<string, TlEntryDescriptor>();
  const boxable = new Map<string, TlConstructorDescriptor[]>();
  for (const { entry } of constructors) {
    entries.set(entry.name, entry);
    if (entry.id === undefined) continue;
    const list = boxable.get(entry.type);
    if (list) list.push(entry);
    else boxable.set(entry.type, [entry]);
  }
  for (const m of methods) entries.set(m.name, m);
  return { constructors: constructors.map((c) => c.entry), methods, entries, boxable };
}

/** An entry's space-separated parts: its head, its type or result, then its fields. */
function entryParts(text: string, line: number): string[] {
  const parts = text.split(' ');
  if (parts.length < 2 || parts.includes('')) throw new TlDescriptorError(`expected an entry, found "${text.slice(0, 40)}"`, line);
  return parts;
}

/** `name`, `name#1cb5c415` or `name#da9b0d0d{X}`. */
function parseHead(head: string, line: number): { name: string; id: number | undefined; generics: string[] } {
  let rest = head;
  let generics: string[] = [];
  const open = rest.indexOf(MARK.genericsOpen);
  if (open >= 0) {
    if (!rest.endsWith(MARK.genericsClose)) throw new TlDescriptorError(`unclosed generics in "${head}"`, line);
    generics = rest.slice(open + 1, -1).split(',');
    rest = rest.slice(0, open);
  }
  const hash = rest.indexOf(MARK.id);
  if (hash < 0) return { name: rest, id: undefined, generics };
  const hex = rest.slice(hash + 1);
  if (!/^[0-9a-f]{8}$/.test(hex)) throw new TlDescriptorError(`bad id in "${head}"`, line);
  return { name: rest.slice(0, hash), id: parseInt(hex, 16), generics };
}

/** The fields of an entry from its parts (those after the head and the type). */
function parseFields(parts: readonly string[], types: TypeReader, line: number): TlFieldDescriptor[] {
  return parts.slice(2).map((part) => {
    const colon = part.indexOf(MARK.prop);
    if (colon <= 0) throw new TlDescriptorError(`expected prop:type, found "${part}"`, line);
    const prop = part.slice(0, colon);
    const code = part.slice(colon + 1);
    if (code === MARK.flags) return { kind: 'flags', prop };
    const question = code.indexOf(MARK.condition);
    if (question < 0) return { kind: 'value', prop, type: types.read(code, line), condition: undefined };
    const dot = code.lastIndexOf(MARK.bit, question);
    const bit = Number(code.slice(dot + 1, question));
    if (dot <= 0 || !Number.isInteger(bit) || bit < 0 || bit > 31) throw new TlDescriptorError(`bad condition in "${part}"`, line);
    return { kind: 'value', prop, type: types.read(code.slice(question + 1), line), condition: { flags: code.slice(0, dot), bit } };
  });
}

const LEAF_KINDS = new Map<string, TlType>(Object.entries(LEAF_CODES).map(([kind, code]) => [code, { kind: kind as LeafKind }]));

/** Turns type codes into types; each distinct code is read once and its type shared. */
class TypeReader {
  readonly constructors = new Map<string, TlConstructorDescriptor>();
  private readonly cache = new Map<string, TlType>(LEAF_KINDS);

  constructor(private readonly typeNames: readonly string[]) {}

  read(code: string, line: number): TlType {
    let type = this.cache.get(code);
    if (!type) {
      type = this.parse(code, line);
      this.cache.set(code, type);
    }
    return type;
  }

  private parse(code: string, line: number): TlType {
    const rest = code.slice(1);
    switch (code[0]) {
      case MARK.boxedVector:
        return { kind: 'vector', boxed: true, element: this.read(rest, line) };
      case MARK.bareVector:
        return { kind: 'vector', boxed: false, element: this.read(rest, line) };
      case MARK.generic:
        if (rest) return { kind: 'generic', name: rest };
        break;
      case MARK.bareConstructor: {
        const ctor = this.constructors.get(rest);
        if (ctor) return { kind: 'bare', ctor };
        break;
      }
      default: {
        const type = this.typeNames[Number(code)];
        if (/^\d+$/.test(code) && type !== undefined) return { kind: 'union', type };
      }
    }
    throw new TlDescriptorError(`unknown type "${code}"`, line);
  }
}
