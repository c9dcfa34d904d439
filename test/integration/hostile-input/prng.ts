/** A small seeded PRNG (mulberry32): the same seed gives the same cases on every machine. */
export type Rng = {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max]. */
  int(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** A string of `length` characters drawn from `alphabet`. */
  chars(alphabet: string, length: number): string;
};

export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)]!,
    chars(alphabet, length) {
      const symbols = [...alphabet];
      let out = '';
      for (let i = 0; i < length; i++) out += symbols[Math.floor(next() * symbols.length)];
      return out;
    },
  };
}

/** The run's seed: HOSTILE_SEED when set (decimal), else the fixed default. */
export function hostileSeed(fallback = 20_261_127): number {
  const raw = process.env.HOSTILE_SEED;
  if (raw === undefined || raw === '') return fallback;
  const seed = Number(raw);
  if (!Number.isSafeInteger(seed)) throw new Error(`HOSTILE_SEED must be an integer, got ${raw}`);
  return seed;
}
