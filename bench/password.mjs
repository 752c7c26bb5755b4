// Cloud password (2FA): one SRP-2048 check as a client runs it on sign-in, on grammers' real-2048 vector.
import { readFileSync } from 'node:fs';
import { assertBytes, defineCase } from './peers.mjs';

const vectors = JSON.parse(readFileSync(new URL('../fixtures/srp-2fa.json', import.meta.url), 'utf8'));
const real = vectors.cases.find((c) => c.name === 'real-2048');
const hex = (s) => Uint8Array.from(Buffer.from(s, 'hex'));
const algo = { salt1: hex(real.salt1), salt2: hex(real.salt2), g: real.g, p: hex(real.p) };
const a = hex(real.a.padStart(512, '0'));
const passwordText = Buffer.from(real.password, 'hex').toString('utf8');
const expected = hex(real.expected_m1);

function srpCheck() {
  const srpB = hex(real.g_b);
  // Promise-returning peers cannot be checked before timing (make is synchronous), so every call checks M1.
  return defineCase({ async: true }, ({ password }) => {
    if (!password) return undefined;
    return async () => {
      const m1 = await password.prove(algo, srpB, passwordText, a);
      assertBytes(m1, expected, 'M1');
      return m1;
    };
  });
}

export const title = 'Cloud password (SRP)';
export const notes = [
  'One check = PBKDF2-HMAC-SHA512 ×100000 plus three 2048-bit exponentiations and the hashes, with `a` fixed so M1 ' +
    "is checked against the vector on every call. mtwire = srpProve with nodeCrypto (node's pbkdf2Sync; also checks p, g " +
    "and B first: p is Telegram's prime, so the safe-prime test is cached); mtcute = computeSrpParams with node's async " +
    'pbkdf2 as NodeCryptoProvider has it (no p/g checks). gramjs: not wired.',
];
export const cases = {
  'srp-check-2048': () => srpCheck(),
};
