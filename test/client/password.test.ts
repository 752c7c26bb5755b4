import { describe, expect, it } from 'vitest';
import { Api } from '../../src/api/index.js';
import { passwordCheck } from '../../src/client/password.js';
import { nodeCrypto } from '../../src/crypto/node.js';
import { SecurityError } from '../../src/crypto/security-error.js';
import { fixtureJson, fromHex, toHex } from '../helpers.js';

const real = fixtureJson('srp-2fa.json').cases.find((c: { name: string }) => c.name === 'real-2048');
const algo = new Api.PasswordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow({
  salt1: fromHex(real.salt1),
  salt2: fromHex(real.salt2),
  g: real.g,
  p: fromHex(real.p),
});
const info = (fields: Partial<Api.account.Password>): Api.account.Password =>
  new Api.account.Password({
    newAlgo: algo,
    newSecureAlgo: new Api.SecurePasswordKdfAlgoUnknown(),
    secureRandom: new Uint8Array(32),
    ...fields,
  });

describe('passwordCheck', () => {
  it("builds inputCheckPasswordSRP from account.password (grammers' real-2048 vector)", () => {
    const password = Buffer.from(real.password, 'hex').toString('utf8');
    const a = fromHex(real.a.padStart(512, '0'));
    const check = passwordCheck(info({ hasPassword: true, currentAlgo: algo, srpB: fromHex(real.g_b), srpId: 77n }), password, nodeCrypto, {
      random: () => a,
    });
    expect([check.srpId, toHex(check.A), toHex(check.M1)]).toEqual([77n, real.expected_g_a, real.expected_m1]);
  });

  it('refuses an account without a password, an unknown algorithm and a bad group', () => {
    expect(() => passwordCheck(info({}), 'x', nodeCrypto)).toThrow(/no cloud password/);
    const unknown = info({ hasPassword: true, currentAlgo: new Api.PasswordKdfAlgoUnknown(), srpB: fromHex(real.g_b), srpId: 1n });
    expect(() => passwordCheck(unknown, 'x', nodeCrypto)).toThrow(/passwordKdfAlgoUnknown/);
    const weak = new Api.PasswordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow({ ...algo, g: 2 });
    const bad = info({ hasPassword: true, currentAlgo: weak, srpB: fromHex(real.g_b), srpId: 1n });
    expect(() => passwordCheck(bad, 'x', nodeCrypto)).toThrow(SecurityError);
  });
});
