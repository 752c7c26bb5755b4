import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileSessionStorage } from '../../src/client/file-session-storage.js';
import { SessionStringError } from '../../src/client/session-errors.js';
import { MemorySessionStorage, type SessionStorage } from '../../src/client/session-storage.js';
import { decodeSessionString, type SessionData } from '../../src/client/session-string.js';

const session = (homeDc: number, salt: bigint): SessionData => ({
  homeDc,
  timeOffset: 1,
  testMode: true,
  dcs: [
    { dcId: 2, authKey: new Uint8Array(256).fill(2), serverSalt: salt },
    { dcId: 4, authKey: new Uint8Array(256).fill(4), serverSalt: -salt },
  ],
});

const dirs: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'mtwire-session-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe.each([
  ['memory', (): SessionStorage => new MemorySessionStorage()],
  ['file', (): SessionStorage => new FileSessionStorage(join(tempDir(), 'session'))],
])('%s storage', (_, make) => {
  it('loads nothing before a save, the last save after, nothing after delete', async () => {
    const store = make();
    expect(await store.load()).toBeUndefined();
    await store.save(session(2, 1n));
    await store.save(session(4, 2n));
    expect(await store.load()).toEqual(session(4, 2n));
    await store.delete();
    expect(await store.load()).toBeUndefined();
    await store.delete();
  });
});

describe('FileSessionStorage', () => {
  it('writes the session string, owner-only, and leaves no temporary file', async () => {
    const dir = tempDir();
    const path = join(dir, 'account.session');
    await new FileSessionStorage(path).save(session(2, 7n));
    expect(decodeSessionString(readFileSync(path, 'utf8').trim())).toEqual(session(2, 7n));
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['account.session']);
  });

  it('concurrent saves leave one whole session, never a mix', async () => {
    const dir = tempDir();
    const store = new FileSessionStorage(join(dir, 's'));
    const versions = Array.from({ length: 20 }, (_, i) => session(i % 2 ? 2 : 4, BigInt(i + 1)));
    await Promise.all(versions.map((v) => store.save(v)));
    expect(versions).toContainEqual(await store.load());
    expect(readdirSync(dir)).toEqual(['s']);
  });

  it('a corrupted file is a typed error', async () => {
    const dir = tempDir();
    const path = join(dir, 's');
    const store = new FileSessionStorage(path);
    await store.save(session(2, 1n));
    const text = readFileSync(path, 'utf8');
    writeFileSync(path, text.slice(0, 100));
    await expect(store.load()).rejects.toThrow(SessionStringError);
  });

  it('a save that fails at the rename removes its temporary file', async () => {
    const dir = tempDir();
    const target = join(dir, 's');
    mkdirSync(join(target, 'occupied'), { recursive: true }); // renaming a file over a non-empty directory fails
    await expect(new FileSessionStorage(target).save(session(2, 1n))).rejects.toThrow();
    expect(readdirSync(dir)).toEqual(['s']);
  });

  it('refuses to write a session it could not read back, keeping the old one', async () => {
    const store = new FileSessionStorage(join(tempDir(), 's'));
    await store.save(session(2, 1n));
    await expect(store.save({ ...session(2, 1n), homeDc: 9 })).rejects.toThrow(/homeDc/);
    expect(await store.load()).toEqual(session(2, 1n));
  });
});
