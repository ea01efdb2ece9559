/**
 * The one seeded generator of logitlab: mulberry32, 32 bits of state. Small, fast, and the same numbers
 * on every backend and platform because they are drawn in JavaScript, never by a backend kernel.
 * Reproducibility matters here, statistical strength beyond "good enough for initialisation, noise and
 * orders" does not. Its whole state is one uint32 (`state`), so a checkpoint can store it and resume
 * the same stream.
 */
export class Rng {
  private s: number;

  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new RangeError(`Rng expects a finite seed, got ${seed}`);
    this.s = Math.trunc(seed) >>> 0;
  }

  /** The generator's state; `new Rng(rng.state)` continues the same stream. */
  get state(): number {
    return this.s;
  }

  set state(s: number) {
    this.s = s >>> 0;
  }

  nextUint32(): number {
    this.s = (this.s + 0x6d2b_79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /**
   * Fills `out` with lo + (hi - lo) * next(), the same numbers as that many next() calls. The state lives
   * in a local int32 for the loop: a uint32 above 2 ** 30 in a field is a heap number V8 boxes on every
   * store, which made per-call next() ~12 ns a number (dropout masks: ~1 ms a bn-mlp step).
   */
  fillUniform(out: Float32Array | Float64Array, lo = 0, hi = 1): void {
    const span = hi - lo;
    let s = this.s | 0;
    for (let i = 0; i < out.length; i++) {
      s = (s + 0x6d2b_79f5) | 0;
      let t = Math.imul(s ^ (s >>> 15), s | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      out[i] = lo + span * (((t ^ (t >>> 14)) >>> 0) / 4294967296);
    }
    this.s = s >>> 0;
  }

  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Two independent standard normal samples (Box-Muller on two uniforms). */
  normalPair(): [number, number] {
    const u1 = 1 - this.next(); // (0, 1]: log never sees 0
    const u2 = this.next();
    const r = Math.sqrt(-2 * Math.log(u1));
    return [r * Math.cos(2 * Math.PI * u2), r * Math.sin(2 * Math.PI * u2)];
  }

  /** Fills `out` with mean + std * normalPair() values in order (the same numbers, without a pair array per draw). */
  fillNormal(out: Float32Array | Float64Array, mean = 0, std = 1): void {
    for (let i = 0; i < out.length; i += 2) {
      const r = Math.sqrt(-2 * Math.log(1 - this.next()));
      const angle = 2 * Math.PI * this.next();
      out[i] = mean + std * (r * Math.cos(angle));
      if (i + 1 < out.length) out[i + 1] = mean + std * (r * Math.sin(angle));
    }
  }

  /** One standard normal sample (the first of a pair; the second is dropped so every call draws two uniforms). */
  normal(): number {
    return this.normalPair()[0];
  }

  /** Fisher-Yates, in place; the same seed gives the same order. */
  shuffle<T extends { length: number; [i: number]: unknown }>(array: T): T {
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = array[i];
      array[i] = array[j];
      array[j] = t;
    }
    return array;
  }

  /** A random order of 0..n-1 (a shuffled identity). */
  permutation(n: number): Int32Array {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = i;
    return this.shuffle(out);
  }
}

/** murmur3's 32-bit finaliser: every input bit flips each output bit with probability ~1/2. */
function fmix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85eb_ca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2_ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Mixes a seed with extra integers (epoch, stream id) into a new seed, so per-epoch or per-stream
 * generators differ even for nearby inputs: (seed 1, epoch 0), (seed 0, epoch 1) and (seed 0) all give
 * different seeds. (The xor-multiply mix datasets used before gave (1, 0) and (0, 1) the same seed.)
 */
export function mixSeed(seed: number, ...parts: number[]): number {
  let h = fmix32((seed ^ 0x9e37_79b9) >>> 0);
  for (const p of parts) h = fmix32((Math.imul(h ^ 0x5bd1_e995, 0x0100_0193) + (p >>> 0)) >>> 0);
  return h;
}
