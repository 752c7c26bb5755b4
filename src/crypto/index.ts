/** `mtwire/crypto`: the crypto provider and everything MTProto builds on it. */
export type { CryptoProvider, AesCtr, RandomSource } from './provider.js';
export { nodeCrypto } from './node.js';
export { portableCrypto } from './portable.js';
export { defaultCrypto } from './default.js';
export { aesIgeEncrypt, aesIgeDecrypt, createAesIge } from './ige.js';
export { encryptMessage, decryptMessage, type DecryptedMessage } from './message.js';
export { msgKeyFor, deriveAesKeyIv } from './kdf.js';
export { factorizePQ } from './pq.js';
export { rsaFingerprint, rsaPadEncrypt, rsaPadDecrypt, type RsaPublicKey, type RsaPrivateKey } from './rsa.js';
export { rsaPublicKeyFromPem } from './rsa-pem.js';
export { TELEGRAM_PUBLIC_KEYS, TELEGRAM_PRODUCTION_KEY, TELEGRAM_TEST_KEY, RsaKeyRing } from './rsa-keys.js';
export { checkDhParams, checkDhPublic, TELEGRAM_DH_PRIME } from './dh.js';
export { SecurityError } from './security-error.js';
export { srpProve, checkSrpInputs, srpPasswordHash, srpVerifier, srpChallenge, srpVerify, type SrpAlgo, type SrpProof } from './srp.js';
export { encryptBindMessage, decryptBindMessage } from './bind-message.js';
