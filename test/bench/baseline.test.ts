/**
 * bench/baseline.mjs: an earlier commit built from the repository's history with its own generator, or a
 * reason to skip when this checkout does not have the commit.
 */
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { importBaseline } from '../../bench/baseline.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
/** main before issue 16's work, the build bench/load.mjs compares against. */
const BEFORE = '900f8c1';

describe('bench baseline builds', () => {
  test('a commit this checkout does not have is skipped with the reason, not built', async () => {
    const baseline = await importBaseline('no-such-commit', 'export const x = 1;');
    expect(baseline.module).toBeUndefined();
    expect(baseline.skipped).toBe('commit no-such-commit: git finds no such commit here (a copy without its history?)');
  });

  test('900f8c1 is built with its own generated API and encodes with it', async (context) => {
    const resolved = spawnSync('git', ['rev-parse', '--verify', '--quiet', `${BEFORE}^{commit}`], { cwd: root });
    if (resolved.status !== 0) context.skip(); // a shallow clone or a copy without history
    const hash = resolved.stdout.toString().trim();
    const baseline = await importBaseline(BEFORE, "export { encodeObject, decodeObject } from './src/api/index.js';");
    expect(baseline.commit).toBe(BEFORE);
    const { encodeObject, decodeObject } = baseline.module as {
      encodeObject: (value: object) => Uint8Array;
      decodeObject: (bytes: Uint8Array) => object;
    };
    // help.getConfig#c4f9186b, little-endian; then users.getUsers#0d91a548 with a vector of one inputUserSelf#f7c1b13f.
    expect([...encodeObject({ _: 'help.getConfig' })]).toEqual([0x6b, 0x18, 0xf9, 0xc4]);
    const getUsers = encodeObject({ _: 'users.getUsers', id: [{ _: 'inputUserSelf' }] });
    expect([...getUsers]).toEqual([0x48, 0xa5, 0x91, 0x0d, 0x15, 0xc4, 0xb5, 0x1c, 1, 0, 0, 0, 0x3f, 0xb1, 0xc1, 0xf7]);
    expect(decodeObject(getUsers)).toEqual({ _: 'users.getUsers', id: [{ _: 'inputUserSelf' }] });
    // The tree is cached by full commit, generated code included; no partial build is left behind.
    const cache = `${root}/bench/.baseline`;
    expect(existsSync(`${cache}/${hash}/src/generated/api`)).toBe(true);
    expect(readdirSync(cache).filter((name) => name.includes('.partial-'))).toEqual([]);
  });
});
