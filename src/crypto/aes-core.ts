/**
 * The one AES core of mtwire (FIPS-197), in plain TypeScript: lookup tables, key schedules, and
 * single-block encrypt/decrypt. IGE (./ige.ts, portable path in ./ige-portable.ts, WebAssembly path in
 * ./ige-wasm.ts) and the portable AES-CTR both build on it; the WebAssembly module copies these tables
 * and round keys into its memory rather than computing its own.
 *
 * Word convention: a 4-byte column is one 32-bit word read LITTLE-endian, so row 0 of a column is its
 * low byte. That is the byte order of WebAssembly memory and of every typed-array view on the hosts we
 * run on, so state words load straight from memory with no byte swapping. The T-tables below are built
 * for that convention (they are the usual FIPS tables with each word's bytes reversed).
 */

/** S-box and inverse S-box. */
export const SBOX = new Uint8Array(256);
export const INV_SBOX = new Uint8Array(256);

/**
 * All lookup tables of the block functions in one array, so V8 checks one object instead of eight
 * (≈ 30% faster than separate arrays). Words [0, 1024): TE0..TE3, 256 each, where TE_k[x] is row k's
 * contribution of byte x to its column (SubBytes + MixColumns). [1024, 2048): TD0..TD3 likewise for
 * InvSubBytes + InvMixColumns. [2048, 2304): SBOX. [2304, 2560): INV_SBOX.
 */
export const TABLES = new Int32Array(2560);
const TD = 1024;
const SB = 2048;
const ISB = 2304;

const rotl8 = (w: number): number => (w << 8) | (w >>> 24);

/** Fills the tables from GF(2^8) arithmetic at load time, so there are no hand-typed constants to get wrong. */
function initTables(): void {
  // Powers and logarithms of the generator 3 in GF(2^8) modulo x^8+x^4+x^3+x+1.
  const exp = new Uint8Array(256);
  const log = new Uint8Array(256);
  for (let i = 0, x = 1; i < 255; i++) {
    exp[i] = x;
    log[x] = i;
    x ^= (x << 1) ^ (x & 0x80 ? 0x11b : 0); // x *= 3
  }
  const mul = (a: number, b: number): number => (a && b ? exp[(log[a]! + log[b]!) % 255]! : 0);
  for (let x = 0; x < 256; x++) {
    const inv = x ? exp[(255 - log[x]!) % 255]! : 0;
    // Affine map: b ^ rotl(b,1) ^ rotl(b,2) ^ rotl(b,3) ^ rotl(b,4) ^ 0x63.
    let s = inv ^ 0x63;
    for (let r = 1; r <= 4; r++) s ^= ((inv << r) | (inv >>> (8 - r))) & 0xff;
    SBOX[x] = s;
    INV_SBOX[s] = x;
  }
  for (let x = 0; x < 256; x++) {
    const s = SBOX[x]!;
    const si = INV_SBOX[x]!;
    // Columns (2s, s, s, 3s) and (14si, 9si, 13si, 11si), row 0 in the low byte; row k's table is
    // the same word rotated left by k bytes, so TE_{(k+3)&3} has the bare s in byte k.
    let te = mul(s, 2) | (s << 8) | (s << 16) | (mul(s, 3) << 24);
    let td = mul(si, 14) | (mul(si, 9) << 8) | (mul(si, 13) << 16) | (mul(si, 11) << 24);
    for (let k = 0; k < 4; k++) {
      TABLES[256 * k + x] = te;
      TABLES[TD + 256 * k + x] = td;
      te = rotl8(te);
      td = rotl8(td);
    }
    TABLES[SB + x] = s;
    TABLES[ISB + x] = si;
  }
}
initTables();

/**
 * The encryption key schedule: 4 × (rounds + 1) little-endian words. `key` must be 16 or 32 bytes
 * (24 works too; MTProto never uses it). The WebAssembly path computes the same schedule inside its
 * module (./ige-wasm-gen.ts), so this one serves the portable path and the cached-key form.
 */
export function expandKey(key: Uint8Array): Int32Array {
  const nk = key.length >>> 2;
  const w = new Int32Array(4 * nk + 28);
  for (let i = 0; i < nk; i++) {
    w[i] = key[4 * i]! | (key[4 * i + 1]! << 8) | (key[4 * i + 2]! << 16) | (key[4 * i + 3]! << 24);
  }
  const s = SBOX;
  let rcon = 1;
  for (let i = nk, j = 0; i < w.length; i++) {
    let t = w[i - 1]!;
    if (j === 0) {
      // SubWord(RotWord(t)) ^ rcon; RotWord moves row 1 to row 0, i.e. a right rotation of the LE word.
      t = (s[(t >>> 8) & 255]! | (s[(t >>> 16) & 255]! << 8) | (s[t >>> 24]! << 16) | (s[t & 255]! << 24)) ^ rcon;
      rcon = (rcon << 1) ^ (rcon & 0x80 ? 0x11b : 0);
    } else if (j === 4 && nk > 6) {
      t = s[t & 255]! | (s[(t >>> 8) & 255]! << 8) | (s[(t >>> 16) & 255]! << 16) | (s[t >>> 24]! << 24);
    }
    w[i] = w[i - nk]! ^ t;
    if (++j === nk) j = 0;
  }
  return w;
}

/**
 * The decryption key schedule for the table-driven ("equivalent") inverse cipher: the encryption
 * schedule `ek` with InvMixColumns applied to every round key except the first and last. Round order
 * stays as is; decryption walks the schedule from the end.
 */
export function invertKey(ek: Int32Array): Int32Array {
  const dk = ek.slice();
  const s = SBOX;
  const t = TABLES;
  for (let i = 4; i < dk.length - 4; i++) {
    const x = dk[i]!;
    // TD_k[SBOX[b]] is InvMixColumns of byte b in row k, since TD includes InvSubBytes.
    dk[i] = t[TD | s[x & 255]!]! ^ t[TD | 256 | s[(x >>> 8) & 255]!]! ^ t[TD | 512 | s[(x >>> 16) & 255]!]! ^ t[TD | 768 | s[x >>> 24]!]!;
  }
  return dk;
}

/**
 * Encrypts one block given as four LE column words (`src[so..so+3]`) into `dst[dOff..dOff+3]` (may
 * alias). Word-level rather than byte-level so that IGE and CTR can feed it straight from word reads.
 * Use `expandKey` for `rk`; the round count follows from its length.
 */
export function encryptBlockWords(rk: Int32Array, src: Int32Array, so: number, dst: Int32Array, dOff: number): void {
  const t = TABLES;
  let s0 = src[so]! ^ rk[0]!;
  let s1 = src[so + 1]! ^ rk[1]!;
  let s2 = src[so + 2]! ^ rk[2]!;
  let s3 = src[so + 3]! ^ rk[3]!;
  const end = rk.length - 4;
  let k = 4;
  // Rounds 1..Nr-1; row k of output column j comes from column j+k (ShiftRows), through TE_k.
  for (; k < end; k += 4) {
    const a = t[s0 & 255]! ^ t[256 | ((s1 >>> 8) & 255)]! ^ t[512 | ((s2 >>> 16) & 255)]! ^ t[768 | (s3 >>> 24)]! ^ rk[k]!;
    const b = t[s1 & 255]! ^ t[256 | ((s2 >>> 8) & 255)]! ^ t[512 | ((s3 >>> 16) & 255)]! ^ t[768 | (s0 >>> 24)]! ^ rk[k + 1]!;
    const c = t[s2 & 255]! ^ t[256 | ((s3 >>> 8) & 255)]! ^ t[512 | ((s0 >>> 16) & 255)]! ^ t[768 | (s1 >>> 24)]! ^ rk[k + 2]!;
    s3 = t[s3 & 255]! ^ t[256 | ((s0 >>> 8) & 255)]! ^ t[512 | ((s1 >>> 16) & 255)]! ^ t[768 | (s2 >>> 24)]! ^ rk[k + 3]!;
    s0 = a;
    s1 = b;
    s2 = c;
  }
  // Final round: SubBytes + ShiftRows only.
  dst[dOff] =
    (t[SB | (s0 & 255)]! | (t[SB | ((s1 >>> 8) & 255)]! << 8) | (t[SB | ((s2 >>> 16) & 255)]! << 16) | (t[SB | (s3 >>> 24)]! << 24)) ^
    rk[k]!;
  dst[dOff + 1] =
    (t[SB | (s1 & 255)]! | (t[SB | ((s2 >>> 8) & 255)]! << 8) | (t[SB | ((s3 >>> 16) & 255)]! << 16) | (t[SB | (s0 >>> 24)]! << 24)) ^
    rk[k + 1]!;
  dst[dOff + 2] =
    (t[SB | (s2 & 255)]! | (t[SB | ((s3 >>> 8) & 255)]! << 8) | (t[SB | ((s0 >>> 16) & 255)]! << 16) | (t[SB | (s1 >>> 24)]! << 24)) ^
    rk[k + 2]!;
  dst[dOff + 3] =
    (t[SB | (s3 & 255)]! | (t[SB | ((s0 >>> 8) & 255)]! << 8) | (t[SB | ((s1 >>> 16) & 255)]! << 16) | (t[SB | (s2 >>> 24)]! << 24)) ^
    rk[k + 3]!;
}

/**
 * Decrypts one block with `dk = invertKey(expandKey(key))`, walking the schedule from its last round
 * key down; same layout rules as `encryptBlockWords`.
 */
export function decryptBlockWords(dk: Int32Array, src: Int32Array, so: number, dst: Int32Array, dOff: number): void {
  const t = TABLES;
  let k = dk.length - 4;
  let s0 = src[so]! ^ dk[k]!;
  let s1 = src[so + 1]! ^ dk[k + 1]!;
  let s2 = src[so + 2]! ^ dk[k + 2]!;
  let s3 = src[so + 3]! ^ dk[k + 3]!;
  // InvShiftRows moves row k right, so row k of output column j comes from column j-k.
  for (k -= 4; k > 0; k -= 4) {
    const a =
      t[TD | (s0 & 255)]! ^ t[TD | 256 | ((s3 >>> 8) & 255)]! ^ t[TD | 512 | ((s2 >>> 16) & 255)]! ^ t[TD | 768 | (s1 >>> 24)]! ^ dk[k]!;
    const b =
      t[TD | (s1 & 255)]! ^
      t[TD | 256 | ((s0 >>> 8) & 255)]! ^
      t[TD | 512 | ((s3 >>> 16) & 255)]! ^
      t[TD | 768 | (s2 >>> 24)]! ^
      dk[k + 1]!;
    const c =
      t[TD | (s2 & 255)]! ^
      t[TD | 256 | ((s1 >>> 8) & 255)]! ^
      t[TD | 512 | ((s0 >>> 16) & 255)]! ^
      t[TD | 768 | (s3 >>> 24)]! ^
      dk[k + 2]!;
    s3 =
      t[TD | (s3 & 255)]! ^
      t[TD | 256 | ((s2 >>> 8) & 255)]! ^
      t[TD | 512 | ((s1 >>> 16) & 255)]! ^
      t[TD | 768 | (s0 >>> 24)]! ^
      dk[k + 3]!;
    s0 = a;
    s1 = b;
    s2 = c;
  }
  dst[dOff] =
    (t[ISB | (s0 & 255)]! | (t[ISB | ((s3 >>> 8) & 255)]! << 8) | (t[ISB | ((s2 >>> 16) & 255)]! << 16) | (t[ISB | (s1 >>> 24)]! << 24)) ^
    dk[0]!;
  dst[dOff + 1] =
    (t[ISB | (s1 & 255)]! | (t[ISB | ((s0 >>> 8) & 255)]! << 8) | (t[ISB | ((s3 >>> 16) & 255)]! << 16) | (t[ISB | (s2 >>> 24)]! << 24)) ^
    dk[1]!;
  dst[dOff + 2] =
    (t[ISB | (s2 & 255)]! | (t[ISB | ((s1 >>> 8) & 255)]! << 8) | (t[ISB | ((s0 >>> 16) & 255)]! << 16) | (t[ISB | (s3 >>> 24)]! << 24)) ^
    dk[2]!;
  dst[dOff + 3] =
    (t[ISB | (s3 & 255)]! | (t[ISB | ((s2 >>> 8) & 255)]! << 8) | (t[ISB | ((s1 >>> 16) & 255)]! << 16) | (t[ISB | (s0 >>> 24)]! << 24)) ^
    dk[3]!;
}
