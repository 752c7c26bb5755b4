/**
 * Encode the seed's phone.requestCall, decode it back, and read an answer typed by its request.
 * Run: npm run examples -- encode-decode
 */
import { Api, decodeObject, decodeResult, encodeResult, objectToJson } from 'mtwire';

const request = new Api.phone.requestCall({
  video: true,
  userId: new Api.InputUser({ userId: 123456789, accessHash: -1234567890123456789n }),
  randomId: 3511366,
  gAHash: new Uint8Array(32).fill(0xab),
  protocol: new Api.PhoneCallProtocol({ udpP2p: true, udpReflector: true, minLayer: 65, maxLayer: 92, libraryVersions: ['2.4.4'] }),
});

// The boxed serialization: the constructor id (ed 96 ff 42 on the wire), then the fields.
const bytes = Api.phone.requestCall.encode(request);
console.log(`phone.requestCall: ${bytes.length} bytes, ${Buffer.from(bytes).toString('hex').slice(0, 16)}…`);

// Decoding by the known constructor gives its type; decodeObject reads any object of the schema by its id.
const same: Api.phone.requestCall = Api.phone.requestCall.decode(bytes);
const any = decodeObject(bytes);
if (!Api.phone.requestCall.is(any) || same.randomId !== request.randomId) throw new Error('round trip failed');
console.log(`decoded: ${JSON.stringify(objectToJson(same)).slice(0, 80)}…`);

// What a server answers (the body of its rpc_result) and how a client reads it: typed by the request.
const waiting = new Api.phone.PhoneCall({
  phoneCall: new Api.PhoneCallWaiting({
    video: true,
    id: 7n,
    accessHash: 8n,
    date: 1_700_000_000,
    adminId: 1000001n,
    participantId: 123456789n,
    protocol: request.protocol,
  }),
  users: [],
});
const answer = decodeResult(request, encodeResult(request, waiting));
console.log(`answer: ${answer._} holding ${answer.phoneCall._}`);

// Bad input is a typed error that says what and where.
try {
  Api.phone.requestCall.decode(bytes.subarray(0, 20));
} catch (error) {
  console.log(`truncated input: ${(error as Error).name}: ${(error as Error).message}`);
}
