// Types for the test that imports bench/baseline.mjs (plain Node, as `npm run bench` runs it).

/** The entry built from the commit, or why it could not be (no git, or no such commit here). */
export type Baseline =
  { module: Record<string, unknown>; commit: string; skipped?: undefined } | { skipped: string; module?: undefined; commit?: undefined };

export function importBaseline(commit: string, entry: string): Promise<Baseline>;
