/**
 * A seeded pseudo-random source for the catalog generator: the same seed
 * gives the same sequence on every machine and Node version (xoroshiro128+
 * from pure-rand, integers only, no Math.random).
 */
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

/** Draws integers, picks and dates from one seeded sequence. */
export class SeededRandom {
  private readonly generator: RandomGenerator;

  /** `seed`: any integer; other numbers are truncated to 32 bits. */
  constructor(seed: number) {
    this.generator = xoroshiro128plus(seed | 0);
  }

  /** An integer from `min` to `max`, both included. */
  int(min: number, max: number): number {
    return uniformInt(this.generator, min, max);
  }

  /** One item of a non-empty list. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)] as T;
  }

  /** True with the given probability (0 to 1, to the thousandth). */
  chance(probability: number): boolean {
    return this.int(0, 999) < Math.round(probability * 1000);
  }

  /** A number from `min` to `max` in steps of `step` (e.g. degrees by 0.5). */
  step(min: number, max: number, step: number): number {
    const steps = Math.round((max - min) / step);
    return Math.round((min + this.int(0, steps) * step) * 1000) / 1000;
  }

  /** A date 'YYYY-MM-DD' in the given year (days 1 to 28, so every month has them). */
  date(year: number): string {
    return `${year}-${pad(this.int(1, 12))}-${pad(this.int(1, 28))}`;
  }

  /** A datetime 'YYYY-MM-DDTHH:mm:ss' in the given year, during working hours. */
  dateTime(year: number): string {
    return `${this.date(year)}T${pad(this.int(7, 18))}:${pad(this.int(0, 59))}:${pad(this.int(0, 59))}`;
  }
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
