/**
 * Journeys packed into typed arrays, so a million persons' journeys fit in tens of megabytes:
 * journey j's touches are `touches[offsets[j] … offsets[j+1])` (label codes, oldest first) with
 * `secondsBefore` the whole seconds from each touch to the journey's end (its conversion, or the
 * range end for a non-converting journey).
 */
export interface JourneySet {
  /** Code → label. */
  readonly labels: readonly string[];
  readonly count: number;
  readonly offsets: Uint32Array;
  readonly touches: Uint8Array;
  readonly secondsBefore: Uint32Array;
  /** 1 when the journey ends in a conversion. */
  readonly isConverted: Uint8Array;
  /** The conversion's value (0 for non-converting journeys). */
  readonly value: Float64Array;
}

function grow<T extends Uint8Array | Uint32Array | Float64Array>(a: T, need: number): T {
  if (need <= a.length) return a;
  const next = new (a.constructor as new (n: number) => T)(Math.max(need, a.length * 2));
  next.set(a);
  return next;
}

/** Builds a JourneySet one journey at a time. */
export class JourneySetBuilder {
  private count = 0;
  private touchCount = 0;
  private offsets = new Uint32Array(1024);
  private touches = new Uint8Array(4096);
  private seconds = new Uint32Array(4096);
  private converted = new Uint8Array(1024);
  private values = new Float64Array(1024);

  /** Adds a journey: codes and seconds before its end, oldest touch first. */
  add(codes: ArrayLike<number>, secondsBefore: ArrayLike<number>, isConverted: boolean, value: number): void {
    const n = codes.length;
    this.touches = grow(this.touches, this.touchCount + n);
    this.seconds = grow(this.seconds, this.touchCount + n);
    for (let i = 0; i < n; i++) {
      this.touches[this.touchCount + i] = codes[i] as number;
      this.seconds[this.touchCount + i] = secondsBefore[i] as number;
    }
    this.touchCount += n;
    this.converted = grow(this.converted, this.count + 1);
    this.values = grow(this.values, this.count + 1);
    this.offsets = grow(this.offsets, this.count + 2);
    this.converted[this.count] = isConverted ? 1 : 0;
    this.values[this.count] = isConverted ? value : 0;
    this.count++;
    this.offsets[this.count] = this.touchCount;
  }

  /** The packed set (trimmed copies; the builder can be dropped). */
  build(labels: readonly string[]): JourneySet {
    return {
      labels: [...labels],
      count: this.count,
      offsets: this.offsets.slice(0, this.count + 1),
      touches: this.touches.slice(0, this.touchCount),
      secondsBefore: this.seconds.slice(0, this.touchCount),
      isConverted: this.converted.slice(0, this.count),
      value: this.values.slice(0, this.count),
    };
  }
}

/** A journey written by hand (tests, benchmarks): labels oldest first, seconds before the end. */
export interface PlainJourney {
  readonly touches: readonly string[];
  readonly secondsBefore?: readonly number[];
  readonly isConverted: boolean;
  readonly value?: number;
}

/** Packs hand-written journeys; labels are coded in order of first appearance. */
export function journeySetOf(journeys: readonly PlainJourney[]): JourneySet {
  const codes = new Map<string, number>();
  const b = new JourneySetBuilder();
  for (const j of journeys) {
    const c = j.touches.map((t) => {
      if (!codes.has(t)) codes.set(t, codes.size);
      return codes.get(t) as number;
    });
    b.add(c, j.secondsBefore ?? j.touches.map(() => 0), j.isConverted, j.value ?? 0);
  }
  return b.build([...codes.keys()]);
}
