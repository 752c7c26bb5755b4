import type { TlDescriptor, TlEntryDescriptor, TlType } from '../tl/descriptor.js';

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
  private readonly entryCost = new Map<TlEntryDescriptor, number>();

  constructor(
    private readonly descriptor: TlDescriptor,
    private readonly objectChoices: readonly TlEntryDescriptor[],
    private readonly methodChoices: readonly TlEntryDescriptor[],
  ) {
    const all = [...descriptor.constructors, ...descriptor.methods];
    for (const e of all) this.entryCost.set(e, Infinity);
    for (let changed = true; changed;) {
      changed = false;
      for (const e of all) {
        let cost = 1;
        for (const f of e.fields) if (f.kind === 'value' && !f.condition) cost += this.typeCost(f.type);
        if (cost < this.entryCost.get(e)!) {
          this.entryCost.set(e, cost);
          changed = true;
        }
      }
    }
  }

  of(entry: TlEntryDescriptor): number {
    return this.entryCost.get(entry) ?? Infinity;
  }

  typeCost(t: TlType): number {
    switch (t.kind) {
      case 'union':
        return this.cheapestCost(this.descriptor.constructorsOf(t.type) ?? []);
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
  cheapest(entries: readonly TlEntryDescriptor[]): TlEntryDescriptor | undefined {
    let best: TlEntryDescriptor | undefined;
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

  private cheapestCost(entries: readonly TlEntryDescriptor[]): number {
    let best = Infinity;
    for (const e of entries) best = Math.min(best, this.of(e));
    return best;
  }
}
