import { describe, expect, test } from 'vitest';
import { Api, TlReader, decodeObject, encodeObject, objectFromJson, objectToJson, readResultOf } from '../../src/api/index.js';
import { fixtureJson, fixtureText, fromHex, toHex } from '../helpers.js';

const payload = (name: string) => fromHex(fixtureText(`payloads/${name}.L228.hex`).trim());

describe('benchmark payloads (fixtures/payloads, layer 228)', () => {
  test('a: building a.L228.json as a request gives exactly a.L228.hex', () => {
    const request = objectFromJson(fixtureJson('payloads/a.L228.json'));
    expect(toHex(encodeObject(request))).toBe(toHex(payload('a')));
  });

  test('b1: decoding gives exactly the values of b1.L228.json', () => {
    expect(objectToJson(decodeObject(payload('b1')))).toStrictEqual(fixtureJson('payloads/b1.L228.json'));
  });

  test.each(['b1', 'b50', 'c'])('%s decodes and re-encodes to the identical bytes', (name) => {
    const bytes = payload(name);
    expect(toHex(encodeObject(decodeObject(bytes)))).toBe(toHex(bytes));
  });

  test('c decodes to 100 messages and 5 users', () => {
    const c = decodeObject(payload('c')) as Api.messages.Messages;
    expect(c._).toBe('messages.messages');
    expect(c.messages).toHaveLength(100);
    expect(c.users).toHaveLength(5);
  });
});

describe('the seed example', () => {
  test('compiles with the seed names and gives the bytes of case a', () => {
    const request = new Api.phone.requestCall({
      video: true,
      userId: new Api.InputUser({ userId: 123456789, accessHash: -1234567890123456789n }),
      randomId: 3511366,
      gAHash: Buffer.from('2898b0a73cc88e678aa753f71d5ddbf3f6dd76a558d367453481f44566694ab3', 'hex'),
      protocol: new Api.PhoneCallProtocol({
        udpP2p: true,
        udpReflector: true,
        minLayer: 65,
        maxLayer: 92,
        libraryVersions: ['2.4.4', '3.0.0'],
      }),
    });
    expect(request._).toBe('phone.requestCall');
    expect((request.userId as Api.InputUser).userId).toBe(123456789n);
    expect(toHex(Api.phone.requestCall.encode(request))).toBe(toHex(payload('a')));
  });

  test('the result reads typed as Api.phone.PhoneCall', () => {
    const request = objectFromJson(fixtureJson('payloads/a.L228.json')) as Api.phone.requestCall;
    const reader = new TlReader(payload('b1'));
    // ResultOf gives the method's result type; it must be usable where the seed expects Api.phone.PhoneCall.
    const result: Api.ResultOf<Api.phone.requestCall> = readResultOf(reader, request);
    const decoded: Api.phone.PhoneCall = result;
    reader.assertEnd();
    expect(decoded.phoneCall._).toBe('phoneCallWaiting');
    expect(Api.isTypePhoneCall(decoded.phoneCall)).toBe(true);
    expect(Api.PhoneCallWaiting.is(decoded.phoneCall)).toBe(true);
    expect(Api.PhoneCall.is(decoded.phoneCall)).toBe(false);
  });
});
