import { Calendar, DAY_MS } from './calendar.js';
import { COUNTRIES } from './catalog-data.js';
import { EcommerceScenario } from './ecommerce.js';
import type { EcommerceTruth } from './ecommerce-truth.js';
import { FeedScenario, type FeedTruth } from './feed.js';
import { isoDate } from './format.js';
import type { HouseholdInput, ScenarioContext } from './journey.js';
import { LineBuffer } from './line-buffer.js';
import { type EmitCounts, HouseholdWriter } from './message.js';
import { type ResolvedOptions, resolveOptions, type SimOptions } from './options.js';
import { APP_RELEASE, CLOCK_SKEW } from './population.js';
import { Rng, Weighted } from './rng.js';
import { SaasScenario, type SaasTruth } from './saas.js';
import type { BooksState } from './truth.js';

interface ScenarioModel {
  household(input: HouseholdInput): void;
  isSharedHousehold(rng: Rng): boolean;
}

/**
 * Households per block when several threads generate one run: block b goes to thread
 * b mod threads, and blocks are written in order, so the bytes do not depend on the thread count.
 */
export const BLOCK_HOUSEHOLDS = 64;

/** Which blocks of households a thread generates (see BLOCK_HOUSEHOLDS). */
export interface SimPart {
  readonly index: number;
  readonly count: number;
}

/** What a thread accumulated for the truth manifest, as plain data. */
export interface SimTruthState {
  readonly households: number;
  readonly persons: number;
  readonly messages: number;
  readonly dropped: number;
  readonly sessions: number;
  readonly byEvent: [string, number][];
  readonly shop: BooksState;
  readonly saas: BooksState;
  readonly feed: BooksState;
}

/** The JSON manifest of planted truth written next to the data (fields: docs/sim.md). */
export interface TruthManifest {
  readonly generator: 'pathwise-sim';
  readonly version: 1;
  readonly options: {
    scenario: string;
    users: number;
    days: number;
    seed: number;
    start: string;
    end: string;
    timeFields: string;
  };
  readonly counts: {
    persons: number;
    households: number;
    /** Visits that emitted a message; each is one server-side session (README, "Simulator"). */
    sessions: number;
    messages: number;
    byEvent: Record<string, number>;
  };
  readonly population: {
    readonly countries: Record<string, number>;
    readonly clockSkew: typeof CLOCK_SKEW;
    readonly appRelease: typeof APP_RELEASE & { readonly releaseDate: string };
    readonly sessionTimeoutMinutes: number;
  };
  readonly anomaly: {
    kind: 'dropped_event';
    event: string;
    date: string;
    from: string;
    to: string;
    droppedCount: number;
  };
  readonly ecommerce?: EcommerceTruth;
  readonly saas?: SaasTruth;
  readonly feed?: FeedTruth;
}

const MIX = new Weighted([
  ['ecommerce', 0.5],
  ['saas', 0.2],
  ['feed', 0.3],
] as const);

/** Stream id of household RNGs (so other streams can be added without changing data). */
const HOUSEHOLD_STREAM = 1;

/**
 * A deterministic simulation. Households are generated one at a time from their own RNG
 * stream, so memory stays flat however many events are produced; each household's lines are
 * in time order (the whole output is not).
 */
export class Simulation {
  /** The validated options. */
  readonly options: ResolvedOptions;
  private readonly ctx: ScenarioContext;
  private readonly shop: EcommerceScenario;
  private readonly saas: SaasScenario;
  private readonly feed: FeedScenario;
  private readonly counts: EmitCounts = { messages: 0, dropped: 0, sessions: 0, byEvent: new Map() };
  private households = 0;
  private persons = 0;
  private isDone = false;

  constructor(options: SimOptions, nowMs?: number) {
    this.options = resolveOptions(options, nowMs);
    const { startMs, endMs, days } = this.options;
    const dayAt = (share: number) => startMs + Math.floor(days * share) * DAY_MS;
    const dropFrom = dayAt(0.45);
    this.ctx = {
      calendar: new Calendar(endMs, days),
      releaseMs: dayAt(0.6),
      experimentStartMs: dayAt(0.35),
      drop: { event: 'search', fromMs: dropFrom, toMs: dropFrom + DAY_MS },
    };
    this.shop = new EcommerceScenario(this.ctx);
    this.saas = new SaasScenario(this.ctx);
    this.feed = new FeedScenario(this.ctx);
  }

  /** How many persons have been generated so far (for progress bars). */
  get personsDone(): number {
    return this.persons;
  }

  /** How many households have been generated or skipped so far. */
  get householdsDone(): number {
    return this.households;
  }

  /**
   * Yields each household's lines (JSON, no newline), household by household. With a `part`,
   * only the households of that thread's blocks (see writeLines).
   */
  *chunks(part?: SimPart): Generator<readonly string[]> {
    const buffer = new LineBuffer();
    for (const _ of this.writeLines(buffer, part)) {
      const text = buffer.bytes.toString('utf8', 0, buffer.used);
      buffer.used = 0;
      const lines = text.split('\n');
      lines.pop();
      yield lines;
    }
  }

  /**
   * Writes each household's lines into `out` as UTF-8 JSONL (each line ends in a newline; a
   * household's lines are in time order) and yields its line count after each household.
   * With a `part`, only the households of that thread's blocks: the others are skipped after
   * the two draws that size them (persons are numbered across all households, so every
   * thread counts them).
   */
  *writeLines(out: LineBuffer, part?: SimPart): Generator<number> {
    const { users, seed, timeFields } = this.options;
    while (this.persons < users) {
      const rng = new Rng(seed, HOUSEHOLD_STREAM, this.households);
      const model = this.model(rng);
      const size = model.isSharedHousehold(rng) && this.persons + 2 <= users ? 2 : 1;
      const isOwned = !part || Math.floor(this.households / BLOCK_HOUSEHOLDS) % part.count === part.index;
      let count = -1;
      if (isOwned) {
        const personNumbers = size === 2 ? [this.persons, this.persons + 1] : [this.persons];
        const writer = new HouseholdWriter(rng, timeFields, this.counts, this.ctx.drop, out);
        model.household({ rng, writer, personNumbers });
        count = writer.finish();
      }
      this.persons += size;
      this.households++;
      if (count >= 0) yield count;
    }
    this.isDone = true;
  }

  /** What this simulation accumulated for the manifest (a thread's share, with a part). */
  truthState(): SimTruthState {
    const c = this.counts;
    return {
      households: this.households,
      persons: this.persons,
      messages: c.messages,
      dropped: c.dropped,
      sessions: c.sessions,
      byEvent: [...c.byEvent.entries()],
      shop: this.shop.truthState(),
      saas: this.saas.truthState(),
      feed: this.feed.truthState(),
    };
  }

  /**
   * The finished simulation whose truth is the merge of the threads' states (each thread ran
   * every household's sizing draws, so households and persons are the same in each).
   */
  static merged(options: SimOptions, states: readonly SimTruthState[]): Simulation {
    const sim = new Simulation(options);
    const c = sim.counts;
    for (const state of states) {
      sim.households = state.households;
      sim.persons = state.persons;
      c.messages += state.messages;
      c.dropped += state.dropped;
      c.sessions += state.sessions;
      for (const [event, n] of state.byEvent) c.byEvent.set(event, (c.byEvent.get(event) ?? 0) + n);
      sim.shop.mergeTruth(state.shop);
      sim.saas.mergeTruth(state.saas);
      sim.feed.mergeTruth(state.feed);
    }
    sim.isDone = true;
    return sim;
  }

  /** Yields every line. */
  *lines(): Generator<string> {
    for (const chunk of this.chunks()) yield* chunk;
  }

  /** Yields every message as a plain object. */
  *messages(): Generator<Record<string, unknown>> {
    for (const line of this.lines()) yield JSON.parse(line) as Record<string, unknown>;
  }

  /** The planted truth; complete once all lines were consumed. */
  truth(): TruthManifest {
    if (!this.isDone) throw new Error('the simulation has not finished: consume chunks() or lines() first');
    const o = this.options;
    const { drop } = this.ctx;
    const has = (s: string) => o.scenario === s || o.scenario === 'mix';
    const byEvent = Object.fromEntries(
      [...this.counts.byEvent.entries()].sort(([a], [b]) => (a < b ? -1 : 1)),
    );
    const weights = COUNTRIES.reduce((sum, c) => sum + c.weight, 0);
    return {
      generator: 'pathwise-sim',
      version: 1,
      options: {
        scenario: o.scenario,
        users: o.users,
        days: o.days,
        seed: o.seed,
        start: new Date(o.startMs).toISOString(),
        end: new Date(o.endMs).toISOString(),
        timeFields: o.timeFields,
      },
      counts: {
        persons: this.persons,
        households: this.households,
        sessions: this.counts.sessions,
        messages: this.counts.messages,
        byEvent,
      },
      population: {
        countries: Object.fromEntries(COUNTRIES.map((c) => [c.code, c.weight / weights])),
        clockSkew: CLOCK_SKEW,
        appRelease: { ...APP_RELEASE, releaseDate: isoDate(this.ctx.releaseMs) },
        sessionTimeoutMinutes: 30,
      },
      anomaly: {
        kind: 'dropped_event',
        event: drop.event,
        date: isoDate(drop.fromMs),
        from: new Date(drop.fromMs).toISOString(),
        to: new Date(drop.toMs).toISOString(),
        droppedCount: this.counts.dropped,
      },
      ...(has('ecommerce') ? { ecommerce: this.shop.truth() } : {}),
      ...(has('saas') ? { saas: this.saas.truth() } : {}),
      ...(has('feed') ? { feed: this.feed.truth() } : {}),
    };
  }

  private model(rng: Rng): ScenarioModel {
    const scenario = this.options.scenario === 'mix' ? MIX.sample(rng) : this.options.scenario;
    return scenario === 'ecommerce' ? this.shop : scenario === 'saas' ? this.saas : this.feed;
  }
}
