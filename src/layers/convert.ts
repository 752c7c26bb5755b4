/**
 * Conversion of TL objects between API layers, driven by the two layers' schemas and nothing written per
 * constructor. The rules:
 * - a constructor or method maps to the one of the same name in the target layer;
 * - fields map by name; a field the target lacks is dropped;
 * - a field the target requires and the source lacks (or has absent) gets its type's neutral value: 0,
 *   0n, false, "", empty bytes, an empty vector, or the type's `…Empty` constructor;
 * - a constructor with no counterpart of the type the target expects becomes that type's fallback: its
 *   `…Unsupported` constructor, else its `…Empty` one, filled by the same field rules; with neither,
 *   LayerConversionError names the type and the layer;
 * - a field whose type changed between layers keeps its value where the value still fits (`int` ↔ `long`,
 *   `Bool` ↔ `true`), and otherwise is treated as absent.
 */
import type { TlObject } from '../tl/define.js';
import type { TlConstructorDescriptor, TlEntryDescriptor, TlFieldDescriptor, TlType } from '../tl/descriptor.js';
import { LayerConversionError } from './errors.js';
import { apiLayer, type ApiLayer } from './store.js';

type Fields = Record<string, unknown>;

export interface ConvertOptions {
  /** The layer the object is written in. */
  from: number;
  /** The layer to write it in. A layer the store lacks is served by the nearest lower one. */
  to: number;
}

/** `obj` (a constructor or method object of layer `from`) as an object of layer `to`. */
export function convertObject(obj: TlObject, { from, to }: ConvertOptions): TlObject {
  return converterBetween(from, to).object(obj);
}

const converters = new Map<string, LayerConverter>();

/** The converter between two layers, kept for reuse. */
export function converterBetween(from: number, to: number): LayerConverter {
  const source = apiLayer(from);
  const target = apiLayer(to);
  const key = `${source.layer}>${target.layer}`;
  let converter = converters.get(key);
  if (!converter) converters.set(key, (converter = new LayerConverter(source, target)));
  return converter;
}

/**
 * Where a type holds constructors: through `vectors` levels of vectors, then an object (of the bare
 * constructor `bare`, or named by its `_`); `inner` is the same path one vector level down. Undefined for a
 * type that holds none (a leaf or vectors of leaves), which can never hold a changed constructor.
 */
interface ObjectPath {
  vectors: number;
  bare: string | undefined;
  inner: ObjectPath | undefined;
  /** The constructors last met here and their shapes (up to SEEN_PER_PATH): most places hold one or two kinds. */
  seenNames: string[];
  seenShapes: UnchangedShape[];
}

const SEEN_PER_PATH = 4;

function objectPathOf(t: TlType): ObjectPath | undefined {
  switch (t.kind) {
    case 'vector': {
      const inner = objectPathOf(t.element);
      return inner && { vectors: inner.vectors + 1, bare: inner.bare, inner, seenNames: [], seenShapes: [] };
    }
    case 'union':
    case 'object':
    case 'generic':
      return { vectors: 0, bare: undefined, inner: undefined, seenNames: [], seenShapes: [] };
    case 'bare':
      return { vectors: 0, bare: t.ctor.name, inner: undefined, seenNames: [], seenShapes: [] };
    default:
      return undefined;
  }
}

/** true: every object of the constructor is unchanged; false: none is; else the fields that decide (those that can hold objects). */
type UnchangedShape = boolean | { prop: string; path: ObjectPath }[];
type ValueField = TlFieldDescriptor & { kind: 'value' };

/** One field of a target entry: its type there, the source field's type (undefined if the source lacks it), its flag bit. */
interface FieldPlan {
  prop: string;
  from: TlType | undefined;
  to: TlType;
  /** `flags.3` for a conditional field. */
  bit: string | undefined;
}

interface FieldsPlan {
  fields: FieldPlan[];
  /** Whether two conditional fields share a flag bit (then they are written together). */
  sharedBits: boolean;
}

export class LayerConverter {
  /** Source entry → its fields by property name. */
  private readonly fieldMaps = new Map<TlEntryDescriptor, Map<string, ValueField>>();
  /** By source constructor name: whether its objects are unchanged, or the fields that decide it. */
  private readonly shapes = new Map<string, UnchangedShape>();
  /** The object path of each type asked about (null: it holds no objects), so that each keeps what it has seen. */
  private readonly typePaths = new WeakMap<TlType, ObjectPath | null>();
  /** Source entry → target entry → how to fill the target's fields. */
  private readonly plans = new Map<TlEntryDescriptor, Map<TlEntryDescriptor, FieldsPlan>>();
  private closed: Set<string> | undefined;

  constructor(
    readonly source: ApiLayer,
    readonly target: ApiLayer,
  ) {}

  /** A constructor or method object of the source layer, as one of the target layer. */
  object(obj: TlObject): TlObject {
    return this.boxed(obj, undefined);
  }

  /** A value of the source type `from` (a method's result, say), as a value of the target type `to`. */
  value(value: unknown, from: TlType, to: TlType): unknown {
    return this.convert(value, from, to);
  }

  /**
   * Whether `value` (of source type `type`) uses only constructors declared identically in both layers,
   * so that its bytes in the source layer are its bytes in the target layer and conversion can be skipped.
   */
  unchanged(value: unknown, type: TlType): boolean {
    let path = this.typePaths.get(type);
    if (path === undefined) this.typePaths.set(type, (path = objectPathOf(type) ?? null));
    return path === null || this.unchangedAt(value, path);
  }

  // On the server's path for every answer to an older layer: one map lookup per object, then only the
  // fields that can hold objects, each reached by a precomputed path rather than by its type.
  private unchangedAt(value: unknown, path: ObjectPath): boolean {
    if (path.vectors === 0) return this.unchangedObject(value as Fields, path.bare ?? (value as { _: string })._, path);
    const items = value as unknown[];
    const inner = path.inner!;
    for (let i = 0; i < items.length; i++) if (!this.unchangedAt(items[i], inner)) return false;
    return true;
  }

  private unchangedObject(value: Fields, name: string, path: ObjectPath): boolean {
    const { seenNames, seenShapes } = path;
    let shape: UnchangedShape | undefined;
    for (let i = 0; i < seenNames.length; i++) {
      if (seenNames[i] === name) {
        shape = seenShapes[i];
        break;
      }
    }
    if (shape === undefined) {
      shape = this.shapes.get(name) ?? this.shapeOf(name);
      if (seenNames.length < SEEN_PER_PATH) {
        seenNames.push(name);
        seenShapes.push(shape);
      }
    }
    if (typeof shape === 'boolean') return shape;
    for (let i = 0; i < shape.length; i++) {
      const field = shape[i]!;
      const v = value[field.prop];
      if (v !== undefined && !this.unchangedAt(v, field.path)) return false;
    }
    return true;
  }

  private shapeOf(name: string): UnchangedShape {
    let shape: UnchangedShape = false;
    if (this.alwaysUnchanged().has(name)) shape = true;
    else if (this.source.sameAs(this.target, name)) {
      shape = [];
      for (const field of this.fieldMapOf(this.source.descriptor.entry(name)!).values()) {
        const path = objectPathOf(field.type);
        if (path) shape.push({ prop: field.prop, path });
      }
    }
    this.shapes.set(name, shape);
    return shape;
  }

  /**
   * The source constructors whose every possible value is unchanged: declared identically in both
   * layers, with every constructor their fields can hold in the set too. The largest such set, found by
   * starting from all identical constructors and removing those that reach outside it until none does.
   */
  alwaysUnchanged(): ReadonlySet<string> {
    if (this.closed) return this.closed;
    const { source, target } = this;
    const closed = new Set(source.descriptor.constructors.filter((c) => source.sameAs(target, c.name)).map((c) => c.name));
    const reachesOutside = (t: TlType): boolean => {
      switch (t.kind) {
        case 'vector':
          return reachesOutside(t.element);
        case 'union':
          return !(source.descriptor.constructorsOf(t.type) ?? []).every((c) => closed.has(c.name));
        case 'bare':
          return !closed.has(t.ctor.name);
        case 'object':
        case 'generic':
          return true;
        default:
          return false;
      }
    };
    for (let removed = true; removed;) {
      removed = false;
      for (const name of closed) {
        const entry = source.descriptor.entry(name)!;
        if (entry.fields.some((f) => f.kind === 'value' && reachesOutside(f.type))) removed = closed.delete(name);
      }
    }
    return (this.closed = closed);
  }

  // Conversion builds no field paths while it works: an error is thrown with an empty path, and each level
  // it passes through on the way out adds its field or index (LayerConversionError.within).
  private boxed(value: unknown, expectedType: string | undefined): TlObject {
    const name = (value as { _?: unknown } | null)?._;
    const source = typeof name === 'string' ? this.source.descriptor.entry(name) : undefined;
    if (!source) {
      const type = expectedType ?? 'Object';
      throw new LayerConversionError(type, this.source.layer, '', `${describeName(name)} is no constructor of ${type}`);
    }
    const counterpart = this.target.descriptor.entry(source.name);
    if (counterpart && counterpart.kind === source.kind && (counterpart.kind === 'method' || fits(counterpart, expectedType))) {
      return this.fields(value as Fields, source, counterpart);
    }
    const type = expectedType ?? (source.kind === 'constructor' ? source.type : source.name);
    const fallback = this.fallbackOf(type);
    if (!fallback) {
      throw new LayerConversionError(type, this.target.layer, '', `${source.name} has no counterpart of type ${type} and no fallback`);
    }
    return this.fields(value as Fields, source, fallback);
  }

  /** The target entry's object, its fields taken by name from `value` (an object of `source`). */
  private fields(value: Fields, source: TlEntryDescriptor, target: TlEntryDescriptor): TlObject {
    const plan = this.planOf(source, target);
    const out: Fields = { _: target.name };
    let setBits: Set<string> | undefined;
    let prop = '';
    try {
      for (const field of plan.fields) {
        prop = field.prop;
        const v = field.from ? value[prop] : undefined;
        const converted = v === undefined || v === false ? v : this.convert(v, field.from!, field.to);
        if (field.bit === undefined) {
          out[prop] = converted ?? this.neutral(field.to);
        } else if (field.to.kind === 'true') {
          out[prop] = Boolean(converted);
          if (converted && plan.sharedBits) (setBits ??= new Set()).add(field.bit);
        } else {
          out[prop] = converted;
          if (converted !== undefined && plan.sharedBits) (setBits ??= new Set()).add(field.bit);
        }
      }
      // Fields that share a flag bit are written together: once one sets the bit, the others are required.
      if (setBits) {
        for (const field of plan.fields) {
          if (field.bit === undefined || !setBits.has(field.bit)) continue;
          prop = field.prop;
          if (field.to.kind === 'true') out[prop] = true;
          else out[prop] ??= this.neutral(field.to);
        }
      }
    } catch (err) {
      throw err instanceof LayerConversionError ? err.within(prop) : err;
    }
    return out as unknown as TlObject;
  }

  /** `v` of source type `s` as a value of target type `t`; undefined when it has no value there. */
  private convert(v: unknown, s: TlType, t: TlType): unknown {
    switch (t.kind) {
      case 'vector': {
        if (s.kind !== 'vector' || !Array.isArray(v)) return undefined;
        const items: unknown[] = new Array(v.length);
        let i = 0;
        try {
          for (; i < v.length; i++) items[i] = this.convert(v[i], s.element, t.element) ?? this.neutral(t.element);
        } catch (err) {
          throw err instanceof LayerConversionError ? err.within(`[${i}]`) : err;
        }
        return items;
      }
      case 'union':
        return isBoxed(s) ? this.boxed(v, t.type) : undefined;
      case 'object':
      case 'generic':
        return isBoxed(s) ? this.boxed(v, undefined) : undefined;
      case 'bare':
        if (s.kind !== 'bare') return undefined;
        return this.fields(v as Fields, s.ctor, t.ctor);
      default:
        return convertLeaf(v, s.kind, t.kind);
    }
  }

  /** The value a required field of type `t` takes when the source has none. */
  private neutral(t: TlType): unknown {
    switch (t.kind) {
      case 'int':
      case 'double':
        return 0;
      case 'long':
        return 0n;
      case 'string':
        return '';
      case 'bytes':
        return new Uint8Array(0);
      case 'int128':
        return new Uint8Array(16);
      case 'int256':
        return new Uint8Array(32);
      case 'Bool':
      case 'true':
        return false;
      case 'vector':
        return [];
      case 'bare':
        return this.fields({}, t.ctor, t.ctor);
      case 'union': {
        const empty = this.target.descriptor.constructorsOf(t.type)?.find((c) => c.name.endsWith('Empty'));
        if (!empty)
          throw new LayerConversionError(t.type, this.target.layer, '', `a required ${t.type} has no value and no empty constructor`);
        return this.fields({}, empty, empty);
      }
      case 'object':
      case 'generic':
        throw new LayerConversionError('Object', this.target.layer, '', 'a required object has no value');
    }
  }

  /** How the fields of a target entry are filled from a source entry: worked out once per pair of entries. */
  private planOf(source: TlEntryDescriptor, target: TlEntryDescriptor): FieldsPlan {
    let byTarget = this.plans.get(source);
    if (!byTarget) this.plans.set(source, (byTarget = new Map()));
    let plan = byTarget.get(target);
    if (!plan) {
      const sourceFields = this.fieldMapOf(source);
      const fields: FieldPlan[] = [];
      const bits = new Set<string>();
      let sharedBits = false;
      for (const field of target.fields) {
        if (field.kind === 'flags') continue;
        const bit = field.condition && `${field.condition.flags}.${field.condition.bit}`;
        if (bit !== undefined) {
          sharedBits ||= bits.has(bit);
          bits.add(bit);
        }
        fields.push({ prop: field.prop, from: sourceFields.get(field.prop)?.type, to: field.type, bit });
      }
      byTarget.set(target, (plan = { fields, sharedBits }));
    }
    return plan;
  }

  /** The type's `…Unsupported` constructor, else its `…Empty` one, in the target layer. */
  private fallbackOf(type: string): TlConstructorDescriptor | undefined {
    const constructors = this.target.descriptor.constructorsOf(type) ?? [];
    return constructors.find((c) => c.name.endsWith('Unsupported')) ?? constructors.find((c) => c.name.endsWith('Empty'));
  }

  private fieldMapOf(entry: TlEntryDescriptor): Map<string, ValueField> {
    let map = this.fieldMaps.get(entry);
    if (!map) {
      map = new Map();
      for (const field of entry.fields) if (field.kind === 'value') map.set(field.prop, field);
      this.fieldMaps.set(entry, map);
    }
    return map;
  }
}

const isBoxed = (t: TlType): boolean => t.kind === 'union' || t.kind === 'object' || t.kind === 'generic';

function fits(entry: TlConstructorDescriptor, expectedType: string | undefined): boolean {
  return expectedType === undefined || entry.type === expectedType;
}

/** A leaf value of kind `s` as one of kind `t`, where it still means the same; otherwise undefined. */
function convertLeaf(v: unknown, s: TlType['kind'], t: TlType['kind']): unknown {
  if (s === t) return v;
  if (s === 'int' && t === 'long') return BigInt(v as number);
  if (s === 'long' && t === 'int') return BigInt.asIntN(32, v as bigint) === v ? Number(v) : undefined;
  if ((s === 'Bool' || s === 'true') && (t === 'Bool' || t === 'true')) return Boolean(v);
  return undefined;
}

function describeName(name: unknown): string {
  return typeof name === 'string' ? name : 'an object without a TL name';
}
