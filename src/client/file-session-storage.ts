/**
 * A session file that is never half-written: each save writes a temporary file beside it, flushes it to
 * disk and renames it over the old one (a rename within one directory is atomic on POSIX and on NTFS),
 * so a crash leaves either the old session or the new one.
 *
 * Node only. node:fs is looked up when a method runs (process.getBuiltinModule), never imported, so
 * the client entry stays loadable in browsers, where this class is simply not used.
 */
import { MtwireError } from '../base/errors.js';
import { decodeSessionString, encodeSessionString, type SessionData } from './session-string.js';
import type { SessionStorage } from './session-storage.js';

/** The few node:fs/promises calls used here (typed locally: the client layer imports no node: module). */
interface FsPromises {
  readFile(path: string, encoding: 'utf8'): Promise<string>;
  open(
    path: string,
    flags: string,
    mode: number,
  ): Promise<{ writeFile(data: string): Promise<void>; sync(): Promise<void>; close(): Promise<void> }>;
  rename(from: string, to: string): Promise<void>;
  rm(path: string, options: { force: boolean }): Promise<void>;
}

function fs(): FsPromises {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const lib = proc?.getBuiltinModule?.('node:fs/promises') as FsPromises | undefined;
  if (!lib) throw new MtwireError('NO_FILESYSTEM', 'FileSessionStorage needs Node (node:fs); use MemorySessionStorage here');
  return lib;
}

const isMissing = (error: unknown): boolean => (error as { code?: unknown }).code === 'ENOENT';
let writeCounter = 0;

export class FileSessionStorage implements SessionStorage {
  constructor(readonly path: string) {}

  async load(): Promise<SessionData | undefined> {
    let text: string;
    try {
      text = await fs().readFile(this.path, 'utf8');
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
    return decodeSessionString(text.trim());
  }

  async save(session: SessionData): Promise<void> {
    const text = encodeSessionString(session) + '\n';
    const lib = fs();
    // Random per call and counted: two saves in flight (here or in another process) never share a file.
    const temporary = `${this.path}.${Math.random().toString(36).slice(2)}-${(writeCounter++).toString(36)}.tmp`;
    try {
      // 0o600: the file holds auth keys, which are as good as the account.
      const file = await lib.open(temporary, 'wx', 0o600);
      try {
        await file.writeFile(text);
        await file.sync();
      } finally {
        await file.close();
      }
      await lib.rename(temporary, this.path);
    } catch (error) {
      await lib.rm(temporary, { force: true });
      throw error;
    }
  }

  async delete(): Promise<void> {
    await fs().rm(this.path, { force: true });
  }
}
