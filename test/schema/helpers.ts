/** mtwire's three schema files, parsed, and builders for the AST values the schema tests expect. */
import { readFileSync } from 'node:fs';
import type { TlSchema, TypeExpr } from '../../src/schema/ast.js';
import { parseSchema, parseSchemaFiles } from '../../src/schema/parser.js';

const read = (path: string): string => readFileSync(new URL(`../../schema/${path}`, import.meta.url), 'utf8');
export const files = {
  'api.tl': read('api.tl'),
  'mtproto.tl': read('mtproto.tl'),
  'service.tl': read('service.tl'),
};
export type FileName = keyof typeof files;
export const fileNames = Object.keys(files) as FileName[];
export const parsed = (file: FileName): TlSchema => parseSchema(files[file], file);
/** The three files merged, as the generator reads them. */
export const all = (): TlSchema => parseSchemaFiles(fileNames.map((file) => ({ file, text: files[file] })));

export const boxed = (name: string, ...args: TypeExpr[]): TypeExpr => ({ name, bare: false, percent: false, bang: false, args });
export const bare = (name: string, ...args: TypeExpr[]): TypeExpr => ({ name, bare: true, percent: false, bang: false, args });
export const bang = (name: string): TypeExpr => ({ ...boxed(name), bang: true });
export const typed = (name: string, type: TypeExpr) => ({ name, type: { kind: 'type' as const, type } });
export const flags = (name: string) => ({ name, type: { kind: 'flags' as const } });
export const cond = (name: string, flag: string, bit: number, type: TypeExpr) => ({
  name,
  type: { kind: 'conditional' as const, flag, bit, type },
});
