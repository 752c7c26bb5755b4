/**
 * The API schemas of layers 98-228, read from the store (pack.ts) when first asked for: the pack's text
 * is split into lines on the first request for any layer, and each layer's descriptor and codec are built
 * on the first request for that layer, then kept.
 */
import { TlDescriptor } from '../tl/descriptor.js';
import { DescriptorCodec } from '../tl/descriptor-codec.js';
import { LayerRangeError } from './errors.js';
import { LAYERS, LINES } from './pack.js';
import { decodeRuns, fromStoredLines } from './pack-format.js';

/** One stored layer: its descriptor, a codec over it, and which stored line each entry is. */
export class ApiLayer {
  readonly descriptor: TlDescriptor;
  /** The descriptor's text: exactly what the generator writes for this layer's api.tl. */
  readonly descriptorText: string;
  readonly codec: DescriptorCodec;
  /** Entry name → the number of its stored line: two layers declare an entry identically iff the numbers match. */
  private readonly lineNumbers = new Map<string, number>();

  constructor(
    readonly layer: number,
    lineNumbers: readonly number[],
    constructorCount: number,
    lines: readonly string[],
  ) {
    const entryLines = lineNumbers.map((n) => lines[n]!);
    lineNumbers.forEach((n, i) => this.lineNumbers.set(entryNameOf(entryLines[i]!), n));
    this.descriptorText = fromStoredLines(entryLines, constructorCount);
    this.descriptor = new TlDescriptor(this.descriptorText);
    this.codec = new DescriptorCodec(this.descriptor);
  }

  /** Whether `name` is declared identically (id, fields, types) here and in `other`. */
  sameAs(other: ApiLayer, name: string): boolean {
    const line = this.lineNumbers.get(name);
    return line !== undefined && line === other.lineNumbers.get(name);
  }
}

interface Store {
  lines: string[];
  /** Stored layer → its row: constructor count and line numbers, still encoded. */
  rows: Map<number, string>;
  layers: Map<number, ApiLayer>;
  /** Ascending. */
  stored: number[];
}

let store: Store | undefined;

function openStore(): Store {
  if (!store) {
    const rows = new Map<number, string>();
    for (const row of LAYERS.split('\n')) rows.set(Number(row.slice(0, row.indexOf(' '))), row);
    store = { lines: LINES.split('\n'), rows, layers: new Map(), stored: [...rows.keys()].sort((a, b) => a - b) };
  }
  return store;
}

/** Every layer the store holds, ascending (98…228 without the layers tdlib never shipped). */
export function storedLayers(): readonly number[] {
  return openStore().stored;
}

export const OLDEST_LAYER = 98;
export const NEWEST_LAYER = 228;

/** The stored layer that serves `layer`: itself, or the nearest lower one the store holds. */
export function servedLayer(layer: number): number {
  if (!Number.isInteger(layer) || layer < OLDEST_LAYER || layer > NEWEST_LAYER) {
    throw new LayerRangeError(layer, OLDEST_LAYER, NEWEST_LAYER);
  }
  const { rows } = openStore();
  let served = layer;
  while (!rows.has(served)) served--;
  return served;
}

/** The schema of `layer` (or of the nearest lower stored layer), built on first use and cached. */
export function apiLayer(layer: number): ApiLayer {
  const served = servedLayer(layer);
  const { lines, rows, layers } = openStore();
  let api = layers.get(served);
  if (!api) {
    const [, count, runs] = rows.get(served)!.split(' ');
    api = new ApiLayer(served, decodeRuns(runs!), Number(count), lines);
    layers.set(served, api);
  }
  return api;
}

/** A stored line starts with the entry's name, up to its id, generics or first space. */
function entryNameOf(line: string): string {
  return /^[^#{ ]+/.exec(line)![0];
}
