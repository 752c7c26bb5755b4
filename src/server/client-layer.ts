/**
 * Serving a client in the layer it declared: requests are read with that layer's schema and converted to
 * layer 228 for the handlers; answers and updates are converted from 228 to that layer and written with its
 * schema. An answer whose every constructor is declared identically in both layers skips the conversion
 * and is written by the generated layer-228 codec, which then writes exactly the client layer's bytes.
 */
import { encodeObject, encodeResult, type TlObject } from '../api/index.js';
import { converterBetween, type LayerConverter } from '../layers/convert.js';
import { apiLayer, NEWEST_LAYER, OLDEST_LAYER, servedLayer } from '../layers/store.js';
import { LayerConversionError } from '../layers/errors.js';
import type { TlMethodDescriptor, TlType } from '../tl/descriptor.js';

/** The wrappers a request may start with before invokeWithLayer, and how many bytes each has before its query. */
const INVOKE_WITH_LAYER = 0xda9b0d0d;
const PREFIX_BYTES = new Map([
  [0xbf9459b7, 4], // invokeWithoutUpdates
  [0xcb9f372d, 12], // invokeAfterMsg msg_id:long
]);

/**
 * The layer a request declares with invokeWithLayer (under invokeWithoutUpdates or invokeAfterMsg, if
 * any), read before the request is decoded: the layer decides which schema decodes the rest.
 */
export function declaredLayer(body: Uint8Array): number | undefined {
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  for (let offset = 0; offset + 8 <= body.length;) {
    const id = view.getUint32(offset, true);
    if (id === INVOKE_WITH_LAYER) return view.getInt32(offset + 4, true);
    const skip = PREFIX_BYTES.get(id);
    if (skip === undefined) return undefined;
    offset += skip;
  }
  return undefined;
}

/** Whether the server can serve a declared layer (98-228; one the store lacks is served by the nearest lower). */
export function isServableLayer(layer: number): boolean {
  return Number.isInteger(layer) && layer >= OLDEST_LAYER && layer <= NEWEST_LAYER;
}

/** The rpc_error message for an object that has no form in the client's layer: names the type and the layer. */
export function conversionErrorMessage(err: LayerConversionError): string {
  return `TYPE_NOT_IN_LAYER_${err.layer}: ${err.type}`;
}

export class ClientLayerCodec {
  private readonly up: LayerConverter;
  private readonly down: LayerConverter;
  /** By method name: its result type in both layers, and what of the check can be known before seeing a result. */
  private readonly results = new Map<string, ResultPlan>();

  /** The codec for a client of `layer`; undefined when the layer is served as 228, which needs none. */
  static for(layer: number): ClientLayerCodec | undefined {
    const served = servedLayer(layer);
    return served === NEWEST_LAYER ? undefined : new ClientLayerCodec(served);
  }

  private constructor(readonly layer: number) {
    this.up = converterBetween(layer, NEWEST_LAYER);
    this.down = converterBetween(NEWEST_LAYER, layer);
  }

  /** A request written in the client's layer, as a layer-228 object. Throws TlDecodeError, LayerConversionError. */
  decodeCall(body: Uint8Array): TlObject {
    return this.up.object(apiLayer(this.layer).codec.decode(body));
  }

  /** The bytes of `result` (a layer-228 answer to `request`, a layer-228 method object) in the client's layer. */
  encodeResult(request: TlObject, result: unknown): Uint8Array {
    const plan = this.results.get(request._) ?? this.planResult(request._);
    if (plan.alwaysUnchanged || (plan.sameType && this.down.unchanged(result, plan.current))) return encodeResult(request, result);
    return this.down.target.codec.encodeValue(plan.mine, this.down.value(result, plan.current, plan.mine));
  }

  private planResult(method: string): ResultPlan {
    const current = (this.down.source.descriptor.entry(method) as TlMethodDescriptor).result;
    const mine = (this.down.target.descriptor.entry(method) as TlMethodDescriptor).result;
    const always = this.down.alwaysUnchanged();
    const alwaysUnchanged =
      sameType(current, mine) &&
      current.kind === 'union' &&
      this.down.source.descriptor.constructorsOf(current.type)!.every((c) => always.has(c.name));
    const plan = { current, mine, sameType: sameType(current, mine), alwaysUnchanged };
    this.results.set(method, plan);
    return plan;
  }

  /** The bytes of a layer-228 object (an update) in the client's layer. */
  encodeObject(object: TlObject): Uint8Array {
    if (this.down.unchanged(object, OBJECT)) return encodeObject(object);
    return this.down.target.codec.encode(this.down.object(object));
  }
}

interface ResultPlan {
  current: TlType;
  mine: TlType;
  /** The result types are written alike, so an unchanged value is the same bytes in both layers. */
  sameType: boolean;
  /** Every value of the result type is unchanged: no need to look at the value. */
  alwaysUnchanged: boolean;
}

const OBJECT: TlType = { kind: 'object' };

/** Whether two layers' types are written alike: same kinds, same boxed type names, same bare constructors. */
function sameType(a: TlType, b: TlType): boolean {
  switch (a.kind) {
    case 'vector':
      return b.kind === 'vector' && a.boxed === b.boxed && sameType(a.element, b.element);
    case 'union':
      return b.kind === 'union' && a.type === b.type;
    case 'bare':
      return b.kind === 'bare' && a.ctor.name === b.ctor.name;
    case 'generic':
      return b.kind === 'generic' && a.name === b.name;
    default:
      return a.kind === b.kind;
  }
}
