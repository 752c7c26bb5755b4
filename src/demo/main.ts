/**
 * `npm run demo`: the seed call on mtwire's own codec. Serializes phone.requestCall#42ff96ed and decodes
 * a phone.phoneCall#ec82e140 answer, printing the bytes and the typed objects.
 */
import { Api, objectToJson } from '../tl/index.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex').replace(/(.{8})/g, '$1 ').trim();

const request = new Api.phone.requestCall({
  video: true,
  userId: new Api.InputUser({ userId: 123456789, accessHash: -1234567890123456789n }),
  randomId: 3511366,
  gAHash: Buffer.from('2898b0a73cc88e678aa753f71d5ddbf3f6dd76a558d367453481f44566694ab3', 'hex'),
  protocol: new Api.PhoneCallProtocol({ udpP2p: true, udpReflector: true, minLayer: 65, maxLayer: 92, libraryVersions: ['2.4.4', '3.0.0'] }),
});
const requestBytes = Api.phone.requestCall.encode(request);
console.log(`phone.requestCall → ${requestBytes.length} bytes\n  ${hex(requestBytes)}`);

const answer = new Api.phone.PhoneCall({
  phoneCall: new Api.PhoneCallWaiting({
    video: true,
    id: 5938473629384756n,
    accessHash: -3847562938475629384n,
    date: 1700000000,
    adminId: 123456789n,
    participantId: 100000000n,
    protocol: request.protocol,
    receiveDate: 1700000005,
  }),
  users: [],
});
const answerBytes = Api.phone.PhoneCall.encode(answer);
const decoded: Api.phone.PhoneCall = Api.phone.PhoneCall.decode(answerBytes);
console.log(`phone.phoneCall ← ${answerBytes.length} bytes\n  ${hex(answerBytes)}`);
console.log(JSON.stringify(objectToJson(decoded), null, 2));
