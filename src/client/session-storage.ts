/**
 * Where a client keeps its session between runs. Implementations store the portable string
 * (encodeSessionString), so any store can hand its content to another, and a load either returns a whole
 * session or throws SessionStringError.
 */
import { decodeSessionString, encodeSessionString, type SessionData } from './session-string.js';

export interface SessionStorage {
  /** The saved session, or undefined when none was saved yet. */
  load(): Promise<SessionData | undefined>;
  save(session: SessionData): Promise<void>;
  /** Forgets the session (after a log-out). */
  delete(): Promise<void>;
}

/** Keeps the string in memory: for tests, and for programs that persist it themselves (`.value`). */
export class MemorySessionStorage implements SessionStorage {
  constructor(public value: string | undefined = undefined) {}

  load(): Promise<SessionData | undefined> {
    return Promise.resolve(this.value === undefined ? undefined : decodeSessionString(this.value));
  }

  save(session: SessionData): Promise<void> {
    this.value = encodeSessionString(session);
    return Promise.resolve();
  }

  delete(): Promise<void> {
    this.value = undefined;
    return Promise.resolve();
  }
}
