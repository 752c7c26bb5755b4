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

/**
 * The entries of one generated module set (the generated `DESCRIPTOR`). Read in steps, each on first
 * need: the first question splits the text into lines and indexes them by name; an entry's head (id,
 * type or result) is read when the entry is first asked for, and its fields when they are. Converting
 * one object from JSON so reads only the entries it meets; arbitraries over the whole schema read all.
 */
export class TlDescriptor {
  #source: string;
  #index: DescriptorIndex | undefined;

  constructor(source: string) {
    this.#source = source;
  }

  /** Every constructor in schema order, those without an id included. */
  get constructors(): readonly TlConstructorDescriptor[] {
    return this.#get().allConstructors();
  }

  /** Every method in schema order. */
  get methods(): readonly TlMethodDescriptor[] {
    return this.#get().allMethods();
  }

  /** A constructor or method by TL name (the method when both have the name). */
  entry(name: string): TlEntryDescriptor | undefined {
    const index = this.#get();
    return index.method(name) ?? index.constructorNamed(name);
  }

  /** The constructors of a boxed type that have ids, in schema order; undefined when it has none. */
  constructorsOf(type: string): readonly TlConstructorDescriptor[] | undefined {
    return this.#get().boxable().get(type);
  }

  /** Every boxed type that has a constructor with an id, in the order its first one is declared. */
  typeNames(): string[] {
    return [...this.#get().boxable().keys()];
  }

  #get(): DescriptorIndex {
    return (this.#index ??= new DescriptorIndex(this.#source));
  }
}

/** The lines of a descriptor by entry name, and the entries read from them so far. */
class DescriptorIndex {
  readonly typeNames: readonly string[];
  private readonly lines: readonly string[];
  /** The index of the line between the constructors and the methods. */
  private readonly methodsLine: number;
  /** Line indices (0-based; error messages count lines from 1) by entry name. */
  private readonly constructorLines = new Map<string, number>();
  private readonly methodLines = new Map<string, number>();
  /** The entries read so far, by line index. */
  private readonly entries = new Map<number, ConstructorEntry | MethodEntry>();
  private readonly types: TypeReader;
  private constructors: ConstructorEntry[] | undefined;
  private methods: MethodEntry[] | undefined;
  private boxableTypes: Map<string, TlConstructorDescriptor[]> | undefined;

  constructor(source: string) {
    this.lines = source.split('\n');
    if (this.lines[0] !== DESCRIPTOR_HEADER) {
      throw new TlDescriptorError(`expected the header "${DESCRIPTOR_HEADER}", found "${this.lines[0]?.slice(0, 40)}"`, 1);
    }
    this.typeNames = this.lines[1] ? this.lines[1].split(' ') : [];
    this.types = new TypeReader(this.typeNames, (name) => this.constructorNamed(name));
    this.methodsLine = this.lines.indexOf(MARK.methods, 2);
    if (this.methodsLine < 0) {
      throw new TlDescriptorError(`no "${MARK.methods}" line between the constructors and the methods`, this.lines.length);
    }
    for (let i = 2; i < this.lines.length; i++) {
      if (i === this.methodsLine) continue;
      const line = this.lines[i]!;
      const end = nameEnd(line);
      if (end <= 0) throw new TlDescriptorError(`expected an entry, found "${line.slice(0, 40)}"`, i + 1);
      (i < this.methodsLine ? this.constructorLines : this.methodLines).set(line.slice(0, end), i);
    }
  }

  constructorNamed(name: string): ConstructorEntry | undefined {
    const line = this.constructorLines.get(name);
    return line === undefined ? undefined : (this.entryAt(line) as ConstructorEntry);
  }

  method(name: string): MethodEntry | undefined {
    const line = this.methodLines.get(name);
    return line === undefined ? undefined : (this.entryAt(line) as MethodEntry);
  }

  allConstructors(): readonly ConstructorEntry[] {
    return (this.constructors ??= [...this.constructorLines.values()].map((line) => this.entryAt(line) as ConstructorEntry));
  }

  allMethods(): readonly MethodEntry[] {
    return (this.methods ??= [...this.methodLines.values()].map((line) => this.entryAt(line) as MethodEntry));
  }

  boxable(): ReadonlyMap<string, readonly TlConstructorDescriptor[]> {
    if (!this.boxableTypes) {
      this.boxableTypes = new Map();
      for (const c of this.allConstructors()) {
        if (c.id === undefined) continue;
        const list = this.boxableTypes.get(c.type);
        if (list) list.push(c);
        else this.boxableTypes.set(c.type, [c]);
      }
    }
    return this.boxableTypes;
  }

  private entryAt(index: number): ConstructorEntry | MethodEntry {
    let entry = this.entries.get(index);
    if (!entry) {
      const line = index + 1;
      const text = this.lines[index]!;
      // name[#id][{X}] type-or-result field field...: the fields stay text until they are asked for.
      const headEnd = text.indexOf(' ');
      const typeEnd = text.indexOf(' ', headEnd + 1);
      const head = parseHead(text.slice(0, headEnd < 0 ? text.length : headEnd), line);
      if (headEnd < 0 || typeEnd === headEnd + 1) throw new TlDescriptorError(`${head.name}: no type`, line);
      const second = typeEnd < 0 ? text.slice(headEnd + 1) : text.slice(headEnd + 1, typeEnd);
      const fields = typeEnd < 0 ? '' : text.slice(typeEnd + 1);
      if (index < this.methodsLine) {
        const type = this.typeNames[Number(second)];
        if (!/^\d+$/.test(second) || type === undefined) throw new TlDescriptorError(`${head.name}: no boxed type #${second}`, line);
        entry = new ConstructorEntry(head, type, fields, this.types, line);
      } else {
        const { id } = head;
        if (id === undefined) throw new TlDescriptorError(`method ${head.name} has no id`, line);
        entry = new MethodEntry({ ...head, id }, this.types.read(second, line), fields, this.types, line);
      }
      this.entries.set(index, entry);
    }
    return entry;
  }
}

/** Where an entry's name ends in its line: at its id, its generics or the first space. */
function nameEnd(line: string): number {
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === MARK.id || c === MARK.genericsOpen || c === ' ') return i;
  }
  return -1;
}

/** What both kinds of entry share: the name, the generics, and the fields, read when first asked for. */
abstract class Entry {
  readonly #fieldsText: string;
  readonly #types: TypeReader;
  readonly #line: number;
  #fields: readonly TlFieldDescriptor[] | undefined;

  constructor(
    readonly name: string,
    readonly generics: readonly string[],
    fieldsText: string,
    types: TypeReader,
    line: number,
  ) {
    this.#fieldsText = fieldsText;
    this.#types = types;
    this.#line = line;
  }

  get fields(): readonly TlFieldDescriptor[] {
    return (this.#fields ??= parseFields(this.#fieldsText, this.#types, this.#line));
  }
}

class ConstructorEntry extends Entry implements TlConstructorDescriptor {
  readonly kind = 'constructor';
  readonly id: number | undefined;

  constructor(
    head: Head,
    readonly type: string,
    fieldsText: string,
    types: TypeReader,
    line: number,
  ) {
    super(head.name, head.generics, fieldsText, types, line);
    this.id = head.id;
  }
}

class MethodEntry extends Entry implements TlMethodDescriptor {
  readonly kind = 'method';
  readonly id: number;

  constructor(
    head: Head & { id: number },
    readonly result: TlType,
    fieldsText: string,
    types: TypeReader,
    line: number,
  ) {
    super(head.name, head.generics, fieldsText, types, line);
    this.id = head.id;
  }
}

interface Head {
  name: string;
  id: number | undefined;
  generics: string[];
}

/** `name`, `name#1cb5c415` or `name#da9b0d0d{X}`. */
function parseHead(head: string, line: number): Head {
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

/** The fields of an entry from their text: the rest of its line after the head and the type. */
function parseFields(text: string, types: TypeReader, line: number): TlFieldDescriptor[] {
  const fields: TlFieldDescriptor[] = [];
  // Field by field with indexOf, slicing each name and type straight out of the line.
  for (let start = 0; start < text.length;) {
    let end = text.indexOf(' ', start);
    if (end < 0) end = text.length;
    const colon = text.indexOf(MARK.prop, start);
    if (colon <= start || colon >= end) throw new TlDescriptorError(`expected prop:type, found "${text.slice(start, end)}"`, line);
    const prop = text.slice(start, colon);
    const question = text.indexOf(MARK.condition, colon);
    if (end === colon + 2 && text[colon + 1] === MARK.flags) {
      fields.push({ kind: 'flags', prop });
    } else if (question < 0 || question > end) {
      fields.push({ kind: 'value', prop, type: types.read(text.slice(colon + 1, end), line), condition: undefined });
    } else {
      const dot = text.lastIndexOf(MARK.bit, question);
      const bit = Number(text.slice(dot + 1, question));
      if (dot <= colon + 1 || !Number.isInteger(bit) || bit < 0 || bit > 31) {
        throw new TlDescriptorError(`bad condition in "${text.slice(start, end)}"`, line);
      }
      const condition = { flags: text.slice(colon + 1, dot), bit };
      fields.push({ kind: 'value', prop, type: types.read(text.slice(question + 1, end), line), condition });
    }
    start = end + 1;
  }
  return fields;
}

const LEAF_KINDS = new Map<string, TlType>(Object.entries(LEAF_CODES).map(([kind, code]) => [code, { kind: kind as LeafKind }]));

/** Turns type codes into types; each distinct code is read once and its type shared. */
class TypeReader {
  private readonly cache = new Map<string, TlType>(LEAF_KINDS);

  constructor(
    private readonly typeNames: readonly string[],
    private readonly constructorNamed: (name: string) => TlConstructorDescriptor | undefined,
  ) {}

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
        const ctor = this.constructorNamed(rest);
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
