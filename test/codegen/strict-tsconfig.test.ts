import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { generate, writeGeneratedFiles } from '../../src/codegen/generate.js';
import { parseSchema } from '../../src/schema/parser.js';
import { root, typecheck } from './emitters-helpers.js';

/** The settings of a strict project that generated code must compile under (issue 17). */
const STRICTEST = {
  strict: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  noPropertyAccessFromIndexSignature: true,
  // Library code is checked too: the runtime's own sources are part of both programs.
  skipLibCheck: false,
};

/** A user's schema with what made generated code fail before: flags, flags2, optional fields of every kind, vectors, `!X`, a namespace. */
const SCHEMA = `
user#fce23458 flags:# flags2:# id:long name:flags.0?string bot:flags.1?true verified:flags.2?Bool photo:flags2.0?bytes tags:flags2.1?Vector<long> = User;
geo.place#536ea944 id:long users:Vector<User> names:Vector<string> = geo.Place;
---functions---
invokeWithPrefix#f327d578 {X:Type} prefix:int query:!X = X;
geo.getPlaces#10e5a172 ids:Vector<long> = Vector<geo.Place>;
getUser#686d73cf id:long = User;
`;

/** What a strict project writes against the generated module: optional fields given, omitted and read back. */
const USAGE = `
import * as Api from './types/index.js';

const named = new Api.User({ id: 1n, name: 'ann', tags: [1n, 2] });
const bare = new Api.User({ id: 2n });
const decoded: Api.User = Api.User.decode(Api.User.encode(named));
const name: string = decoded.name ?? '';
const first: bigint | undefined = decoded.tags?.[0];
const place = new Api.geo.Place({ id: 3n, users: [named, bare], names: [] });
export const all = [name, first, place];
`;

describe('generated code under the strictest TypeScript settings', () => {
  it('a user schema generates, compiles and is usable with noUncheckedIndexedAccess, exactOptionalPropertyTypes, noPropertyAccessFromIndexSignature', () => {
    const out = join(root, 'test/.generated/strict/user');
    const runtime = relative(out, join(root, 'src/tl/runtime.js')).replace(/\\/g, '/');
    const { files, warnings } = generate(parseSchema(SCHEMA, 'user.tl'), { runtime });
    expect(warnings).toEqual([]);
    writeGeneratedFiles(out, files);
    writeFileSync(join(out, 'usage.ts'), USAGE);
    // bad.ts shows that the settings are in force: under exactOptionalPropertyTypes a field the type makes
    // `string | undefined` is not a `string`.
    writeFileSync(
      join(out, 'bad.ts'),
      "import * as Api from './types/index.js';\nexport const n: string = Api.User.decode(new Uint8Array(0)).name;\n",
    );
    const sources = [...files.keys(), 'usage.ts', 'bad.ts'].map((f) => join(out, f));
    const diagnostics = typecheck(sources, STRICTEST);
    expect(diagnostics, diagnostics.join('\n')).toHaveLength(1);
    expect(diagnostics[0]).toMatch(/bad\.ts:2: Type 'string \| undefined' is not assignable to type 'string'/);
  });

  // About 15 s alone on the 2-core machine; the timeout leaves room for a loaded one running the whole suite.
  it('the full layer-228 API compiles with the same settings', { timeout: 180_000 }, () => {
    const dir = join(root, 'src/generated/api');
    const files = ['index.ts', 'registry.ts', 'result-writers.ts', 'descriptor.ts'].map((f) => join(dir, f));
    expect(typecheck(files, STRICTEST)).toEqual([]);
  });
});
