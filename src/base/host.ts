/**
 * Node's built-in modules, looked up at run time (`process.getBuiltinModule`, Node ≥ 20.16) instead of
 * imported: a static `node:` import would make every bundle for a browser, Deno or Bun fail to resolve,
 * while a run-time lookup lets one module serve both kinds of host and pick its fast path when it exists.
 */
import { MtwireError } from './errors.js';

interface NodeProcess {
  getBuiltinModule?: (id: string) => unknown;
}

/** The built-in module `id` (e.g. 'node:zlib'), or undefined on a host without Node's built-ins. */
export function nodeBuiltin<T>(id: `node:${string}`): T | undefined {
  const proc = (globalThis as { process?: NodeProcess }).process;
  return proc?.getBuiltinModule?.(id) as T | undefined;
}

/** As nodeBuiltin, for code that cannot work without the module: throws a typed error naming it. */
export function requireNodeBuiltin<T>(id: `node:${string}`, user: string): T {
  const module = nodeBuiltin<T>(id);
  if (module === undefined) throw new MtwireError('HOST_UNSUPPORTED', `${user} needs ${id}, which this host does not provide`);
  return module;
}

/** The host's name and version for initConnection's system_version: `node 20.19.0`, `bun 1.2.0`, or a browser's user agent. */
export function hostDescription(): string {
  const g = globalThis as { process?: { versions?: Record<string, string | undefined> }; navigator?: { userAgent?: string } };
  const versions = g.process?.versions;
  for (const runtime of ['bun', 'deno', 'node']) if (versions?.[runtime]) return `${runtime} ${versions[runtime]}`;
  return g.navigator?.userAgent ?? 'unknown';
}
