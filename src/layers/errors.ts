import { MtwireError } from '../base/errors.js';

/** A layer outside the store's range (below 98 or above 228): no schema to read or write it with. */
export class LayerRangeError extends MtwireError {
  constructor(
    readonly layer: number,
    readonly oldest: number,
    readonly newest: number,
  ) {
    super('LAYER_RANGE', `layer ${layer} is outside the stored layers ${oldest}-${newest}`);
  }
}

/**
 * An object that cannot be written in the target layer: a constructor (or method) with no counterpart
 * there, in a place whose type has no fallback (`…Unsupported`, `…Empty`), or a required field of a type
 * with no empty constructor. Names the type, the layer and where in the object.
 */
export class LayerConversionError extends MtwireError {
  constructor(
    /** The TL type (or the method's name) that has nothing to stand for the object. */
    readonly type: string,
    readonly layer: number,
    /** The field path from the converted object (`users[0].status`), '' for the object itself. */
    readonly path: string,
    readonly detail: string,
  ) {
    super('LAYER_CONVERSION', `${path ? path + ': ' : ''}${detail} in layer ${layer}`);
  }

  /** The same error one level further out: `prefix` is the field (`users`) or index (`[0]`) it was met in. */
  within(prefix: string): LayerConversionError {
    const path = !this.path ? prefix : this.path.startsWith('[') ? prefix + this.path : `${prefix}.${this.path}`;
    return new LayerConversionError(this.type, this.layer, path, this.detail);
  }
}
