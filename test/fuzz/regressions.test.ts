/**
 * The fuzzers in CI: every saved counterexample in fixtures/fuzz-regressions/ is replayed against its
 * target (a fixed bug stays fixed), then each target runs a few hundred fresh inputs. The long campaigns
 * are `npm run fuzz -- --runs 1000000` (see scripts/fuzz.mjs).
 *
 * MTWIRE_FUZZ_RUNS (default 200) sets the inputs per target; MTWIRE_FUZZ_SEED (default 42) the seed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromHex, runCampaign, runInput } from '../../fuzz/harness.js';
import { targetOfFile, targets } from '../../fuzz/targets.js';

const RUNS = Number(process.env.MTWIRE_FUZZ_RUNS ?? 200);
const SEED = Number(process.env.MTWIRE_FUZZ_SEED ?? 42);
const dir = join(process.cwd(), 'fixtures/fuzz-regressions');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.hex'))
  .sort();

describe('fuzz regressions', () => {
  it('every regression file names a target', () => {
    expect(files.filter((f) => !targetOfFile(f))).toEqual([]);
  });

  it.each(files)('%s', (file) => {
    const target = targetOfFile(file)!;
    const data = fromHex(readFileSync(join(dir, file), 'utf8'));
    // Throws FuzzFailure on a crash, contract violation, hang (> 1 s twice) or unbounded allocation.
    runInput(target, data, { timeLimitMs: 1000, measureAlloc: true });
  });
});

describe(`fuzz targets, ${RUNS} inputs each`, () => {
  it.each(targets.map((t) => [t.name, t] as const))('%s', (_, target) => {
    const stats = runCampaign(target, { runs: RUNS, seed: SEED, shrinkSeconds: 5 });
    expect(
      stats.failure,
      stats.failure ? `${stats.failure.kind}: ${stats.failure.message}\ninput: ${stats.failure.hex}` : '',
    ).toBeUndefined();
    expect(stats.inputs).toBe(RUNS);
  });
});
