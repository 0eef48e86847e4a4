import { Rng } from './rng.js';

/**
 * A small A/B experiment with planted truth, for experiment analysis tests and benchmarks.
 *
 * Each person has a latent spend rate λ (lognormal). Before exposure (the 14 days before the
 * person's first exposure) they buy Poisson(λ·PRE_DAYS) times; in the 7 days after it
 * Poisson(λ·POST_DAYS·(1 + lift in treatment)) times. Every purchase's revenue is exponential with
 * mean REVENUE_MEAN, so revenue per person has a planted relative lift of exactly `lift`, and
 * the pre-exposure revenue (the CUPED covariate) is correlated with the outcome through λ.
 * Page views after exposure are 1 + Poisson(3λ) (the denominator of a revenue-per-page ratio).
 */
export interface ExperimentSimOptions {
  readonly seed: number;
  readonly persons: number;
  /** Relative lift of the treatment on purchases and revenue per person (e.g. 0.1). */
  readonly lift: number;
  /** Share of persons in treatment (default 0.5). */
  readonly treatmentShare?: number;
  /** Persons exposed to both variants (excluded by the analysis), default 0. */
  readonly multiVariantPersons?: number;
  /** Whether to build the event messages (tests on per-person values skip them). */
  readonly isWithEvents?: boolean;
}

/** One simulated person: assignment, exposure time and the per-person values the metrics read. */
export interface SimulatedPerson {
  readonly userId: string;
  readonly variant: 'control' | 'treatment';
  readonly exposedAtMs: number;
  readonly preRevenue: number;
  readonly revenue: number;
  readonly purchases: number;
  readonly pageviews: number;
}

/** The simulation: persons, their events as Segment track/page messages, and the planted truth. */
export interface SimulatedExperiment {
  readonly persons: readonly SimulatedPerson[];
  readonly messages: readonly Record<string, unknown>[];
  readonly truth: {
    readonly lift: number;
    /** E[revenue per person] in control: E[λ]·POST_DAYS·REVENUE_MEAN. */
    readonly controlRevenuePerPerson: number;
    readonly treatmentRevenuePerPerson: number;
  };
}

/** The experiment's fixed calendar and parameters (UTC). */
export const EXPERIMENT_SIM = {
  key: 'checkout-redesign',
  exposureEvent: 'Experiment Viewed',
  startMs: Date.UTC(2026, 2, 1),
  exposureDays: 14,
  preDays: 14,
  postDays: 7,
  revenueMean: 40,
  /** λ = exp(N(LOG_MU, LOG_SIGMA²)) purchases per day. */
  logMu: Math.log(0.3),
  logSigma: 1,
} as const;

const DAY_MS = 86_400_000;

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

type Emit = (event: string, userId: string, atMs: number, properties: Record<string, unknown>) => void;

function purchases(
  rng: Rng,
  count: number,
  fromMs: number,
  spanMs: number,
  userId: string,
  emit: Emit | null,
) {
  let revenue = 0;
  for (let k = 0; k < count; k++) {
    const value = Math.round(rng.exponential(EXPERIMENT_SIM.revenueMean) * 100) / 100;
    revenue += value;
    emit?.('purchase', userId, fromMs + Math.floor(rng.float() * spanMs), { revenue: value });
  }
  return revenue;
}

function simulatePerson(rng: Rng, i: number, o: ExperimentSimOptions, emit: Emit | null): SimulatedPerson {
  const s = EXPERIMENT_SIM;
  const userId = `exp-user-${String(i).padStart(7, '0')}`;
  const variant = rng.chance(o.treatmentShare ?? 0.5) ? 'treatment' : 'control';
  const lambda = Math.exp(s.logMu + s.logSigma * rng.normal());
  // Exposures end a day early so that no post-exposure window reaches past the data.
  const exposedAtMs = s.startMs + Math.floor(rng.float() * (s.exposureDays - 1) * DAY_MS);
  const preCount = rng.poisson(lambda * s.preDays);
  const preRevenue = purchases(
    rng,
    preCount,
    exposedAtMs - s.preDays * DAY_MS,
    s.preDays * DAY_MS - 1000,
    userId,
    emit,
  );
  emit?.(s.exposureEvent, userId, exposedAtMs, { experiment: s.key, variant });
  if (rng.chance(0.3))
    emit?.(s.exposureEvent, userId, exposedAtMs + 3_600_000, { experiment: s.key, variant });
  const factor = variant === 'treatment' ? 1 + o.lift : 1;
  const count = rng.poisson(lambda * s.postDays * factor);
  const revenue = purchases(rng, count, exposedAtMs + 1000, s.postDays * DAY_MS - 2000, userId, emit);
  const pageviews = 1 + rng.poisson(3 * lambda);
  for (let k = 0; k < pageviews; k++) {
    emit?.(
      '$pageview',
      userId,
      exposedAtMs + 500 + Math.floor(rng.float() * (s.postDays * DAY_MS - 1000)),
      {},
    );
  }
  return { userId, variant, exposedAtMs, preRevenue, revenue, purchases: count, pageviews };
}

/** Simulates the experiment deterministically from the seed. */
export function simulateExperiment(o: ExperimentSimOptions): SimulatedExperiment {
  const rng = new Rng(o.seed, 0xe4);
  const messages: Record<string, unknown>[] = [];
  let seq = 0;
  const emit: Emit | null =
    o.isWithEvents === false
      ? null
      : (event, userId, atMs, properties) => {
          seq += 1;
          const type = event === '$pageview' ? 'page' : 'track';
          const base = { type, userId, timestamp: iso(atMs), messageId: `exp-${o.seed}-${seq}`, properties };
          messages.push(type === 'page' ? { ...base, name: 'Checkout' } : { ...base, event });
        };
  const persons = Array.from({ length: o.persons }, (_, i) => simulatePerson(rng, i, o, emit));
  for (let j = 0; j < (o.multiVariantPersons ?? 0); j++) {
    const userId = `exp-both-${j}`;
    const at = EXPERIMENT_SIM.startMs + j * 60_000;
    emit?.(EXPERIMENT_SIM.exposureEvent, userId, at, { experiment: EXPERIMENT_SIM.key, variant: 'control' });
    emit?.(EXPERIMENT_SIM.exposureEvent, userId, at + 1000, {
      experiment: EXPERIMENT_SIM.key,
      variant: 'treatment',
    });
  }
  const meanLambda = Math.exp(EXPERIMENT_SIM.logMu + EXPERIMENT_SIM.logSigma ** 2 / 2);
  const control = meanLambda * EXPERIMENT_SIM.postDays * EXPERIMENT_SIM.revenueMean;
  return {
    persons,
    messages,
    truth: {
      lift: o.lift,
      controlRevenuePerPerson: control,
      treatmentRevenuePerPerson: control * (1 + o.lift),
    },
  };
}
