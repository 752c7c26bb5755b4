// TL cases: the payloads of bench/payloads (copies of shared/bench/payloads). mtcute reads and writes
// the layer-227 twins of the layer-228 payloads (same objects, same sizes).
import { readFileSync } from 'node:fs';
import { assertBytes, defineCase } from './peers.mjs';

const payload = (file) => new URL(`./payloads/${file}`, import.meta.url);
const bytes = (name, layer) => Uint8Array.from(Buffer.from(readFileSync(payload(`${name}.${layer}.hex`), 'utf8').trim(), 'hex'));
const requestJson = { a: JSON.parse(readFileSync(payload('a.L228.json'), 'utf8')) };

function serialize(payloadName, isRequest) {
  return defineCase({ bytes: bytes(payloadName, 'L228').length }, ({ tl }) => {
    if (!tl) return undefined;
    const input = bytes(payloadName, tl.payload);
    const obj = isRequest ? tl.request(input, requestJson[payloadName]) : tl.decode(input);
    assertBytes(tl.encode(obj), input, 're-encode');
    return () => tl.encode(obj);
  });
}

function deserialize(payloadName) {
  return defineCase({ bytes: bytes(payloadName, 'L228').length }, ({ tl }) => {
    if (!tl) return undefined;
    const input = bytes(payloadName, tl.payload);
    assertBytes(tl.encode(tl.decode(input)), input, 'decode + re-encode');
    return () => tl.decode(input);
  });
}

export const title = 'TL serialization';
export const notes = [
  'mtcute: @mtcute/core TlBinaryReader/TlBinaryWriter with its bundled layer-227 maps, on the L227 payloads.',
  "gramjs: Api rebuilt from mtwire's schema/api.tl (layer 228) by gramjs's own generator; " +
    'BinaryReader.tgReadObject / getBytes on the L228 payloads.',
  'Every peer re-encoded its decode of each payload byte for byte before timing.',
];
export const cases = {
  'a-serialize': () => serialize('a', true),
  'b1-deserialize': () => deserialize('b1'),
  'b50-deserialize': () => deserialize('b50'),
  'c-serialize': () => serialize('c', false),
  'c-deserialize': () => deserialize('c'),
};
