/**
 * SHA-256 (FIPS 180-4) computed synchronously, in plain JavaScript.
 *
 * Web Crypto's digest is asynchronous, and `node:crypto` is not on every runtime; a resolver that
 * checks its tokens when it is constructed (where workers allow nothing asynchronous) needs a digest
 * it can take at once. Tokens are short, so speed is not a concern here.
 */

const encoder = new TextEncoder();

/** The first 32 bits of the fractional parts of the `root`-th roots of the first `count` primes. */
function fractionBits(count: number, root: 2 | 3): Uint32Array {
  const out = new Uint32Array(count);
  let found = 0;
  for (let n = 2; found < count; n++) {
    let prime = true;
    for (let d = 2; d * d <= n; d++) {
      if (n % d === 0) {
        prime = false;
        break;
      }
    }
    if (!prime) continue;
    const value = root === 2 ? Math.sqrt(n) : Math.cbrt(n);
    out[found++] = Math.floor((value - Math.floor(value)) * 2 ** 32);
  }
  return out;
}

/** Round constants: cube roots of the first 64 primes. */
const K = fractionBits(64, 3);
/** Initial hash value: square roots of the first 8 primes. */
const H0 = fractionBits(8, 2);

function rotr(x: number, n: number): number {
  return (x >>> n) | (x << (32 - n));
}

/** The message padded to a whole number of 64-byte blocks, its bit length at the end. */
function pad(message: Uint8Array): Uint8Array {
  const length = message.length;
  const total = Math.ceil((length + 9) / 64) * 64;
  const out = new Uint8Array(total);
  out.set(message);
  out[length] = 0x80;
  const view = new DataView(out.buffer);
  view.setUint32(total - 8, Math.floor(length / 0x20000000));
  view.setUint32(total - 4, (length * 8) >>> 0);
  return out;
}

/** Mixes one 64-byte block into the state `h`. */
function compress(h: Uint32Array, view: DataView, offset: number, w: Uint32Array): void {
  for (let t = 0; t < 16; t++) w[t] = view.getUint32(offset + t * 4);
  for (let t = 16; t < 64; t++) {
    const a = w[t - 15] as number;
    const b = w[t - 2] as number;
    const s0 = rotr(a, 7) ^ rotr(a, 18) ^ (a >>> 3);
    const s1 = rotr(b, 17) ^ rotr(b, 19) ^ (b >>> 10);
    w[t] = ((w[t - 16] as number) + s0 + (w[t - 7] as number) + s1) >>> 0;
  }
  let [a, b, c, d, e, f, g, hh] = h as unknown as [number, number, number, number, number, number, number, number];
  for (let t = 0; t < 64; t++) {
    const t1 = (hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + (K[t] as number) + (w[t] as number)) >>> 0;
    const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) >>> 0;
    hh = g;
    g = f;
    f = e;
    e = (d + t1) >>> 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) >>> 0;
  }
  const next = [a, b, c, d, e, f, g, hh];
  for (let i = 0; i < 8; i++) h[i] = ((h[i] as number) + (next[i] as number)) >>> 0;
}

/** Lower-case hex SHA-256 of the UTF-8 encoding of `text`, computed synchronously. */
export function sha256Hex(text: string): string {
  const data = pad(encoder.encode(text));
  const view = new DataView(data.buffer);
  const h = Uint32Array.from(H0);
  const w = new Uint32Array(64);
  for (let offset = 0; offset < data.length; offset += 64) compress(h, view, offset, w);
  let out = '';
  for (const word of h) out += word.toString(16).padStart(8, '0');
  return out;
}
