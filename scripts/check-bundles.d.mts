// Types for the tests that import scripts/check-bundles.mjs (plain Node, so that CI runs it unbuilt).

export interface BundleReport {
  name: string;
  /** Bytes of the minified bundle, and of that gzipped. */
  minified: number;
  gzip: number;
  /** `file imports node:x`, one line per import of a Node built-in. */
  nodeImports: string[];
  /** The bundle itself, to search. */
  text: string;
}

export const BROWSER_ENTRIES: Record<string, string>;
export const GZIP_BUDGETS: Record<string, number>;
/** A program that connects a client over WebSocket and asks for the config (budget 250 KB gzip). */
export const CLIENT_GET_CONFIG: string;
/** A program that only builds and encodes the seed's phone.requestCall. */
export const ENCODE_REQUEST_CALL: string;

export function checkBundles(): Promise<{ bundles: BundleReport[]; nodeImports: string[]; overBudget: string[] }>;

/**
 * Bundles one entry (a file under the repository, or source text resolved from its root) for browsers.
 * With `generatedNames`, identifiers are not minified, so the generated functions keep their names.
 */
export function bundleForBrowser(
  name: string,
  entry: { file: string } | { source: string },
  options?: { generatedNames?: boolean },
): Promise<BundleReport>;
