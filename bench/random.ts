/**
 * A seeded random source (sfc32) and a Zipf sampler, so the same seed gives
 * the same corpus and questions on every machine.
 */

/** Deterministic pseudo-random numbers from a seed string. */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: string) {
    // FNV-1a over the seed, spread into the four words of state.
    let h = 0x811c9dc5;
    for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 0x01000193);
    this.a = h >>> 0;
    this.b = Math.imul(h, 0x9e3779b1) >>> 0;
    this.c = Math.imul(h ^ 0xdeadbeef, 0x85ebca6b) >>> 0;
    this.d = 1;
    for (let i = 0; i < 12; i++) this.next();
  }

  /** A number in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** A whole number in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** A uniformly chosen item. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }
}

/**
 * Draws ranks 0…n−1 with probability proportional to 1 / (rank + 1)^s, the
 * shape word frequencies take in any large body of text.
 */
export class Zipf {
  private readonly cumulative: Float64Array;

  constructor(n: number, s = 1) {
    this.cumulative = new Float64Array(n);
    let total = 0;
    for (let r = 0; r < n; r++) {
      total += 1 / (r + 1) ** s;
      this.cumulative[r] = total;
    }
    for (let r = 0; r < n; r++) this.cumulative[r] = (this.cumulative[r] as number) / total;
  }

  /** A rank, by binary search over the cumulative distribution. */
  sample(random: Random): number {
    const u = random.next();
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.cumulative[mid] as number) < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
