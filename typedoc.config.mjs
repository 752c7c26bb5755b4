// `npm run docs`: the API reference of every entry point the package exports, read from package.json so
// that a new subpath is documented without editing this file. `mtwire/api` and `mtwire/api/<namespace>`
// are left out: the main entry already documents the same generated `Api` (documenting it twice would
// double the ~60 MB of pages).
import { readFileSync } from 'node:fs';

const { exports } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const entryPoints = Object.entries(exports)
  .filter(([subpath, target]) => typeof target === 'object' && !subpath.startsWith('./api'))
  .map(([, target]) => target.types.replace(/^\.\/dist\//, '').replace(/\.d\.ts$/, '.ts'));

/** @type {import('typedoc').TypeDocOptions} */
export default {
  name: 'mtwire',
  entryPoints,
  tsconfig: 'tsconfig.build.json',
  out: 'docs/api',
  readme: 'none',
  excludePrivate: true,
  excludeInternal: true,
  // Generated entry values live in codec.ts and are re-exported under their interfaces' names, so TypeDoc
  // would warn about each of them (~2,500) as "not exported".
  validation: { notExported: false, invalidLink: true, notDocumented: false },
};
