import { type Rng, Weighted } from './rng.js';

/** Milliseconds per hour and per day. */
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** When people are active, in local time: weights per hour (0–23) and per weekday (Sun–Sat). */
export interface ActivityProfile {
  readonly name: string;
  readonly hourWeights: readonly number[];
  readonly weekdayWeights: readonly number[];
  readonly maxWeekdayWeight: number;
}

/** Consumer traffic: evening peak, busier weekends. */
export const CONSUMER: ActivityProfile = {
  name: 'consumer',
  hourWeights: [
    1.2, 0.7, 0.4, 0.3, 0.3, 0.4, 0.9, 1.8, 2.6, 3, 3.2, 3.4, 3.8, 3.6, 3.4, 3.4, 3.6, 3.9, 4.3, 5, 5.4, 5,
    3.8, 2.2,
  ],
  weekdayWeights: [1.15, 0.95, 0.95, 0.95, 1, 1.05, 1.2],
  maxWeekdayWeight: 1.2,
};

/** Business traffic: office hours, quiet weekends. */
export const BUSINESS: ActivityProfile = {
  name: 'business',
  hourWeights: [
    0.2, 0.1, 0.1, 0.1, 0.1, 0.2, 0.6, 1.8, 4.2, 6, 6.4, 6.2, 5, 5.6, 6.2, 6, 5.2, 3.6, 1.8, 1.2, 1, 0.9, 0.6,
    0.3,
  ],
  weekdayWeights: [0.3, 1, 1, 1, 1, 0.9, 0.3],
  maxWeekdayWeight: 1,
};

/** The simulated range [startMs, endMs) and samplers of session start times within it. */
export class Calendar {
  readonly startMs: number;
  readonly endMs: number;
  readonly days: number;
  private readonly dayPickers = new Map<string, Weighted<number>>();
  private readonly hourPickers = new Map<string, Weighted<number>>();

  constructor(endMs: number, days: number) {
    this.endMs = endMs;
    this.days = days;
    this.startMs = endMs - days * DAY_MS;
  }

  /** The UTC midnight of day index `day` of the range. */
  dayStartMs(day: number): number {
    return this.startMs + day * DAY_MS;
  }

  /** A session start anywhere in the range, drawn by weekday and local hour weights. */
  sampleStart(rng: Rng, profile: ActivityProfile, utcOffsetHours: number): number {
    const day = this.dayPicker(profile).sample(rng);
    return this.atLocalHour(rng, profile, day, utcOffsetHours);
  }

  /**
   * The next session after `afterMs`, `gapDays` calendar days later (0 = same day), thinned by the
   * weekday weights; returns null when it would fall outside the range.
   */
  sampleNext(
    rng: Rng,
    profile: ActivityProfile,
    afterMs: number,
    meanGapDays: number,
    utcOffsetHours: number,
  ) {
    const maxWeekday = profile.maxWeekdayWeight;
    let day = Math.floor((afterMs - this.startMs) / DAY_MS) + Math.round(rng.exponential(meanGapDays));
    while (day < this.days && !rng.chance((profile.weekdayWeights[this.weekday(day)] ?? 1) / maxWeekday))
      day++;
    if (day >= this.days) return null;
    let t = this.atLocalHour(rng, profile, day, utcOffsetHours);
    // A new session needs a break of over 30 minutes (ARCHITECTURE.md, "Session").
    if (t < afterMs + 45 * 60_000) t = afterMs + 45 * 60_000 + Math.round(rng.exponential(3 * HOUR_MS));
    return t < this.endMs - 2 * HOUR_MS ? t : null;
  }

  private atLocalHour(rng: Rng, profile: ActivityProfile, day: number, utcOffsetHours: number): number {
    const hour = this.hourPicker(profile).sample(rng);
    const t = this.dayStartMs(day) + (hour - utcOffsetHours) * HOUR_MS + rng.int(HOUR_MS);
    // Keep sessions inside the range with room for their events before the end.
    return Math.min(Math.max(t, this.startMs), this.endMs - 2 * HOUR_MS - rng.int(HOUR_MS));
  }

  private weekday(day: number): number {
    return new Date(this.dayStartMs(day)).getUTCDay();
  }

  private dayPicker(profile: ActivityProfile): Weighted<number> {
    let picker = this.dayPickers.get(profile.name);
    if (!picker) {
      const entries: [number, number][] = [];
      for (let d = 0; d < this.days; d++) entries.push([d, profile.weekdayWeights[this.weekday(d)] ?? 1]);
      picker = new Weighted(entries);
      this.dayPickers.set(profile.name, picker);
    }
    return picker;
  }

  private hourPicker(profile: ActivityProfile): Weighted<number> {
    let picker = this.hourPickers.get(profile.name);
    if (!picker) {
      picker = new Weighted(profile.hourWeights.map((w, h) => [h, w] as const));
      this.hourPickers.set(profile.name, picker);
    }
    return picker;
  }
}
