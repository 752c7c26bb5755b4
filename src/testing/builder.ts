import fc from 'fast-check';
import type { TlObject } from '../tl/define.js';
import type { TlCondition, TlDescriptor, TlEntryDescriptor, TlType } from '../tl/descriptor.js';
import { CostTable } from './costs.js';

/** Everything that shapes generated values, with every default filled in. */
export interface Settings {
  maxDepth: number;
  maxVectorLength: number;
  maxStringLength: number;
  maxBytesLength: number;
  edgeLengths: readonly number[];
  edgeValues: boolean;
  optionalFrequency: number;
  objects: readonly string[];
  methods: readonly string[];
  absentFields: 'undefined' | 'omit';
}

const INT_EDGES = [-2147483648, 2147483647, 0, -1, 1];
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;
const LONG_EDGES = [LONG_MIN, LONG_MAX, -4294967296n, 4294967295n, 4294967296n, 0n, -1n, 1n];

/** A value of part `part` of an entry's tuple goes to `prop`, as it is, as a flag, or as one member of a group. */
type Step =
  | { prop: string; part: number; kind: 'value' }
  | { prop: string; part: number; kind: 'flag' }
  | { prop: string; part: number; kind: 'member'; member: number };

/**
 * Builds and caches the arbitraries of one schema for one set of settings. An entry's arbitrary is
 * cached per depth (and once for "past the depth limit"), so the whole schema costs at most
 * `entries × (maxDepth + 1)` arbitraries, each built when first reached.
 */
export class Builder {
  /** By entry, the arbitrary of each depth; index `maxDepth` holds the one past the depth limit. */
  private readonly cache = new Map<TlEntryDescriptor, fc.Arbitrary<TlObject>[]>();
  private readonly costs: CostTable;
  private readonly objectChoices: TlEntryDescriptor[];
  private readonly methodChoices: TlEntryDescriptor[];
  private readonly primitives: Record<string, fc.Arbitrary<unknown>>;

  constructor(
    private readonly descriptor: TlDescriptor,
    private readonly s: Settings,
  ) {
    this.objectChoices = s.objects.map((name) => this.choice(name, 'constructor'));
    this.methodChoices = s.methods.map((name) => this.choice(name, 'method'));
    this.costs = new CostTable(descriptor, this.objectChoices, this.methodChoices);
    this.primitives = this.buildPrimitives();
  }

  /** An entry's objects; depth 0 is the root, and from `maxDepth` on only the smallest values are made. */
  entry(e: TlEntryDescriptor, depth: number): fc.Arbitrary<TlObject> {
    const level = Math.min(depth, this.s.maxDepth);
    let levels = this.cache.get(e);
    if (!levels) {
      if (!Number.isFinite(this.costs.of(e))) {
        throw new RangeError(`${e.name} has no finite value: every way to build it needs another ${e.name}`);
      }
      levels = [];
      this.cache.set(e, levels);
    }
    return (levels[level] ??= this.build(e, depth, level === this.s.maxDepth));
  }

  /** Any constructor of a boxed type (`Object`: one of the configured object choices). */
  type(name: string, depth: number): fc.Arbitrary<TlObject> | undefined {
    if (name === 'Object') return this.pick(this.objectChoices, depth, 'Object');
    const ctors = this.descriptor.constructorsOf(name);
    return ctors ? this.pick(ctors, depth, name) : undefined;
  }

  private choice(name: string, kind: 'constructor' | 'method'): TlEntryDescriptor {
    const e = this.descriptor.entry(name);
    if (!e || e.kind !== kind || e.id === undefined) {
      throw new RangeError(`"${name}" is not a ${kind} with an id in the schema (used for ${kind === 'method' ? '!X' : 'Object'} fields)`);
    }
    return e;
  }

  /** One of `entries`: all of them (cheapest first, for shrinking) or, past the depth limit, only the cheapest. */
  private pick(entries: readonly TlEntryDescriptor[], depth: number, what: string): fc.Arbitrary<TlObject> {
    const finite = entries.filter((e) => Number.isFinite(this.costs.of(e)));
    const cheapest = this.costs.cheapest(finite);
    if (!cheapest) throw new RangeError(`${what} has no constructor with a finite value`);
    if (depth >= this.s.maxDepth || finite.length === 1) return this.entry(cheapest, depth);
    const rest = finite.filter((e) => e !== cheapest).map((e) => this.entry(e, depth));
    return fc.oneof({ withCrossShrink: true }, this.entry(cheapest, depth), ...rest);
  }

  private build(e: TlEntryDescriptor, depth: number, minimal: boolean): fc.Arbitrary<TlObject> {
    const parts: fc.Arbitrary<unknown>[] = [];
    const steps: Step[] = [];
    const groups = new Map<string, { part: number; members: fc.Arbitrary<unknown>[] }>();
    // Flags fields are left out: writers compute them from the conditional fields.
    const fields = e.fields.filter((f) => f.kind === 'value');
    // First the groups of fields that share a flag bit, so that each gets one part of the tuple.
    for (const f of fields) {
      if (!f.condition) continue;
      const key = groupOf(f.condition);
      let g = groups.get(key);
      if (!g) {
        g = { part: -1, members: [] };
        groups.set(key, g);
      }
      if (f.type.kind === 'true') {
        steps.push({ prop: f.prop, part: -1, kind: 'flag' });
      } else {
        steps.push({ prop: f.prop, part: -1, kind: 'member', member: g.members.length });
        g.members.push(minimal ? fc.constant(undefined) : this.value(f.type, depth + 1));
      }
    }
    for (const g of groups.values()) {
      g.part = parts.length;
      // Present: `true` (a group of `?true` flags only) or the array of the members' values; absent: `false`/undefined.
      if (!g.members.length) parts.push(fc.boolean());
      else if (minimal) parts.push(fc.constant(undefined));
      else parts.push(fc.option(fc.tuple(...g.members), { nil: undefined, freq: this.s.optionalFrequency }));
    }
    // Then the steps in declaration order, so that objects have their keys in the decoder's order.
    const ordered: Step[] = [];
    let conditional = 0;
    for (const f of fields) {
      if (f.condition) {
        const step = steps[conditional++]!;
        step.part = groups.get(groupOf(f.condition))!.part;
        ordered.push(step);
      } else {
        ordered.push({ prop: f.prop, part: parts.length, kind: 'value' });
        parts.push(this.value(f.type, depth + 1));
      }
    }
    const name = e.name;
    const keepAbsent = this.s.absentFields === 'undefined';
    return fc.tuple(...parts).map((values) => {
      const o: Record<string, unknown> = { _: name };
      for (const step of ordered) {
        const v = values[step.part];
        if (step.kind === 'value') o[step.prop] = v;
        else if (step.kind === 'flag') o[step.prop] = v !== undefined && v !== false;
        else if (v !== undefined) o[step.prop] = (v as unknown[])[step.member];
        else if (keepAbsent) o[step.prop] = undefined;
      }
      return o as unknown as TlObject;
    });
  }

  private value(t: TlType, depth: number): fc.Arbitrary<unknown> {
    switch (t.kind) {
      case 'vector':
        // A fresh array each time: decoders never share arrays between objects either.
        if (depth >= this.s.maxDepth) return fc.constant(0).map(() => []);
        return fc.array(this.value(t.element, depth), { maxLength: this.s.maxVectorLength });
      case 'union':
        return this.type(t.type, depth)!;
      case 'bare':
        return this.entry(t.ctor, depth);
      case 'object':
        return this.pick(this.objectChoices, depth, 'Object');
      case 'generic':
        return this.pick(this.methodChoices, depth, '!X');
      default:
        return this.primitives[t.kind]!;
    }
  }

  private buildPrimitives(): Record<string, fc.Arbitrary<unknown>> {
    const s = this.s;
    const withEdges = <T>(edges: readonly T[], arb: fc.Arbitrary<T>): fc.Arbitrary<T> =>
      s.edgeValues ? fc.oneof({ weight: 4, arbitrary: arb }, { weight: 1, arbitrary: fc.constantFrom(...edges) }) : arb;
    const lengths = s.edgeLengths;
    const longStrings = lengths.flatMap((n) => [
      // n ASCII characters: n UTF-8 bytes.
      fc.string({ minLength: n, maxLength: n, unit: 'binary-ascii' }),
      // Two-byte characters (and one ASCII one when n is odd): n UTF-8 bytes from fewer UTF-16 units.
      fc.constant('é'.repeat(n >> 1) + (n & 1 ? 'a' : '')),
    ]);
    const shortString = fc.oneof(
      { weight: 3, arbitrary: fc.string({ maxLength: s.maxStringLength }) },
      { weight: 2, arbitrary: fc.string({ maxLength: s.maxStringLength, unit: 'binary' }) },
    );
    const shortBytes = fc.uint8Array({ maxLength: s.maxBytesLength });
    const longBytes = lengths.map((n) => fc.uint8Array({ minLength: n, maxLength: n }));
    return {
      int: withEdges(INT_EDGES, fc.integer()),
      long: withEdges(LONG_EDGES, fc.bigInt({ min: LONG_MIN, max: LONG_MAX })),
      double: fc.double(),
      string: longStrings.length
        ? fc.oneof({ weight: 12, arbitrary: shortString }, { weight: 1, arbitrary: fc.oneof(...longStrings) })
        : shortString,
      bytes: longBytes.length
        ? fc.oneof({ weight: 12, arbitrary: shortBytes }, { weight: 1, arbitrary: fc.oneof(...longBytes) })
        : shortBytes,
      int128: fc.uint8Array({ minLength: 16, maxLength: 16 }),
      int256: fc.uint8Array({ minLength: 32, maxLength: 32 }),
      Bool: fc.boolean(),
      true: fc.constant(true),
    };
  }
}

/** The key shared by the fields that one flag bit makes present. */
function groupOf(condition: TlCondition): string {
  return `${condition.flags}.${condition.bit}`;
}
