/**
 * A property test with fast-check: any phone.requestCall survives encode → decode, and a JSON round trip.
 * `arbitraryFor` is typed by name: here it is an Arbitrary<Api.phone.requestCall>.
 * Run: npm run examples -- property-test
 */
import fc from 'fast-check';
import { Api, objectFromJson, objectToJson } from 'mtwire';
import { arbitraryFor } from 'mtwire/testing';
import { deepStrictEqual } from 'node:assert';

let runs = 0;
fc.assert(
  fc.property(arbitraryFor('phone.requestCall'), (call) => {
    runs++;
    deepStrictEqual(Api.phone.requestCall.decode(Api.phone.requestCall.encode(call)), call);
    deepStrictEqual(objectFromJson(objectToJson(call)), call);
  }),
  { numRuns: 300 },
);
console.log(`phone.requestCall: encode → decode and JSON round trips held for ${runs} generated calls`);
