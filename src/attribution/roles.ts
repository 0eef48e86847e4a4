import type { JourneySet } from '../query/index.js';

/** A label's role in journeys: initiator (mostly starts), closer (mostly closes) or balanced. */
export type RoleKind = 'initiator' | 'closer' | 'balanced';

/**
 * What a label does in converting journeys. A journey counts once per role a label plays in it:
 * it starts it (first touch), closes it (last touch), assists it (a touch strictly between).
 * Shares are of the converting journeys the label appears in.
 */
export interface ChannelRole {
  readonly channel: string;
  /** All journeys (converting or not) with the label, and how many of them converted. */
  readonly journeys: number;
  readonly journeyConversionRate: number | null;
  readonly convertingJourneys: number;
  readonly starts: number;
  readonly assists: number;
  readonly closes: number;
  readonly startShare: number | null;
  readonly assistShare: number | null;
  readonly closeShare: number | null;
  /** starts / (starts + closes) ≥ 0.6 → initiator, ≤ 0.4 → closer. */
  readonly role: RoleKind | null;
  /** Mean 1-based position of its touches in converting journeys, and from the end (1 = last). */
  readonly avgPosition: number | null;
  readonly avgPositionFromEnd: number | null;
  /** Seconds from its touches to the conversion: mean and median. */
  readonly avgSecondsToConversion: number | null;
  readonly medianSecondsToConversion: number | null;
}

interface Tally {
  journeys: number;
  converting: number;
  starts: number;
  assists: number;
  closes: number;
  touches: number;
  position: number;
  fromEnd: number;
  seconds: number;
}

function median(values: Uint32Array): number | null {
  if (values.length === 0) return null;
  const s = values.slice().sort();
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

function roleOf(starts: number, closes: number): RoleKind | null {
  if (starts + closes === 0) return null;
  const r = starts / (starts + closes);
  return r >= 0.6 ? 'initiator' : r <= 0.4 ? 'closer' : 'balanced';
}

/** Marks per label: the last journey it was seen in, and the last it was counted as assisting. */
interface Marks {
  readonly seen: Int32Array;
  readonly assisted: Int32Array;
}

function tallyJourney(
  t: Tally[],
  codes: Uint8Array,
  secs: Uint32Array,
  isConverted: boolean,
  m: Marks,
  j: number,
): void {
  const n = codes.length;
  for (let i = 0; i < n; i++) {
    const c = codes[i] as number;
    const x = t[c] as Tally;
    const isFirstSighting = m.seen[c] !== j;
    m.seen[c] = j;
    if (isFirstSighting) x.journeys++;
    if (!isConverted) continue;
    if (isFirstSighting) x.converting++;
    x.touches++;
    x.position += i + 1;
    x.fromEnd += n - i;
    x.seconds += secs[i] as number;
  }
  if (!isConverted) return;
  (t[codes[0] as number] as Tally).starts++;
  (t[codes[n - 1] as number] as Tally).closes++;
  for (let i = 1; i < n - 1; i++) {
    const c = codes[i] as number;
    if (m.assisted[c] === j) continue;
    m.assisted[c] = j;
    (t[c] as Tally).assists++;
  }
}

/** Roles, positions and times to conversion of every label. */
export function channelRoles(set: JourneySet): ChannelRole[] {
  const L = set.labels.length;
  const t: Tally[] = Array.from({ length: L }, () => ({
    journeys: 0,
    converting: 0,
    starts: 0,
    assists: 0,
    closes: 0,
    touches: 0,
    position: 0,
    fromEnd: 0,
    seconds: 0,
  }));
  const marks: Marks = { seen: new Int32Array(L).fill(-1), assisted: new Int32Array(L).fill(-1) };
  for (let j = 0; j < set.count; j++) {
    const lo = set.offsets[j] as number;
    const hi = set.offsets[j + 1] as number;
    if (hi === lo) continue;
    tallyJourney(
      t,
      set.touches.subarray(lo, hi),
      set.secondsBefore.subarray(lo, hi),
      set.isConverted[j] === 1,
      marks,
      j,
    );
  }
  const secondsBy = secondsByLabel(set, t);
  return t.map((x, c) => {
    const share = (n: number) => (x.converting === 0 ? null : n / x.converting);
    const perTouch = (n: number) => (x.touches === 0 ? null : n / x.touches);
    return {
      channel: set.labels[c] as string,
      journeys: x.journeys,
      journeyConversionRate: x.journeys === 0 ? null : x.converting / x.journeys,
      convertingJourneys: x.converting,
      starts: x.starts,
      assists: x.assists,
      closes: x.closes,
      startShare: share(x.starts),
      assistShare: share(x.assists),
      closeShare: share(x.closes),
      role: roleOf(x.starts, x.closes),
      avgPosition: perTouch(x.position),
      avgPositionFromEnd: perTouch(x.fromEnd),
      avgSecondsToConversion: perTouch(x.seconds),
      medianSecondsToConversion: median(secondsBy[c] as Uint32Array),
    };
  });
}

/** The seconds-to-conversion of every touch in a converting journey, grouped by label. */
function secondsByLabel(set: JourneySet, t: readonly Tally[]): Uint32Array[] {
  const out = t.map((x) => new Uint32Array(x.touches));
  const fill = new Uint32Array(t.length);
  for (let j = 0; j < set.count; j++) {
    if (set.isConverted[j] !== 1) continue;
    for (let k = set.offsets[j] as number; k < (set.offsets[j + 1] as number); k++) {
      const c = set.touches[k] as number;
      (out[c] as Uint32Array)[fill[c] as number] = set.secondsBefore[k] as number;
      fill[c] = (fill[c] as number) + 1;
    }
  }
  return out;
}
