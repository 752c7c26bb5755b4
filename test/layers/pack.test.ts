/**
 * The layer store against its sources: each layer's descriptor built from the store is, character for
 * character, what the generator writes for that layer's api.tl. Layer 228 is checked always (schema/api.tl
 * is its file); every other layer when ../shared/schema/layers is beside the repository, as in CI.
 */
import fc from 'fast-check';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { describeSchema } from '../../src/codegen/emit-descriptor.js';
import { apiLayer, servedLayer, storedLayers } from '../../src/layers/index.js';
import { decodeRuns, encodeRuns, fromStoredLines, toStoredLines } from '../../src/layers/pack-format.js';
import { SchemaModel } from '../../src/schema/model.js';
import { parseSchemaFiles } from '../../src/schema/parser.js';
import { all } from '../schema/helpers.js';

const describeFile = (file: string, text: string): string => describeSchema(new SchemaModel(parseSchemaFiles([{ file, text }])));
const layersDir = new URL('../../../shared/schema/layers/', import.meta.url);

test('layer 228 from the store is the descriptor of schema/api.tl', () => {
  const text = readFileSync(new URL('../../schema/api.tl', import.meta.url), 'utf8');
  expect(apiLayer(228).descriptorText).toBe(describeFile('api.tl', text));
});

describe.runIf(existsSync(layersDir))('every layer file of ../shared/schema/layers', () => {
  const files = existsSync(layersDir) ? readdirSync(layersDir).filter((f) => /^api-L\d+\.tl$/.test(f)) : [];
  const layers = files.map((f) => Number(/\d+/.exec(f)![0])).sort((a, b) => a - b);

  test('the store holds exactly the layers there are files for', () => {
    expect(storedLayers()).toEqual(layers);
  });

  test.each(layers)('layer %i from the store is the descriptor of api-L%i.tl', (layer) => {
    const file = `api-L${layer}.tl`;
    expect(apiLayer(layer).descriptorText).toBe(describeFile(file, readFileSync(new URL(file, layersDir), 'utf8')));
  });
});

test('a layer the store lacks is served by the nearest lower one; 98 and 228 are the ends', () => {
  expect(servedLayer(141)).toBe(140);
  expect(servedLayer(142)).toBe(140);
  expect(servedLayer(226)).toBe(225);
  expect(servedLayer(98)).toBe(98);
  expect(servedLayer(228)).toBe(228);
  expect(apiLayer(141)).toBe(apiLayer(140));
  expect(() => servedLayer(97)).toThrow(/layer 97 is outside the stored layers 98-228/);
  expect(() => servedLayer(229)).toThrow(/layer 229 is outside/);
});

test('stored lines give back the descriptor they came from (the generated API and service descriptor)', () => {
  const generated = describeSchema(new SchemaModel(all()));
  const { lines, constructorCount } = toStoredLines(generated);
  expect(lines.some((line) => line.includes('@'))).toBe(true);
  expect(lines.every((line) => !/[ :?][*~]*\d+(?= |$)/.test(line))).toBe(true);
  expect(fromStoredLines(lines, constructorCount)).toBe(generated);
});

test('runs encode any list of line numbers and decode to it', () => {
  fc.assert(
    fc.property(fc.array(fc.nat({ max: 5000 }), { maxLength: 200 }), (indices) => {
      const text = encodeRuns(indices);
      expect(decodeRuns(text)).toEqual(indices);
    }),
  );
  expect(encodeRuns([0, 1, 2, 3, 10, 36, 37])).toBe('0+3,a,10+1');
});
