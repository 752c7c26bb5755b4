// One measurement of bench/imports.mjs, in a fresh `node --expose-gc` process: the wall time of one
// dynamic import and the heap it leaves behind (heapUsed after a full GC, before and after). It lives in
// bench/ so that the peers' bare specifiers resolve from bench/node_modules.
const [specifier, exportName] = process.argv.slice(2);

globalThis.gc();
const heapBefore = process.memoryUsage().heapUsed;
const started = performance.now();
const loaded = await import(specifier);
const ms = performance.now() - started;
if (!(exportName in loaded)) throw new Error(`${specifier} has no export ${exportName}`);
globalThis.gc();
const bytes = process.memoryUsage().heapUsed - heapBefore;
process.stdout.write(`${JSON.stringify({ ms, bytes })}\n`);
