import type { SchemaModel } from '../schema/model.js';
import { entryTypeRef } from './emit-types.js';

/** What the registry module exports: the functions of the runtime's `TlRegistry`. */
const REGISTRY_EXPORTS = ['readObject', 'writeObject', 'readMethod', 'writeMethod', 'readAny', 'writeAny', 'idOf', 'isMethodName'];

/**
 * Emits `registry.ts`: id and name tables over every constructor and method, for values whose type is
 * only known at run time (`Object` fields, rpc_result bodies, `!X` queries, the CLI). Method results are
 * read by the codec's `readResultOf`, not here: they are read by method name, not by id. It lists the
 * generated entry values, which carry their ids, names and codec functions; the runtime's
 * `defineRegistry` builds the tables from them on first use. Unlike the codec it references everything,
 * so only code that needs it should import it.
 *
 * Two methods of api.tl share an id (tdlib's `invokeWithBusinessConnectionPrefix` and
 * `invokeWithBusinessConnection`, both `#dd289f8e`): by id, the one declared last wins.
 */
export function emitRegistry(model: SchemaModel, runtime: string): string {
  // Array.of with an explicit element type: an array literal of ~2500 entry types is a union too complex for tsc.
  const list = (type: string, refs: string[]) => [`  () => Array.of<${type}>(`, ...refs.map((ref) => `    ${ref},`), '  ),'];
  const ctors = model.constructors.filter((e) => e.id !== undefined);
  return [
    `import { defineRegistry, type RegistryEntry } from '${runtime}';`,
    `import * as Api from './types/index.js';`,
    '',
    `export const { ${REGISTRY_EXPORTS.join(', ')} } = defineRegistry(`,
    ...list('RegistryEntry', ctors.map(entryTypeRef)),
    ...list('RegistryEntry', model.methods.map(entryTypeRef)),
    ');',
    '',
  ].join('\n');
}
