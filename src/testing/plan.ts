import type { TlEntry } from '../schema/ast.js';
import { parseSchema } from '../schema/parser.js';
import { SchemaModel, type ResolvedType } from '../schema/model.js';
import { camelCase } from '../schema/naming.js';

/**
 * The schema as the arbitraries see it: every generated entry with its fields already resolved, and
 * the boxed types with their constructors. Built once per schema text.
 */

/** One field of an entry as it appears in objects (flags fields are left out: they are computed). */
export interface FieldPlan {
  /** camelCase property name. */
  prop: string;
  type: ResolvedType;
  /** `flags.N?T`: the flags field and the bit; two fields with the same `group` share one bit. */
  condition: { flag: string; bit: number; group: string } | undefined;
}

export interface EntryPlan {
  entry: TlEntry;
  fields: FieldPlan[];
}

export class SchemaPlan {
  readonly model: SchemaModel;
  /** Constructors and methods by TL name (only those the generator keeps). */
  readonly entries = new Map<string, TlEntry>();
  private readonly plans = new Map<string, EntryPlan>();

  constructor(schemaTl: string, file = 'schema') {
    this.model = new SchemaModel(parseSchema(schemaTl, file));
    for (const e of [...this.model.constructors, ...this.model.methods]) this.entries.set(e.name, e);
  }

  /** The fields of an entry in declaration order. */
  plan(entry: TlEntry): EntryPlan {
    let plan = this.plans.get(entry.name);
    if (!plan) {
      const fields: FieldPlan[] = [];
      for (const p of entry.params) {
        if (p.type.kind === 'flags') continue;
        const condition =
          p.type.kind === 'conditional' ? { flag: p.type.flag, bit: p.type.bit, group: `${p.type.flag}.${p.type.bit}` } : undefined;
        fields.push({ prop: camelCase(p.name), type: this.model.resolve(p.type.type, entry), condition });
      }
      plan = { entry, fields };
      this.plans.set(entry.name, plan);
    }
    return plan;
  }

  /** Constructors of a boxed type (those with ids), or undefined when there is no such type. */
  constructorsOf(type: string): TlEntry[] | undefined {
    return this.model.types.get(type);
  }
}

/**
 * How "expensive" the smallest value of each entry is: 1 for the entry plus the cost of its required
 * fields (optional fields cost nothing, vectors can be empty). Past the depth limit the arbitraries
 * only pick, for a boxed type, its cheapest constructor; as every required field of a constructor is
 * strictly cheaper than the constructor itself, that descent always ends.
 *
 * `objectCost` and `methodCost` are the costs of the cheapest choice for `Object` and `!X` fields; they
 * depend on the entries chosen for those, so they are computed in the same fixed point.
 */
export class CostTable {
  private readonly entryCost = new Map<string, number>();

  constructor(
    private readonly schema: SchemaPlan,
    private readonly objectChoices: readonly TlEntry[],
    private readonly methodChoices: readonly TlEntry[],
  ) {
    const all = [...schema.entries.values()];
    for (const e of all) this.entryCost.set(e.name, Infinity);
    for (let changed = true; changed;) {
      changed = false;
      for (const e of all) {
        let cost = 1;
        for (const f of schema.plan(e).fields) if (!f.condition) cost += this.typeCost(f.type);
        if (cost < this.entryCost.get(e.name)!) {
          this.entryCost.set(e.name, cost);
          changed = true;
        }
      }
    }
  }

  of(entry: TlEntry): number {
    return this.entryCost.get(entry.name) ?? Infinity;
  }

  typeCost(t: ResolvedType): number {
    switch (t.kind) {
      case 'union':
        return this.cheapestCost(this.schema.constructorsOf(t.type) ?? []);
      case 'bare':
        return this.of(t.ctor);
      case 'object':
        return this.cheapestCost(this.objectChoices);
      case 'generic':
        return this.cheapestCost(this.methodChoices);
      default:
        return 1;
    }
  }

  /** The entry with the smallest cost (the first declared among equals); undefined when all are infinite. */
  cheapest(entries: readonly TlEntry[]): TlEntry | undefined {
    let best: TlEntry | undefined;
    let bestCost = Infinity;
    for (const e of entries) {
      const cost = this.of(e);
      if (cost < bestCost) {
        best = e;
        bestCost = cost;
      }
    }
    return best;
  }

  private cheapestCost(entries: readonly TlEntry[]): number {
    let best = Infinity;
    for (const e of entries) best = Math.min(best, this.of(e));
    return best;
  }
}
