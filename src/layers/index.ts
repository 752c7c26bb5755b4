/**
 * `mtwire/layers`: the API schemas of every layer from 98 to 228 and conversion between them, for
 * anyone holding data written in an older layer. Each layer's schema is read from the store on first
 * use; layers tdlib never shipped are served by the nearest lower one.
 *
 * ```ts
 * import { convertObject, decodeObjectInLayer } from 'mtwire/layers';
 * const old = decodeObjectInLayer(bytes, 144); // an object as layer 144 declares it
 * const now = convertObject(old, { from: 144, to: 228 });
 * ```
 */
import type { TlObject } from '../tl/define.js';
import { apiLayer } from './store.js';

export { convertObject, converterBetween, LayerConverter, type ConvertOptions } from './convert.js';
export { apiLayer, servedLayer, storedLayers, ApiLayer, OLDEST_LAYER, NEWEST_LAYER } from './store.js';
export { LayerConversionError, LayerRangeError } from './errors.js';

/** One boxed constructor or method object written in `layer`; trailing bytes are an error. */
export function decodeObjectInLayer(bytes: Uint8Array, layer: number): TlObject {
  return apiLayer(layer).codec.decode(bytes);
}

/** The boxed serialization of a constructor or method object of `layer`. */
export function encodeObjectInLayer(value: TlObject, layer: number): Uint8Array {
  return apiLayer(layer).codec.encode(value);
}
