// Types for the tests that import scripts/check-layers.mjs (plain Node, so that CI runs it unbuilt).

export interface Layer {
  name: string;
  /** A path ending in `/` is a folder; any other is a single file. */
  folders: string[];
  /** The layers whose files this layer's files may import, besides its own. */
  layers: ReadonlySet<string>;
  /** Packages it may import, each with any subpath. */
  packages: string[];
}

export interface LayerViolation {
  /** Relative to the checked root, `/`-separated. */
  file: string;
  line: number;
  message: string;
}

export function parseLayerTable(rulesText: string): Layer[];

export function checkLayers(root: string, rulesText: string): { files: number; imports: number; violations: LayerViolation[] };
