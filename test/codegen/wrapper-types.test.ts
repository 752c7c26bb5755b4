/**
 * Type-level checks of the generated API as a client uses it. `expectTypeOf` and `@ts-expect-error` are
 * checked by tsc (`npm run typecheck`, run in CI over test/); the runtime assertions check the same values.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import fc from 'fast-check';
import { Api, LAYER, decodeObject, decodeResult, encodeObject, encodeResult } from '../../src/api/index.js';
import type { MtprotoClient } from '../../src/client/index.js';
import { arbitraryFor } from '../../src/testing/index.js';
import type { TlObject } from '../../src/tl/runtime.js';

/** What `invoke` resolves with for each way of writing a wrapped call (never called: only its type is checked). */
const invokeForms = (client: MtprotoClient) => ({
  value: client.invoke(new Api.invokeWithLayer({ layer: 228, query: new Api.help.getConfig() })),
  literal: client.invoke({ _: 'invokeWithLayer', layer: 228, query: { _: 'help.getConfig' } }),
  nested: client.invoke(
    new Api.invokeWithoutUpdates({ query: new Api.invokeWithLayer({ layer: 228, query: new Api.users.getUsers({ id: [] }) }) }),
  ),
});

describe('!X wrapper values are generic in their query', () => {
  it('invoke of a wrapper built with its value, or written as a literal, has the query’s result type', () => {
    type Forms = ReturnType<typeof invokeForms>;
    expectTypeOf<Awaited<Forms['value']>>().toEqualTypeOf<Api.TypeConfig>();
    expectTypeOf<Awaited<Forms['literal']>>().toEqualTypeOf<Api.TypeConfig>();
    expectTypeOf<Awaited<Forms['nested']>>().toEqualTypeOf<Api.TypeUser[]>();
    const wrapped = new Api.invokeWithLayer({ layer: LAYER ?? 0, query: new Api.help.getConfig() });
    expectTypeOf(wrapped.query).toEqualTypeOf<Api.help.getConfig>();
    // @ts-expect-error the query of a wrapper is a TL object
    expect(() => Api.invokeWithLayer.encode(new Api.invokeWithLayer({ layer: 228, query: 'help.getConfig' }))).toThrow();
    expect(decodeObject(encodeObject(wrapped))).toEqual({ _: 'invokeWithLayer', layer: LAYER, query: { _: 'help.getConfig' } });
  });
});

describe('decodeResult', () => {
  it('reads the result of a wrapped request, typed by the request', () => {
    const request = new Api.invokeWithLayer({ layer: 228, query: new Api.help.getConfig() });
    const config = fc.sample(arbitraryFor('Config'), { numRuns: 1, seed: 2 })[0]!;
    const decoded = decodeResult(request, encodeResult(request, config));
    expectTypeOf(decoded).toEqualTypeOf<Api.TypeConfig>();
    expect(decoded).toEqual(config);
    expect(() => decodeResult(request, new Uint8Array([...encodeResult(request, config), 0, 0, 0, 0]))).toThrow(/trailing/);
  });
});

describe('arbitraryFor is typed by entry name', () => {
  it('gives the type of the constructor, method or boxed type it names', () => {
    expectTypeOf(arbitraryFor('phone.requestCall')).toEqualTypeOf<fc.Arbitrary<Api.phone.requestCall>>();
    expectTypeOf(arbitraryFor('InputUser')).toEqualTypeOf<fc.Arbitrary<Api.TypeInputUser>>();
    expectTypeOf(arbitraryFor('Object')).toEqualTypeOf<fc.Arbitrary<TlObject>>();
    // @ts-expect-error the type argument is the name: a type given for it does not compile
    const mismatched = arbitraryFor<Api.phone.requestCall>('inputUser');
    expect((fc.sample(mismatched, { numRuns: 5, seed: 1 }) as TlObject[]).every((u) => u._ === 'inputUser')).toBe(true);
    const calls = fc.sample(arbitraryFor('phone.requestCall'), { numRuns: 5, seed: 1 });
    expect(calls.every((c) => c._ === 'phone.requestCall' && typeof c.randomId === 'number')).toBe(true);
  });
});
