/**
 * Every fuzz target, by name. `npm run fuzz` runs them (scripts/fuzz.mjs); test/fuzz/regressions.test.ts
 * replays fixtures/fuzz-regressions/ against them and runs each for a few hundred inputs.
 *
 * A target reads one byte string (see harness.ts for how an input is classified). Adding one: write a
 * `FuzzTarget` in the file of its layer and list it here.
 */
import type { FuzzTarget } from './harness.js';
import { authTargets } from './targets-auth.js';
import { cryptoTargets } from './targets-crypto.js';
import { sessionTargets } from './targets-session.js';
import { tlTargets } from './targets-tl.js';
import { transportTargets } from './targets-transport.js';

export { checkTyped, runCampaign, runInput, toHex, fromHex, FuzzFailure, ContractViolation } from './harness.js';
export type { FuzzTarget, CampaignStats, CampaignOptions, RunLimits } from './harness.js';

export const targets: readonly FuzzTarget[] = [...tlTargets, ...transportTargets, ...cryptoTargets, ...authTargets, ...sessionTargets];

export function targetNamed(name: string): FuzzTarget | undefined {
  return targets.find((t) => t.name === name);
}

/** The target a regression file belongs to: `<target>-<n>.hex` (the longest target name that fits). */
export function targetOfFile(file: string): FuzzTarget | undefined {
  const base = file.replace(/\.hex$/, '');
  return [...targets]
    .sort((a, b) => b.name.length - a.name.length)
    .find((t) => base.startsWith(t.name + '-') && /^\d+$/.test(base.slice(t.name.length + 1)));
}
